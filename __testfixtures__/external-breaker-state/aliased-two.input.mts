import { ConsecutiveBreaker, circuitBreaker as cb, handleAll } from 'cockatiel';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';

const inventoryCircuitBreaker = cb(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(2) });
export const tax_breaker = cb(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(2) });
const notABreaker = getParameter('/x');

export const run = () => inventoryCircuitBreaker.execute(() => notABreaker);
