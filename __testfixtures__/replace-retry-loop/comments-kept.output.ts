import { policyFor } from './resilience/policies';
import axios from 'axios';

const inventory = axios.create({ baseURL: 'https://inventory.example.com', timeout: 6000 });

/** Reads the stock of a SKU; the inventory service restarts nightly. */
export async function stock(sku: string): Promise<number> {
  let lastError: unknown;
  // three tries, a second apart, ride out a restart
  try {
    // the service answers { available } for a known SKU
    const { data } = await policyFor('inventory-api', { maxAttempts: 2, initialDelayMs: 1000 }).execute(({ signal }) => inventory.get<{ available: number }>(`/stock/${sku}`, { signal }));
    return data.available; // zero is a valid answer
  } catch (err) {
    // keep the last failure for the error below
    lastError = err;
  }
  throw new Error(`stock of ${sku} unavailable`, { cause: lastError });
}
