import { getParameter, setParameter } from '@aws-lambda-powertools/parameters/ssm';
import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';

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

export const paymentsBreaker = circuitBreaker(handleAll, {
  halfOpenAfter: 10_000,
  breaker: new ConsecutiveBreaker(5),
  initialState: await loadBreakerState('payments'),
});

paymentsBreaker.onStateChange(() => storeBreakerState('payments', paymentsBreaker));

export async function capture(id: string): Promise<string> {
  return paymentsBreaker.execute(async () => id);
}
