import { classify, isInfraFailure } from '../resilience/errors';
export interface Stock {
  sku: string;
  available: number;
}

const STOCK_URL = process.env.STOCK_URL ?? 'http://stock.internal';

/** The stock level of a SKU, or null when the warehouse does not know it. */
export async function getStock(sku: string): Promise<Stock | null> {
  try {
    const res = await fetch(`${STOCK_URL}/stock/${encodeURIComponent(sku)}`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) throw Object.assign(new Error(`stock answered ${res.status}`), { status: res.status });
    return (await res.json()) as Stock;
  } catch (err) {
    console.error('stock lookup failed', err);
    if (isInfraFailure(err)) {
      throw classify(err);
    }
    return null;
  }
}
