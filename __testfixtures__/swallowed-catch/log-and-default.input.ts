import axios from 'axios';
import type { Order } from './types';

export async function getOrder(id: string): Promise<Order | null> {
  try {
    const res = await axios.get<Order>(`https://orders.internal/orders/${id}`);
    return res.data;
  } catch (err) {
    console.error('failed to load order', err);
    return null;
  }
}

export async function listOrders(): Promise<Order[]> {
  try {
    const res = await axios.get<Order[]>('https://orders.internal/orders');
    return res.data;
  } catch {}
  return [];
}
