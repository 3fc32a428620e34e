import axios from 'axios';

const inventory = axios.create({ baseURL: 'https://inventory.example.com', timeout: 6000 });

/** Reads the stock of a SKU; the inventory service restarts nightly. */
export async function stock(sku: string): Promise<number> {
  let lastError: unknown;
  // three tries, a second apart, ride out a restart
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // the service answers { available } for a known SKU
      const { data } = await inventory.get<{ available: number }>(`/stock/${sku}`);
      return data.available; // zero is a valid answer
    } catch (err) {
      // keep the last failure for the error below
      lastError = err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  throw new Error(`stock of ${sku} unavailable`, { cause: lastError });
}
