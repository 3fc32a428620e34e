import type { ResolvedConfig } from '../config/config-schema';
import type { LambdaHandler } from '../discovery/discovery-types';
import { isDlq, type CheckInput } from './checks/check-context';
import { IAC_CHECKS } from './checks/iac-checks';
import { iacFileKind } from './iac-files';
import type { IacModel } from './iac-model';
import { readIac } from './reliability-facts';
import type { ReliabilityFacts } from './reliability/facts-types';
import type { FileNote, IacFinding, IacInputFile } from '../types';

export interface IacScanResult {
  findings: IacFinding[];
  handlers: LambdaHandler[];
  kinds: string[];
  notes: FileNote[];
  /** what the scan found, for the operational workflows (names when literal, else logical ids) */
  resources?: { dlqs: string[]; buses: string[]; archives: string[] };
  /** the reliability settings read from the same models (the review and plan documents) */
  facts?: ReliabilityFacts;
}

/** Cheap text test, before any parse: serverless.yml, CFN/SAM templates, CDK stacks, Terraform, SST. */
export function isIacCandidate(path: string, text: string): boolean {
  return iacFileKind(path, text) !== null;
}

function bySpot(a: IacFinding, b: IacFinding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId);
}

/** The IaC models of the files (serverless, SAM/CloudFormation, CDK); unreadable files are left out. */
export function readIacModels(files: IacInputFile[], repoFiles: readonly string[]): IacModel[] {
  return readIac(files, new Set(repoFiles)).models;
}

export function scanIac(
  files: IacInputFile[],
  ctx: { root: string; config: ResolvedConfig; repoFiles: string[] },
): IacScanResult {
  const { models, facts, notes, kinds } = readIac(files, new Set(ctx.repoFiles));
  const input: CheckInput = {
    models,
    facts,
    root: ctx.root,
    repoFiles: ctx.repoFiles,
    streamFailureRefs: new Set(models.flatMap((m) => m.streamFailureRefs)),
    config: ctx.config,
  };
  const findings = IAC_CHECKS.flatMap((check) => check.run(input)).sort(bySpot);
  const dlqs = models
    .flatMap((m) => m.queues)
    .filter(isDlq)
    .map((q) => q.name ?? q.id);
  const resources = {
    dlqs: [...new Set(dlqs)],
    buses: [...new Set(models.flatMap((m) => m.buses.map((b) => b.name ?? b.id)))],
    archives: [...new Set(models.flatMap((m) => m.archives.map((a) => a.id)))],
  };
  return { findings, handlers: models.flatMap((m) => m.handlers), kinds: [...kinds].sort(), notes, resources, facts };
}
