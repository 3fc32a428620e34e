import type { FixStep } from '../api/fix-context';
import type { FixStepMeta } from '../api/step-metadata';
import type { CodeDetector } from '../detect/detector-api';
import { detectorModules, fixStepModules } from './rule-modules';
import { orderSteps } from './step-order';

/*
 * The registry: the code detectors and the fix steps, each declaring the catalog rule ids it
 * reports or fixes (the rule id is the join key with config/anti-patterns.yaml). The engine,
 * the scan and the planner read rules and steps from here and name none of them.
 */

/** Every code detector; they share one parse and one traversal per file. */
export const codeDetectors: readonly CodeDetector[] = detectorModules;

/** A fix step in the order the engine runs it. */
export interface RegisteredStep {
  name: string;
  step: FixStep;
  phase: FixStepMeta['phase'];
  /** the steps whose modules it imports (see FixStepMeta.requires) */
  requires: readonly string[];
  meta: FixStepMeta;
}

/** The code fix steps in the order a file's chosen steps run on its one AST (derived from their metadata). */
export const CODE_FIX_STEPS: readonly RegisteredStep[] = orderSteps(fixStepModules).map((m) => ({
  name: m.step.name,
  step: m.fix,
  phase: m.step.phase,
  requires: m.step.requires,
  meta: m.step,
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
