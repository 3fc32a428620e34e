import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';

export const paymentsBreaker = circuitBreaker(handleAll, {
  halfOpenAfter: 10_000,
  breaker: new ConsecutiveBreaker(5),
  initialState: await getParameter('/resilience/breakers/payments', { transform: 'json', maxAge: 30 }),
});
