import axios from 'axios';
import { policyFor } from './resilience/policies';

export async function rates(): Promise<unknown> {
  const { data } = await policyFor('fx-api').execute(({ signal }) => axios.get('https://fx.example.com/rates', { signal }));
  return data;
}

// bounded and jittered: not a finding, left as it is
export async function quote(id: string): Promise<unknown> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return (await axios.get(`https://fx.example.com/quotes/${id}`, { timeout: 6000 })).data;
    } catch (err) {
      if (attempt === 3) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 100 * 2 ** attempt));
    }
  }
  throw new Error('unreachable');
}
