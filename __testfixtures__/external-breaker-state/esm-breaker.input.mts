import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';

export const paymentsBreaker = circuitBreaker(handleAll, {
  halfOpenAfter: 10_000,
  breaker: new ConsecutiveBreaker(5),
});

export async function capture(id: string): Promise<string> {
  return paymentsBreaker.execute(async () => id);
}
