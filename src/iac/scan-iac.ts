import { finishFacts, readYamlFacts, type ReliabilityFacts } from './reliability-facts';
import { readCdkFacts } from './reliability/cdk-facts';
import { emptyFacts } from './reliability/facts-types';
import { checkApiTimeoutAndTtl } from './checks/api-timeout-and-ttl';
import type { ResolvedConfig } from '../config/config-schema';
import type { LambdaHandler } from '../discovery/discovery-types';
import { readCdk } from './cdk-model';
import { isDlq, type CheckInput } from './checks/check-context';
import { checkConcurrency } from './checks/concurrency';
import { checkDlqAlarm } from './checks/dlq-alarm';
import { checkDlqRedrive, hasRedriveProcedure, repositoryRedriveWorkflows } from './checks/dlq-redrive';
import { checkEventReplay } from './checks/event-replay';
import { checkNoDlq } from './checks/no-dlq';
import type { IacModel } from './iac-model';
import { iacFileKind } from './iac-files';
import { generatedTemplateReason } from '../files/artifacts';
import { parseYaml } from './yaml-tags';
import { YamlReader } from './yaml-nodes';
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

type ReadOutcome = { model: IacModel } | { note: FileNote } | { kind: string; note?: FileNote } | null;

function readFile(file: IacInputFile, repoFiles: ReadonlySet<string>, facts: ReliabilityFacts): ReadOutcome {
  const kind = iacFileKind(file.path, file.text);
  if (kind === 'terraform' || kind === 'sst') {
    return {
      kind,
      note: {
        file: file.path,
        kind: 'skipped',
        message: `${kind === 'sst' ? 'SST' : 'Terraform'} is recognised but not checked`,
      },
    };
  }
  if (kind === 'cdk') {
    const read = readCdk(file, repoFiles);
    if ('model' in read) readCdkFacts(file, repoFiles, facts);
    return read;
  }
  if (kind === null) return null;
  const artifact = generatedTemplateReason(file.path, file.text);
  if (artifact)
    return {
      note: { file: file.path, kind: 'skipped', message: `generated artifact, not checked or edited: ${artifact}` },
    };
  const parsed = parseYaml(file.text);
  if (!parsed.ok) {
    return {
      note: {
        file: file.path,
        kind: 'parse-error',
        message: parsed.message,
        ...(parsed.line ? { line: parsed.line } : {}),
      },
    };
  }
  const r = new YamlReader(parsed.parsed.doc, parsed.parsed.lines);
  return { model: readYamlFacts(r, file, kind, repoFiles, facts) };
}

function bySpot(a: IacFinding, b: IacFinding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId);
}

/** The IaC models of the files (serverless, SAM/CloudFormation, CDK); unreadable files are left out. */
export function readIacModels(files: IacInputFile[], repoFiles: readonly string[]): IacModel[] {
  return readModels(files, new Set(repoFiles), emptyFacts()).models;
}

function readModels(
  files: IacInputFile[],
  repo: ReadonlySet<string>,
  facts: ReliabilityFacts,
): { models: IacModel[]; notes: FileNote[]; kinds: Set<string> } {
  const models: IacModel[] = [];
  const notes: FileNote[] = [];
  const kinds = new Set<string>();
  for (const f of files) {
    let outcome: ReadOutcome;
    try {
      outcome = readFile(f, repo, facts);
    } catch (err) {
      outcome = {
        note: { file: f.path, kind: 'parse-error', message: `could not read the template: ${(err as Error).message}` },
      };
    }
    if (!outcome) continue;
    if ('model' in outcome) {
      models.push(outcome.model);
      kinds.add(outcome.model.kind);
      facts.files.push(f.path);
    } else {
      if ('kind' in outcome) kinds.add(outcome.kind);
      if (outcome.note) notes.push(outcome.note);
    }
  }
  return { models, notes, kinds };
}

export function scanIac(
  files: IacInputFile[],
  ctx: { root: string; config: ResolvedConfig; repoFiles: string[] },
): IacScanResult {
  const facts = emptyFacts();
  const { models, notes, kinds } = readModels(files, new Set(ctx.repoFiles), facts);
  const anyDlq = models.some((m) => m.dlqRefs.length > 0);
  const input: CheckInput = {
    models,
    dlqRefs: new Set(models.flatMap((m) => m.dlqRefs)),
    streamFailureRefs: new Set(models.flatMap((m) => m.streamFailureRefs)),
    hasRedriveProcedure: anyDlq ? hasRedriveProcedure(ctx.root, ctx.repoFiles) : false,
    redriveWorkflows: anyDlq ? repositoryRedriveWorkflows(ctx.root) : [],
    config: ctx.config,
  };
  const findings = [
    ...checkNoDlq(input),
    ...checkDlqAlarm(input),
    ...checkDlqRedrive(input),
    ...checkEventReplay(input),
    ...checkConcurrency(input),
    ...checkApiTimeoutAndTtl(finishFacts(facts, models)),
  ].sort(bySpot);
  const dlqs = models
    .flatMap((m) => m.queues)
    .filter((q) => isDlq(input, q))
    .map((q) => q.name ?? q.id);
  const resources = {
    dlqs: [...new Set(dlqs)],
    buses: [...new Set(models.flatMap((m) => m.buses.map((b) => b.name ?? b.id)))],
    archives: [...new Set(models.flatMap((m) => m.archives.map((a) => a.id)))],
  };
  return { findings, handlers: models.flatMap((m) => m.handlers), kinds: [...kinds].sort(), notes, resources, facts };
}
