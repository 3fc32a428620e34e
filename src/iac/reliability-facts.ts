import path from 'node:path';
import type { Node } from 'yaml';
import { generatedTemplateReason } from '../files/artifacts';
import { readCdk } from './cdk-model';
import { iacFileKind } from './iac-files';
import type { IacModel } from './iac-model';
import { readCdkFacts } from './reliability/cdk-facts';
import { cfnResources, readCfnFacts } from './reliability/cfn-facts';
import { emptyFacts, type ReliabilityFacts } from './reliability/facts-types';
import { readServerlessFunctions, readTemplateFunctions } from './reliability/lambda-facts';
import { isSamTemplate, readTemplate } from './sam-model';
import type { FileNote, IacInputFile } from '../types';
import { readServerless } from './serverless-model';
import { serverlessScriptYaml, type SourceOrigin } from './serverless-script';
import { parseYaml } from './yaml-tags';
import { YamlReader } from './yaml-nodes';

/**
 * The IaC of a scan, read once: each file's model (functions, queues, sources, alarms…) and the
 * reliability facts of every file (databases, tables, buckets, networks…), the model's functions
 * and queues among them. The checks and the review and plan documents read this one result.
 */
export interface IacRead {
  models: IacModel[];
  facts: ReliabilityFacts;
  notes: FileNote[];
  /** the IaC kinds recognised, checked or not (Terraform and SST are recognised only) */
  kinds: Set<string>;
}

/** serverless `resources` is a map with `Resources`, or a list of such maps */
function serverlessResourceBlocks(r: YamlReader): Array<Node | undefined> {
  const resources = r.get(r.doc.contents, 'resources');
  return r.seq(resources)
    ? r.items(resources).map((item) => r.get(item, 'Resources'))
    : [r.get(resources, 'Resources')];
}

/** The model of a parsed serverless.yml / SAM / CloudFormation file, its reliability facts recorded on the way. */
function readYaml(
  r: YamlReader,
  file: IacInputFile,
  kind: 'serverless' | 'template',
  repoFiles: ReadonlySet<string>,
  facts: ReliabilityFacts,
): IacModel {
  const dir = path.posix.dirname(file.path);
  if (kind === 'serverless') {
    const model = readServerless({ r, file: file.path, dir, repoFiles });
    readServerlessFunctions(r, model, facts);
    const integrations = serverlessResourceBlocks(r).flatMap((block) =>
      readCfnFacts(r, file.path, 'serverless', cfnResources(r, block), facts),
    );
    readTemplateFunctions(r, model, facts, undefined, integrations);
    return model;
  }
  const model = readTemplate({ r, file: file.path, dir, repoFiles });
  const integrations = readCfnFacts(
    r,
    file.path,
    model.kind === 'sam' ? 'sam' : 'cloudformation',
    cfnResources(r, r.get(r.doc.contents, 'Resources')),
    facts,
  );
  const globals = isSamTemplate(r) ? r.get(r.doc.contents, 'Globals', 'Function') : undefined;
  readTemplateFunctions(r, model, facts, globals, integrations);
  return model;
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
    if (!('model' in read)) return read;
    readCdkFacts(file, read.model, read.program, facts);
    return { model: read.model };
  }
  if (kind === 'serverless-script') return readServerlessScript(file, repoFiles, facts);
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
  return { model: readYaml(new YamlReader(parsed.parsed.doc, parsed.parsed.lines), file, kind, repoFiles, facts) };
}

/**
 * A serverless.ts / serverless.js configuration: read as the YAML it stands for (see
 * serverless-script.ts), then every position the model and the new facts hold is moved from the
 * YAML's lines to the sources the values were written in.
 */
