import type { FixStep } from '../api/fix-context';
import type { FixStepMeta, FixStepModule } from '../api/step-metadata';
import { fixStepModules } from './fix-step-modules';
import { orderSteps } from './step-order';

/*
 * The registry of fix steps, each declaring the catalog rule ids it fixes and its step metadata
 * (the rule id is the join key with config/anti-patterns.yaml; detectors are in ./detectors).
 * The engine and the planner read steps from here and name none of them.
 */

/** A fix step in the order the engine runs it. */
export interface RegisteredStep {
  name: string;
  step: FixStep;
  phase: FixStepMeta['phase'];
  /** the steps whose modules it imports (see FixStepMeta.requires) */
  requires: readonly string[];
  meta: FixStepMeta;
  /** the step as a standalone jscodeshift transform (its module's default export) */
  transform: FixStepModule['default'];
}

/** The code fix steps in the order a file's chosen steps run on its one AST (derived from their metadata). */
export const CODE_FIX_STEPS: readonly RegisteredStep[] = orderSteps(fixStepModules).map((m) => ({
  name: m.step.name,
  step: m.fix,
  phase: m.step.phase,
  requires: m.step.requires,
  meta: m.step,
  transform: m.default,
}));

const byName = new Map(CODE_FIX_STEPS.map((s) => [s.name, s]));

/** The fix step of that name (a catalog `transform:` value), or undefined for IaC fix families. */
export function codeFixStep(name: string): RegisteredStep | undefined {
  return byName.get(name);
}

/** Whether a catalog `transform:` value names a code fix step. */
export function isCodeFixStep(name: string): boolean {
  return byName.has(name);
}
