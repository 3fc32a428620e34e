import { policyFor } from './resilience/policies';
import axios from 'axios';

const payments = axios.create({ baseURL: process.env.PAYMENTS_URL, timeout: 6000 });

export async function charge(orderId: string, amountCents: number): Promise<string> {
  try {
    const { data } = await policyFor('payments-api', { initialDelayMs: 1000 }).execute(({ signal }) => payments.post<{ id: string }>('/charges', { amountCents }, { headers: { 'Idempotency-Key': orderId }, signal }));
    return data.id;
  } catch (err) {
    console.error('charge failed, retrying', err);
    throw err;
  }
}