function readServerlessScript(
  file: IacInputFile,
  repoFiles: ReadonlySet<string>,
  facts: ReliabilityFacts,
): ReadOutcome {
  const script = serverlessScriptYaml(file, repoFiles);
  if (!script)
    return {
      note: {
        file: file.path,
        kind: 'skipped',
        message: 'serverless configuration module: its exported object could not be read',
      },
    };
  const parsed = parseYaml(script.yaml);
  if (!parsed.ok) return { note: { file: file.path, kind: 'parse-error', message: parsed.message } };
  const before = arraysOf(facts).map((a) => [a, a.length] as const);
  const model = readYaml(
    new YamlReader(parsed.parsed.doc, parsed.parsed.lines),
    { ...file, text: script.yaml },
    'serverless',
    repoFiles,
    facts,
  );
  const moved = new WeakSet<object>();
  relocate(model, file.path, script.origins, moved);
  for (const [a, n] of before) for (const item of a.slice(n)) relocate(item, file.path, script.origins, moved);
  return { model };
}

/** The arrays of the facts (top level and one level down), to tell what a read added. */
function arraysOf(facts: ReliabilityFacts): unknown[][] {
  const out: unknown[][] = [];
  for (const v of Object.values(facts)) {
    if (Array.isArray(v)) out.push(v);
    else if (v && typeof v === 'object') for (const w of Object.values(v)) if (Array.isArray(w)) out.push(w);
  }
  return out;
}

/** Moves `{ file, span }` and `{ file, line, column }` positions of `file` to the origins of its YAML lines. */
function relocate(value: unknown, file: string, origins: readonly SourceOrigin[], moved: WeakSet<object>): void {
  if (!value || typeof value !== 'object' || moved.has(value)) return;
  moved.add(value);
  if (Array.isArray(value)) {
    for (const v of value) relocate(v, file, origins, moved);
    return;
  }
  const o = value as Record<string, unknown>;
  if (o.file === file) {
    const span = o.span as { line?: unknown } | undefined;
    const line = typeof span?.line === 'number' ? span.line : typeof o.line === 'number' ? o.line : null;
    const at = line === null ? undefined : origins[line - 1];
    if (at) {
      if (at.file !== file && 'span' in o) o.configFile = file;
      o.file = at.file;
      if (span && typeof span.line === 'number') {
        o.span = { line: at.line, column: at.column, endLine: at.line, endColumn: at.column + 1 };
        moved.add(o.span as object);
      } else {
        o.line = at.line;
        if (typeof o.column === 'number') o.column = at.column;
      }
    }
  }
  for (const v of Object.values(o)) relocate(v, file, origins, moved);
}

/** The facts that need every model: which queues are dead-letter targets, the AZ count. */
function finishFacts(facts: ReliabilityFacts, models: readonly IacModel[]): void {
  const dlqRefs = new Set(models.flatMap((m) => m.dlqRefs));
  for (const q of models.flatMap((m) => m.queues)) {
    q.isDlq = dlqRefs.has(q.id) || (q.name !== undefined && dlqRefs.has(q.name));
    facts.queues.push(q);
  }
  facts.network.azs = new Set(facts.network.subnets.map((s) => s.az).filter((az): az is string => az !== null)).size;
}

/** Reads every IaC file once (serverless, SAM/CloudFormation, CDK); an unreadable file becomes a note. */
export function readIac(files: IacInputFile[], repoFiles: ReadonlySet<string>): IacRead {
  const facts = emptyFacts();
  const models: IacModel[] = [];
  const notes: FileNote[] = [];
  const kinds = new Set<string>();
  for (const f of files) {
    let outcome: ReadOutcome;
    try {
      outcome = readFile(f, repoFiles, facts);
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
  finishFacts(facts, models);
  return { models, facts, notes, kinds };
}

/**
 * The reliability settings the IaC declares (databases, tables, buckets, caches, compute,
 * Lambda timeouts vs API Gateway, network, health checks, alarms, backups, FIS), each with
 * its file:line, for a result that did not keep its scan's: the same reading as the scan's.
 */
export function reliabilityFacts(files: IacInputFile[]): ReliabilityFacts {
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  return readIac(sorted, new Set(files.map((f) => f.path))).facts;
}
