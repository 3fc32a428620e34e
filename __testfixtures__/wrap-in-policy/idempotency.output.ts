import axios from 'axios';
import got from 'got';
import { policyFor } from './resilience/policies';
import { randomUUID } from 'node:crypto';

const payments = axios.create({ baseURL: 'https://payments.example.com', timeout: 6000 });

// a key every attempt sends: retried
export async function charge(orderId: string, amountCents: number) {
  const { data } = await policyFor('payments-api').execute(({ signal }) => payments.post('/charges', { amountCents }, { headers: { 'Idempotency-Key': orderId }, signal }));
  return data;
}

// a key made inside the call would change on every attempt: it moves out, before the retries
export async function refund(chargeId: string) {
  // made once per call, before the retries: every attempt sends the same key
  const idempotencyKey = randomUUID();

  await policyFor('payments-api').execute(({ signal }) => payments.post(`/charges/${chargeId}/refunds`, {}, { headers: { 'Idempotency-Key': idempotencyKey }, signal }));
}

// no key: never retried
export async function capture(chargeId: string) {
  await policyFor('payments-api', { idempotent: false }).execute(({ signal }) => payments.request({ method: 'post', url: `/charges/${chargeId}/capture`, signal }));
}

// a GET through request(): retried
export async function status(chargeId: string) {
  return (await policyFor('payments-api').execute(({ signal }) => payments.request({ method: 'get', url: `/charges/${chargeId}`, signal }))).data;
}

// PATCH in fetch's options: not idempotent
export async function rename(id: string, name: string) {
  await policyFor('users.example.com', { idempotent: false }).execute(({ signal }) => fetch(`https://users.example.com/users/${id}`, { method: 'PATCH', body: JSON.stringify({ name }), signal }));
}

// got.post without a key: not idempotent (got itself retries only idempotent methods)
export async function notify(event: object) {
  await policyFor('hooks.example.com', { idempotent: false }).execute(({ signal }) => got.post('https://hooks.example.com/events', { json: event, timeout: { request: 6000 }, signal }));
}
