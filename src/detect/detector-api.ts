import type { File, Node } from '@babel/types';
import type { ImportIndex } from '../parse/imports';
import type { Visitors } from '../parse/walk';
import type { DependencyRef } from '../types';
import type { ResolvedConfig } from '../config/config-schema';
import type { LambdaHandler } from '../discovery/discovery-types';
import type { CallSiteFact } from '../contract-types';

/** What every code detector sees of the file it is visiting. */
export interface SourceFile {
  /** posix path relative to the scan root */
  path: string;
  absPath: string;
  text: string;
  lang: 'ts' | 'tsx' | 'js';
}

/** Facts known before any code file is parsed (from IaC and package.json). */
export interface ProjectFacts {
  root: string;
  config: ResolvedConfig;
  /** handlers declared in IaC, by source file */
  iacHandlers: Map<string, LambdaHandler[]>;
  /** the project deploys to Lambda (IaC or dependencies say so) */
  usesLambda: boolean;
  /**
   * the project deploys only as a Heroku web dyno (Procfile `web:` or Heroku buildpack settings,
   * no container, orchestrator or IaC definition): its router has no health probe to answer
   */
  herokuOnly?: boolean;
  /** npm dependency names of the nearest package.json(s) */
  packageDependencies: Set<string>;
  /** every package.json under the root, with its declared dependency ranges (nearest one wins for a file) */
  manifests?: PackageManifest[];
}

/** A package.json of the scanned tree: its folder and the dependencies it declares, with their ranges. */
export interface PackageManifest {
  /** posix, relative to the root ('' for the root itself) */
  dir: string;
  dependencies: Record<string, string>;
  /** the modules it exposes to other packages (main, module, exports), relative to `dir`, without extension */
  entries?: string[];
  /** the source files its npm scripts run with node, ts-node, tsx or babel-node (posix, relative to the root) */
  scriptFiles?: string[];
}

export interface Report {
  ruleId: string;
  node: Node;
  /**
   * Which of the detector's message shapes this is, a stable camelCase id (like an ESLint
   * rule's `messageId`): tests assert on it instead of the wording. Internal: the reports
   * (JSON, SARIF, text) do not show it.
   */
  messageId: string;
  /** the "what": one short sentence naming the offending code; the catalog adds impact and fix */
  message: string;
  dependency?: DependencyRef;
  /**
   * Plain JSON hints for the fix. Reserved key `scope: 'lambda'` keeps the finding only when
   * the file runs in Lambda (a handler file or a module a handler imports).
   */
  data?: Record<string, unknown>;
  /** end position override, when the node is larger than the offending part */
  endNode?: Node;
}

/** Facts a detector may record about a file for discovery and the playbook. */
export interface FileFacts {
  frameworks: Set<string>;
  /** relative module specifiers imported by this file (for the Lambda import closure) */
  relativeImports: Set<string>;
  /** exported functions that look like Lambda handlers, with the trigger their type says */
  handlerExports: Map<string, string>;
  dependencies: Array<{
    name: string;
    category: DependencyRef['category'];
    module: string;
    timeout: boolean;
    retry: boolean;
    breaker: boolean;
  }>;
  resilienceLibraries: Set<string>;
  /** calls of (and references to) project functions, for the callers of a changed contract; absent when not collected */
  calls?: CallSiteFact[];
  /** functions imported from project modules (relative specifier, export name) that this file calls through a circuit breaker */
  breakerWrapped?: Array<{ source: string; name: string }>;
  /** the file answers a health or readiness route (or imports a health library) */
  servesProbe?: boolean;
  /** handler exports that do nothing but log (an event lost on them loses a log line) */
  logOnlyExports?: string[];
}

export interface DetectorContext {
  file: SourceFile;
  ast: File;
  imports: ImportIndex;
  project: ProjectFacts;
  facts: FileFacts;
  report(r: Report): void;
}

/**
 * A code detector: a family of rules, like an ESLint rule module. `triggers` is the text
 * pre-filter (a file matching none of them is not visited by this detector): the text without
 * which the detector cannot report, as plain substrings or, where a substring would match
 * nearly every file, as regular expressions. `create` returns visitors for the single shared
 * traversal of the file.
 */
export interface CodeDetector {
  name: string;
  ruleIds: readonly string[];
  triggers: ReadonlyArray<string | RegExp>;
  /**
   * The project facts this detector records (frameworks, handlers, dependencies, libraries).
   * Discovery and the Lambda closure need them whatever rules are chosen, so a detector that
   * records facts runs even when `--only`/`--skip` leave none of its rules (its findings are dropped).
   */
  records?: ReadonlyArray<Exclude<keyof FileFacts, 'relativeImports'>>;
  create(ctx: DetectorContext): Visitors;
}
