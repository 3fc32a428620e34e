import axios from 'axios';
import { classify } from './resilience/errors';
import type { Order } from './types';

export async function getOrder(id: string): Promise<Order | null> {
  try {
    const res = await axios.get<Order>(`https://orders.internal/orders/${id}`);
    return res.data;
  } catch (err) {
    console.error('failed to load order', err);
    throw classify(err);
  }
}

export async function listOrders(): Promise<Order[]> {
  try {
    const res = await axios.get<Order[]>('https://orders.internal/orders');
    return res.data;
  } catch (err) {
    throw classify(err);
  }
  return [];
}
