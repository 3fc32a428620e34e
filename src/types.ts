/**
 * Plain, serialisable data that flows between the pipeline's stages. The bottom layer: every
 * stage imports these types, so this module imports only other type-only leaves.
 */
import type { DependencyCategory, Discovery } from './discovery/discovery-types';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

export interface DependencyRef {
  /** Human name, e.g. "DynamoDB", "payments API (axios instance paymentsClient)". */
  name: string;
  category: DependencyCategory;
}

/** A finding as a detector or an IaC check reports it, before the catalog gives it a severity and the run filters it. */
export interface RawFinding {
  ruleId: string;
  /** 1-based */
  line: number;
  /** 1-based */
  column: number;
  endLine: number;
  endColumn: number;
  /** the detector's message id; internal (no report shows it), absent for IaC findings */
  messageId?: string;
  message: string;
  dependency?: DependencyRef;
  /** Detector hints for the fix (plain JSON), e.g. { client: 'axios', form: 'instance' }. */
  data?: Record<string, unknown>;
}

/** A raw finding with the file it is in: the IaC checks report over all the files of a scan at once. */
export interface IacFinding extends RawFinding {
  /** posix path relative to the scan root */
  file: string;
}

export interface Finding extends RawFinding {
  severity: Severity;
  /** posix path relative to the scan root */
  file: string;
  /**
   * From the scan: the rule has a transform and the detector saw no reason against it (a
   * candidate). Settled by the fix engine (src/engine/fixability.ts): true exactly when the
   * computed fix changes it; every text that promises a fix reads the settled flag.
   */
  fixable: boolean;
  /** the monorepo workspace package holding the file, when the root has workspaces */
  package?: string;
}

export interface SuppressedFinding extends Finding {
  reason: string;
}

/** A file the scan could not read or parse, skipped on purpose, or a suppression comment to correct. */
export interface FileNote {
  file: string;
  kind: 'parse-error' | 'unreadable' | 'skipped' | 'suppression';
  message: string;
  line?: number;
  column?: number;
}

export interface ScanResult {
  root: string;
  discovery: Discovery;
  findings: Finding[];
  suppressed: SuppressedFinding[];
  notes: FileNote[];
  filesScanned: number;
  /**
   * code and IaC files the walk found under the given paths before --package, --shard and
   * --changed-since chose among them: 0 means nothing matched (a usage error for the CLI)
   */
  filesFound?: number;
  /** the IaC files the scan read (not part of any report; the review and plan documents read their facts) */
  iacFiles?: IacInputFile[];
  /** every file walked (posix, relative to the root): evidence such as redrive scripts */
  repoFiles?: string[];
  /** the IaC's reliability settings, read with the IaC models (review and plan documents) */
  reliability?: import('./iac/reliability/facts-types').ReliabilityFacts;
}

/** An IaC file the scan read: serverless.yml, a SAM/CloudFormation template, a CDK stack. */
export interface IacInputFile {
  /** posix, relative to the root */
  path: string;
  absPath: string;
  text: string;
}

/** A change the fix engine would make to one file, or a file it would create. */
export interface FileChange {
  /** posix path relative to the root */
  file: string;
  kind: 'modify' | 'create';
  before: string;
  after: string;
  /** rule ids whose findings this change fixes */
  fixes: string[];
}
