import { CircuitState, ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';

// a TypeScript file of a CommonJS package: left, with the steps to take
export const paymentsBreaker = circuitBreaker(handleAll, {
  halfOpenAfter: 10_000,
  breaker: new ConsecutiveBreaker(5),
});

paymentsBreaker.onStateChange((state) => {
  console.log(`payments circuit is now ${CircuitState[state]}`);
});
