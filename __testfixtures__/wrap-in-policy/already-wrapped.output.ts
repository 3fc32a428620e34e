import axios from 'axios';
import { policyFor } from './resilience/policies';

export async function charge(amount: number) {
  return policyFor('payments-api').execute(({ signal }) => axios.post('https://payments.example.com/charges', { amount }, { signal }));
}
