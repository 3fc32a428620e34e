import axios from 'axios';

const paymentsClient = axios.create({ baseURL: 'https://payments.internal', timeout: 5000 });

export async function charge(amount: number): Promise<string> {
  const { data } = await paymentsClient.post('/charges', { amount });
  return data.id;
}

export async function charges(customer: string) {
  const res = await paymentsClient.get(`/customers/${customer}/charges`, { headers: { accept: 'application/json' } });
  return res.data;
}

export async function cancel(id: string) {
  await paymentsClient.post(`/charges/${id}/cancel`);
}

export async function status() {
  return axios.get('https://status.example.com/health');
}

// not requests: left as they are
export const isAxiosError = axios.isAxiosError;
export const other = axios.create({ baseURL: 'https://other.example.com' });
