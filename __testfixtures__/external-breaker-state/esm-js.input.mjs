import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';

const ledgerBreaker = circuitBreaker(handleAll, { halfOpenAfter: 5000, breaker: new ConsecutiveBreaker(3) });

export function post(entry) {
  return ledgerBreaker.execute(() => fetch('https://ledger.internal/entries', { method: 'POST', body: JSON.stringify(entry) }));
}
