import axios from 'axios';

const payments = axios.create({ baseURL: process.env.PAYMENTS_URL, timeout: 6000 });

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function charge(orderId: string, amountCents: number): Promise<string> {
  while (true) {
    try {
      const { data } = await payments.post<{ id: string }>('/charges', { amountCents }, { headers: { 'Idempotency-Key': orderId } });
      return data.id;
    } catch (err) {
      console.error('charge failed, retrying', err);
      await sleep(1000);
    }
  }
}
