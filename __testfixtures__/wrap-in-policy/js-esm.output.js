import got from 'got';
import { policyFor } from './resilience/policies';
import axios from 'axios';

export async function lookup(sku) {
  return policyFor('inventory.example.com', { retry: false }).execute(({ signal }) => got.get(`https://inventory.example.com/items/${sku}`, { signal }).json());
}

export const notify = async (message) => {
  await policyFor('hooks.example.com', { idempotent: false }).execute(({ signal }) => axios.post('https://hooks.example.com/notify', { message }, { signal }));
};
