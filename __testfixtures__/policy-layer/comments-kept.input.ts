// Pricing service entry point.
/* The policy layer adds no code here: it only creates resilience/policies. */
import got from 'got';

export async function price(sku: string): Promise<number> {
  // prices are cached upstream for a minute
  return got(`https://prices.example.com/${sku}`).json<number>();
}
