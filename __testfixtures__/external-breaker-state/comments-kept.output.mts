import { getParameter, setParameter } from '@aws-lambda-powertools/parameters/ssm';
// Outbound calls to the carrier.
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

/** Opens after three failures in a row. */
export const carrierBreaker = circuitBreaker(handleAll, {
  // the carrier recovers within seconds
  halfOpenAfter: 5_000,
  breaker: new ConsecutiveBreaker(3), // three strikes
  initialState: await loadBreakerState('carrier'),
});

carrierBreaker.onStateChange(() => storeBreakerState('carrier', carrierBreaker));

// trailing note
