import type { API, FileInfo, Options } from 'jscodeshift';
import type { Phase } from '../catalog/catalog';
import type { FixStep } from './fix-context';

/**
 * What a fix step says of itself, next to its code (`export const step` in transforms/<name>.ts).
 * The registry joins it to the catalog by rule id and derives the order in which the steps of
 * a file run on its one AST: phase by phase, within a phase as `runsAfter`/`runsBefore` and
 * `requires` say, ties by name. A constraint's reason is a comment beside it.
 */
export interface FixStepMeta {
  /** the step's name: its file name under transforms/, and the catalog's `transform:` value */
  name: string;
  /** the spec's implementation phase it belongs to */
  phase: Phase;
  /** the catalog rules it fixes; none for a step that only makes a module other steps import */
  fixes: readonly string[];
  /**
   * Steps whose generated modules this one imports: they run before it, the planner refuses it
   * without them and the engine drops it when one of them cannot be made.
   */
  requires: readonly string[];
  /** steps that must run before this one on a file's AST when both run (not prerequisites) */
  runsAfter?: readonly string[];
  /** steps that must run after this one on a file's AST when both run */
  runsBefore?: readonly string[];
  /**
   * A module step the engine runs on every file where a step that requires it runs, so that the
   * module is recorded as the prerequisite's own (the rewrites import it themselves as well).
   */
  runsWithDependents?: boolean;
}

/** A fix step module: its metadata, the step the engine runs, and the same step as a jscodeshift transform. */
export interface FixStepModule {
  step: FixStepMeta;
  fix: FixStep;
  /** `npx jscodeshift -t transforms/<name>.ts` runs this */
  default: (file: FileInfo, api: API, options: Options) => string | undefined;
}
