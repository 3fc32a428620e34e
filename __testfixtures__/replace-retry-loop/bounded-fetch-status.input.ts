export interface Tracking {
  status: string;
}

const SHIPPING_URL = process.env.SHIPPING_URL ?? 'https://api.shipping.example.com';

export async function getTracking(orderId: string): Promise<Tracking> {
  const url = `${SHIPPING_URL}/v2/shipments?reference=${encodeURIComponent(orderId)}`;
  let lastError: unknown;
  for (let i = 0; i < 3; i++) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(6000) });
      if (!res.ok) throw new Error(`shipping API answered ${res.status}`);
      return (await res.json()) as Tracking;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`tracking unavailable for order ${orderId}`, { cause: lastError });
}
