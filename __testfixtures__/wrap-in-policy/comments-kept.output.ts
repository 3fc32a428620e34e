import { policyFor } from './resilience/policies';
import axios from 'axios';

// Orders API client; the base URL comes from the environment
const ordersApi = axios.create({ baseURL: process.env.ORDERS_URL });

export async function getOrder(id: string) {
  // fetch the order; 404 means it was deleted
  const { data } = await policyFor('orders-api').execute(({ signal }) => ordersApi.get(`/orders/${id}`, {
    // the API answers XML unless asked
    headers: { accept: 'application/json' },
    signal,
  }));
  return data; // the order
}
