import { getParameter, setParameter } from '@aws-lambda-powertools/parameters/ssm';
import { ConsecutiveBreaker, circuitBreaker, handleAll } from 'cockatiel';

// Breaker state shared by every Lambda instance through SSM (cockatiel toJSON/initialState);
// the breaker-force-close workflow writes the same parameters.
async function loadBreakerState(name) {
  try {
    return await getParameter(`/resilience/breakers/${name}`, { transform: 'json', maxAge: 30 });
  } catch {
    // intended: no stored state yet, or SSM unreachable: the breaker starts closed, as before
    return undefined;
  }
}

function storeBreakerState(name, breaker) {
  setParameter(`/resilience/breakers/${name}`, { value: JSON.stringify(breaker.toJSON()), overwrite: true }).catch(() => {
    // intended: storing is best effort, the breaker keeps working from memory
  });
}

const ledgerBreaker = circuitBreaker(handleAll, { halfOpenAfter: 5000, breaker: new ConsecutiveBreaker(3), initialState: await loadBreakerState('ledger') });

ledgerBreaker.onStateChange(() => storeBreakerState('ledger', ledgerBreaker));

export function post(entry) {
  return ledgerBreaker.execute(() => fetch('https://ledger.internal/entries', { method: 'POST', body: JSON.stringify(entry) }));
}
