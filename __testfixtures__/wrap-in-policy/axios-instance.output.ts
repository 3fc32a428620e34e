import { policyFor } from './resilience/policies';
import axios from 'axios';

const paymentsClient = axios.create({ baseURL: 'https://payments.internal', timeout: 5000 });

export async function charge(amount: number): Promise<string> {
  const { data } = await policyFor('payments-api', { idempotent: false }).execute(({ signal }) => paymentsClient.post('/charges', { amount }, { signal }));
  return data.id;
}

export async function charges(customer: string) {
  const res = await policyFor('payments-api').execute(({ signal }) => paymentsClient.get(`/customers/${customer}/charges`, { headers: { accept: 'application/json' }, signal }));
  return res.data;
}

export async function cancel(id: string) {
  await policyFor('payments-api', { idempotent: false }).execute(({ signal }) => paymentsClient.post(`/charges/${id}/cancel`, undefined, { signal }));
}

export async function status() {
  return policyFor('status.example.com').execute(({ signal }) => axios.get('https://status.example.com/health', { signal }));
}

// not requests: left as they are
export const isAxiosError = axios.isAxiosError;
export const other = axios.create({ baseURL: 'https://other.example.com' });
