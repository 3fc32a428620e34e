import type { FixStep } from '../api/fix-context';
import { fix as addHealthRoutes } from '../../transforms/add-health-routes';
import { fix as addTimeout } from '../../transforms/add-timeout';
import { fix as consoleToLogger } from '../../transforms/console-to-logger';
import { fix as errorTaxonomy } from '../../transforms/error-taxonomy';
import { fix as externalBreakerState } from '../../transforms/external-breaker-state';
import { fix as forwardRouteErrors } from '../../transforms/forward-route-errors';
import { fix as idempotentHandler } from '../../transforms/idempotent-handler';
import { fix as gracefulShutdown } from '../../transforms/graceful-shutdown';
import { fix as infraFailureStatus } from '../../transforms/infra-failure-status';
import { fix as policyLayer } from '../../transforms/policy-layer';
import { fix as replaceRetryLoop } from '../../transforms/replace-retry-loop';
import { fix as swallowedCatch } from '../../transforms/swallowed-catch';
import { fix as wrapInPolicy } from '../../transforms/wrap-in-policy';

/**
 * The code fix steps in the spec's implementation order (4.1 error taxonomy, 4.2 policy
 * layer, 4.3 wrap each dependency). A file's chosen steps run in this order on one AST.
 * `after` names the steps a step needs: the planner refuses one without its prerequisites.
 */
export const CODE_FIX_STEPS: ReadonlyArray<{ name: string; step: FixStep; phase: string; after: string[] }> = [
  { name: 'error-taxonomy', step: errorTaxonomy, phase: '4.1', after: [] },
  { name: 'swallowed-catch', step: swallowedCatch, phase: '4.1', after: ['error-taxonomy'] },
  { name: 'infra-failure-status', step: infraFailureStatus, phase: '4.1', after: ['error-taxonomy'] },
  // an Express 4 route that would crash on a rejection passes it to next(err) and a 503 error handler
  { name: 'forward-route-errors', step: forwardRouteErrors, phase: '4.1', after: ['error-taxonomy'] },
  { name: 'policy-layer', step: policyLayer, phase: '4.2', after: ['error-taxonomy'] },
  { name: 'external-breaker-state', step: externalBreakerState, phase: '4.2', after: [] },
  // before wrapping: a call inside a hand-written retry loop is wrapped by replacing the loop, never inside it
  { name: 'replace-retry-loop', step: replaceRetryLoop, phase: '4.3', after: ['policy-layer'] },
  { name: 'wrap-in-policy', step: wrapInPolicy, phase: '4.3', after: ['policy-layer'] },
  // after wrapping: add-timeout edits the call in place, wrap-in-policy needs its original position
  { name: 'add-timeout', step: addTimeout, phase: '4.3', after: [] },
  { name: 'idempotent-handler', step: idempotentHandler, phase: '4.3', after: [] },
  { name: 'console-to-logger', step: consoleToLogger, phase: '4.3', after: [] },
  { name: 'add-health-routes', step: addHealthRoutes, phase: '4.5', after: [] },
  // after the probes: the shutdown handler flips their `ready` flag when it is in the same block
  { name: 'graceful-shutdown', step: gracefulShutdown, phase: '4.5', after: [] },
];

export const CODE_TRANSFORMS = new Set(CODE_FIX_STEPS.map((s) => s.name));
