import { policyFor, throwOnTransientStatus } from './resilience/policies';
export interface Tracking {
  status: string;
}

const SHIPPING_URL = process.env.SHIPPING_URL ?? 'https://api.shipping.example.com';

export async function getTracking(orderId: string): Promise<Tracking> {
  const url = `${SHIPPING_URL}/v2/shipments?reference=${encodeURIComponent(orderId)}`;
  let lastError: unknown;
  try {
    return await policyFor('shipping-api', { maxAttempts: 2, initialDelayMs: 500 }).execute(async ({ signal }) => {
      const res = throwOnTransientStatus(await fetch(url, { signal: AbortSignal.any([AbortSignal.timeout(6000), signal]) }));
      if (!res.ok) throw new Error(`shipping API answered ${res.status}`);
      return (await res.json()) as Tracking;
    });
  } catch (err) {
    lastError = err;
  }
  throw new Error(`tracking unavailable for order ${orderId}`, { cause: lastError });
}
