import type { Collection, JSCodeshift } from 'jscodeshift';
import type { ResolvedConfig } from '../config/config-schema';
import type { FindingRef } from '../contract-types';
import type { CallFacts, RetryLoopData } from '../rule-data/policy-rules';
import type { TimeoutData } from '../rule-data/timeout-rule';
import type { Finding } from '../types';

/*
 * The contract between the fix engine and the fix steps (types only): the engine builds a
 * FixContext per file and step, a step rewrites the file's one AST through it and records what
 * it needs. Engine and transforms both point here; neither imports the other's types.
 */

/** The shared modules a fix can generate into a package (`resilience/<name>`). */
export type GeneratedModuleKind = 'errors' | 'policies' | 'logger';

/** What the detectors learned about the code a step rewrites, by line (typed finding data). */
export interface FactSource {
  /** Facts of the dependency call starting at `line`, or null when no detector reported it. */
  callFacts(line: number): CallFacts | null;
  /** Data of the hand-written retry loop starting at `line`, or null. */
  retryLoopFacts(line: number): RetryLoopData | null;
  /** The dependency name the detectors gave the call at `line` (the policy key comes from it), or null. */
  dependencyAt(line: number): string | null;
  /** What no-timeout found of the client or call starting at `line`:`column` (1-based column), or null. */
  timeoutAt(line: number, column: number): TimeoutData | null;
}

/** A module a fix needs: created once, never overwriting a different file. */
export interface ModuleRequest {
  kind: GeneratedModuleKind;
  /** absolute path */
  file: string;
  content: string;
}

/**
 * What a fix step gets: the file's one recast AST and the engine's services. All the fix
 * steps chosen for a file run on the same `root`; the engine prints it once.
 */
export interface FixContext {
  j: JSCodeshift;
  root: Collection;
  /** absolute path of the file */
  file: string;
  config: ResolvedConfig;
  /**
   * The findings of this step's rule in this file, when the engine runs it (their `line` is in
   * the original source; untouched nodes keep their original `loc`). Undefined when the
   * transform runs standalone: then every match is fixed.
   */
  findings?: Finding[];
  /** Import specifier of a generated module from this file; records the module for creation. */
  useModule(kind: GeneratedModuleKind): string;
  /** Records an npm dependency the fixed code needs, added to the package.json of the code's deployable unit. */
  addDependency(name: string, range: string): void;
  /**
   * Declares infrastructure the fixed code needs (a table, a permission): the engine adds it to
   * the IaC of the function that runs this file, in the same run, or does not make the fix.
   */
  needInfra(need: InfraNeed): void;
  /** Records a finding this step could not fix safely, with the reason. */
  skip(line: number, reason: string): void;
  /**
   * Whether a finding of another rule (or file) is fixed in the same run: a fix that is safe only
   * together with it (a route that must stop crashing before its callee may reject) asks first,
   * then records the dependency with `dependsOn`. Always false when the transform runs alone.
   */
  willFix(ref: FindingRef): boolean;
  /** Records that this step's change of the file is safe only if `ref` is fixed too; the engine undoes the change otherwise. */
  dependsOn(ref: FindingRef, line: number): void;
  /** Records what the step chose for the code at `line` (e.g. how a call is retried), shown in the fix summary. */
  note(line: number, text: string): void;
  /** What the detectors learned about the calls and retry loops of this file, by line (typed finding data). */
  facts: FactSource;
}

/** Infrastructure a code fix needs beside its code. */
export type InfraNeed =
  /** Powertools idempotency: a table keyed on `id` with TTL on `expiration`, its name in `envVar`, read/write access, partial batch responses on the SQS event source */
  | { kind: 'idempotency-table'; exportName: string; envVar: string }
  /** read and write access to the SSM parameters under a path */
  | { kind: 'ssm-parameters'; pathPrefix: string };

/**
 * What a fix step needs beyond the file itself, each checked by the engine against the function
 * that runs the file (its runtime, its package, its IaC); `step` is set by the engine.
 */
export type FixNeed = (
  | { kind: 'dependency'; name: string; range: string }
  | { kind: 'generated-module'; module: GeneratedModuleKind; file: string }
  | { kind: 'infra'; infra: InfraNeed }
) & { step?: string };

/** Where the engine places generated modules for a file: inside the deployable unit that runs it. */
export interface ModulePlacement {
  /** absolute directory the generated `resilience/` modules go in */
  sourceRoot: string;
}

/** A fix step: rewrites `ctx.root` in place and returns whether anything changed. */
export type FixStep = (ctx: FixContext) => boolean;

export interface ServiceState {
  modules: Map<string, ModuleRequest>;
  dependencies: Map<string, string>;
  /** findings a step left on purpose; `step` is set by the engine to the step that skipped */
  skipped: Array<{ line: number; reason: string; step?: string }>;
  /** what steps chose, per line (see FixContext.note); `step` is set by the engine */
  notes?: Array<{ line: number; text: string; step?: string }>;
  /** findings of other rules this file's changes rely on (the engine checks they were fixed) */
  requires?: Array<FindingRef & { by: number }>;
  /** what the steps need beyond the file (dependencies, generated modules, infrastructure) */
  needs?: FixNeed[];
  /** set by the engine: the deployable unit's source root; else the nearest package's */
  placement?: ModulePlacement;
}

/** The engine's view of the run for a fix step: which other findings are fixed in it. */
export interface RunView {
  willFix(ref: FindingRef): boolean;
}
