import axios from 'axios';
import { classify, isInfraFailure } from './resilience/errors';
import type { Order } from './types';

async function getOrder(id: string): Promise<Order | null> {
  try {
    const res = await axios.get<Order>(`https://orders.internal/orders/${id}`);
    return res.data;
  } catch (err) {
    console.error('failed to load order', err);
    if (isInfraFailure(err)) {
      throw classify(err);
    }
    return null;
  }
}

async function listOrders(): Promise<Order[]> {
  try {
    const res = await axios.get<Order[]>('https://orders.internal/orders');
    return res.data;
  } catch (err) {
    throw classify(err);
  }
  return [];
}

/** The order page reads null as "no such order": only outages may reject now. */
export async function orderPage(id: string): Promise<{ status: number; body: unknown }> {
  try {
    const order = await getOrder(id);
    if (order === null) return { status: 404, body: { message: 'no such order' } };
    return { status: 200, body: order };
  } catch (err) {
    return { status: 503, body: { message: String(err) } };
  }
}

export async function allOrders(): Promise<Order[]> {
  try {
    return await listOrders();
  } catch (err) {
    throw new Error('orders unavailable', { cause: err });
  }
}
