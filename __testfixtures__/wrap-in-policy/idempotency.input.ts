import axios from 'axios';
import got from 'got';
import { randomUUID } from 'node:crypto';

const payments = axios.create({ baseURL: 'https://payments.example.com', timeout: 6000 });

// a key every attempt sends: retried
export async function charge(orderId: string, amountCents: number) {
  const { data } = await payments.post('/charges', { amountCents }, { headers: { 'Idempotency-Key': orderId } });
  return data;
}

// a key made inside the call would change on every attempt: it moves out, before the retries
export async function refund(chargeId: string) {
  await payments.post(`/charges/${chargeId}/refunds`, {}, { headers: { 'Idempotency-Key': randomUUID() } });
}

// no key: never retried
export async function capture(chargeId: string) {
  await payments.request({ method: 'post', url: `/charges/${chargeId}/capture` });
}

// a GET through request(): retried
export async function status(chargeId: string) {
  return (await payments.request({ method: 'get', url: `/charges/${chargeId}` })).data;
}

// PATCH in fetch's options: not idempotent
export async function rename(id: string, name: string) {
  await fetch(`https://users.example.com/users/${id}`, { method: 'PATCH', body: JSON.stringify({ name }) });
}

// got.post without a key: not idempotent (got itself retries only idempotent methods)
export async function notify(event: object) {
  await got.post('https://hooks.example.com/events', { json: event, timeout: { request: 6000 } });
}
