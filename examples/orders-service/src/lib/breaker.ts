import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';

// Stop calling the payments API after five failures in a row; let one probe through after 10 s.
export const paymentsBreaker = circuitBreaker(handleAll, {
  halfOpenAfter: 10_000,
  breaker: new ConsecutiveBreaker(5),
});

paymentsBreaker.onStateChange((state) => {
  console.log(`payments circuit is now ${CircuitState[state]}`);
});
