import { usePolicyModules } from './lib/policy-modules';
import { toJscodeshiftTransform } from './lib/transform-api';
import type { FixStep } from '../src/api/fix-context';
import type { FixStepMeta } from '../src/api/step-metadata';

export const step: FixStepMeta = {
  name: 'policy-layer',
  phase: '4.2',
  fixes: [],
  requires: ['error-taxonomy'],
};

/**
 * Policy layer (spec phase 4.2): makes the generated `resilience/policies` module available to
 * the package of a file, with the `errors` and `logger` modules it imports. `policyFor(name)`
 * there composes cockatiel retry, circuit breaker and timeout per dependency. No catalog rule
 * of its own: it is the prerequisite of wrap-in-policy (rules no-retry, no-circuit-breaker).
 * It changes no code, so it returns false and its fixtures are byte-identical pairs.
 */
export const fix: FixStep = (ctx) => {
  usePolicyModules(ctx);
  return false;
};

export default toJscodeshiftTransform(fix);
