import { BrokenCircuitError, ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import { readJson } from '../util/parse';

export interface StockLevel {
  sku: string;
  available: number;
  warehouse: string;
}

const INVENTORY_URL = process.env.INVENTORY_URL ?? 'http://inventory.internal:8080';

// The API server is a long-lived process, so this breaker's memory is shared by every request.
const inventoryBreaker = circuitBreaker(handleAll, {
  halfOpenAfter: 15_000,
  breaker: new ConsecutiveBreaker(5),
});

export async function getStock(sku: string): Promise<StockLevel> {
  const url = `${INVENTORY_URL}/stock/${encodeURIComponent(sku)}`;
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await inventoryBreaker.execute(async () => {
        const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
        if (!res.ok) throw new Error(`inventory answered ${res.status}`);
        return readJson<StockLevel>(res);
      });
    } catch (err) {
      if (err instanceof BrokenCircuitError) throw err;
      lastError = err;
      if (attempt < 3) {
        // Full jitter keeps the instances from retrying in step.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 100 * 2 ** attempt));
      }
    }
  }
  throw new Error(`inventory unavailable for ${sku}`, { cause: lastError });
}
