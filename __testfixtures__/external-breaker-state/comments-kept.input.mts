// Outbound calls to the carrier.
import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';

/** Opens after three failures in a row. */
export const carrierBreaker = circuitBreaker(handleAll, {
  // the carrier recovers within seconds
  halfOpenAfter: 5_000,
  breaker: new ConsecutiveBreaker(3), // three strikes
});

// trailing note
