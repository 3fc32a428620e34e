import { policyFor } from './resilience/policies';
import got from 'got';

export async function notify(event) {
  try {
    await policyFor('hooks.example.com', { idempotent: false, maxAttempts: 3, initialDelayMs: 250 }).execute(({ signal }) => got.post('https://hooks.example.com/events', { json: event, timeout: { request: 6000 }, signal }));
  } catch (err) {
    console.error('giving up on the hook', err);
    throw err;
  }
}
