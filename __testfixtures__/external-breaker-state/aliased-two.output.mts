import { ConsecutiveBreaker, circuitBreaker as cb, handleAll } from 'cockatiel';
import { getParameter, setParameter } from '@aws-lambda-powertools/parameters/ssm';

// Breaker state shared by every Lambda instance through SSM (cockatiel toJSON/initialState);
// the breaker-force-close workflow writes the same parameters.
async function loadBreakerState(name: string): Promise<unknown> {
  try {
    return await getParameter(`/resilience/breakers/${name}`, { transform: 'json', maxAge: 30 });
  } catch {
    // intended: no stored state yet, or SSM unreachable: the breaker starts closed, as before
    return undefined;
  }
}

function storeBreakerState(name: string, breaker: { toJSON(): unknown }): void {
  setParameter(`/resilience/breakers/${name}`, { value: JSON.stringify(breaker.toJSON()), overwrite: true }).catch(() => {
    // intended: storing is best effort, the breaker keeps working from memory
  });
}

const inventoryCircuitBreaker = cb(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(2), initialState: await loadBreakerState('inventory') });
inventoryCircuitBreaker.onStateChange(() => storeBreakerState('inventory', inventoryCircuitBreaker));
export const tax_breaker = cb(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(2), initialState: await loadBreakerState('tax') });
tax_breaker.onStateChange(() => storeBreakerState('tax', tax_breaker));
const notABreaker = getParameter('/x');

export const run = () => inventoryCircuitBreaker.execute(() => notABreaker);
