import axios from 'axios';
import { policyFor } from './resilience/policies';

export async function charge(amount: number) {
  return policyFor('payments-api').execute(({ signal }) => axios.post('https://payments.example.com/charges', { amount }, { signal }));
}

export function legacy(): Promise<unknown> {
  // a .then chain is not awaited: left for a person to wrap
  return axios.get('https://legacy.example.com/items').then((r) => r.data);
}
