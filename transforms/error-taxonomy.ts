import { toJscodeshiftTransform } from './lib/transform-api';
import type { FixStep } from '../src/api/fix-context';
import type { FixStepMeta } from '../src/api/step-metadata';

export const step: FixStepMeta = {
  name: 'error-taxonomy',
  phase: '4.1',
  fixes: [],
  requires: [],
  // the rewrites that import the errors module record it as this step's need
  runsWithDependents: true,
};

/**
 * Error taxonomy (spec phase 4.1, first step of implement mode): makes the generated
 * `resilience/errors` module (TransientError, DependencyDownError, PermanentError, classify,
 * isInfraFailure, httpStatusFor) available to the package of a file. It changes no code, so it
 * always returns false and its fixtures are byte-identical pairs: the engine runs it for files
 * with error-handling findings and creates the module once; standalone it requests the module
 * for every file, and `toJscodeshiftTransform` creates it when missing (never overwritten).
 * The rewrites that use the module are swallowed-catch and infra-failure-status.
 */
export const fix: FixStep = (ctx) => {
  if (ctx.findings === undefined || ctx.findings.length > 0) ctx.useModule('errors');
  return false;
};

export default toJscodeshiftTransform(fix);
