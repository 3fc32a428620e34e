import path from 'node:path';
import type { Node } from 'yaml';
import { iacFileKind } from './iac-files';
import { generatedTemplateReason } from '../files/artifacts';
import type { IacModel } from './iac-model';
import { readCdkFacts } from './reliability/cdk-facts';
import { cfnResources, readCfnFacts } from './reliability/cfn-facts';
import { emptyFacts, type ReliabilityFacts } from './reliability/facts-types';
import { readServerlessFunctions, readTemplateFunctions } from './reliability/lambda-facts';
import { isSamTemplate, readTemplate } from './sam-model';
import type { IacInputFile } from '../types';
import { readServerless } from './serverless-model';
import { parseYaml } from './yaml-tags';
import { YamlReader } from './yaml-nodes';

export type { ReliabilityFacts } from './reliability/facts-types';
export * from './reliability/facts-types';

/** serverless `resources` is a map with `Resources`, or a list of such maps */
function serverlessResourceBlocks(r: YamlReader): Array<Node | undefined> {
  const resources = r.get(r.doc.contents, 'resources');
  return r.seq(resources)
    ? r.items(resources).map((item) => r.get(item, 'Resources'))
    : [r.get(resources, 'Resources')];
}

function readYamlFile(
  file: IacInputFile,
  kind: 'serverless' | 'template',
  repoFiles: ReadonlySet<string>,
  facts: ReliabilityFacts,
): IacModel | null {
  const parsed = parseYaml(file.text);
  // an unreadable template is reported by the IaC scan; here it only contributes nothing
  if (!parsed.ok) return null;
  return readYamlFacts(new YamlReader(parsed.parsed.doc, parsed.parsed.lines), file, kind, repoFiles, facts);
}

/**
 * The IaC model of a parsed serverless.yml / SAM / CloudFormation file, recording its
 * reliability facts on the way: the IaC scan builds its model with this, so each template is
 * parsed and read once for the checks and the documents alike.
 */
export function readYamlFacts(
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

/**
 * The reliability settings the IaC declares (databases, tables, buckets, caches, compute,
 * Lambda timeouts vs API Gateway, network, health checks, alarms, backups, FIS), each with
 * its file:line. Reads the same models the IaC scan builds; Terraform and SST are skipped.
 */
export function reliabilityFacts(files: IacInputFile[]): ReliabilityFacts {
  const facts = emptyFacts();
  const repoFiles = new Set(files.map((f) => f.path));
  const models: IacModel[] = [];
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const kind = iacFileKind(file.path, file.text);
    if (kind !== 'serverless' && kind !== 'template' && kind !== 'cdk') continue;
    if (kind !== 'cdk' && generatedTemplateReason(file.path, file.text)) continue;
    let model: IacModel | null = null;
    try {
      model = kind === 'cdk' ? readCdkFacts(file, repoFiles, facts) : readYamlFile(file, kind, repoFiles, facts);
    } catch {
      model = null;
    }
    if (model) {
      models.push(model);
      facts.files.push(file.path);
    }
  }
  return finishFacts(facts, models);
}

/** The facts that need every model: queues and their DLQs, the AZ count. */
export function finishFacts(facts: ReliabilityFacts, models: readonly IacModel[]): ReliabilityFacts {
  const dlqRefs = new Set(models.flatMap((m) => m.dlqRefs));
  for (const q of models.flatMap((m) => m.queues)) {
    facts.queues.push({
      file: q.file,
      line: q.span.line,
      id: q.id,
      format: q.format,
      hasDlq: q.redrive !== null,
      isDlq: dlqRefs.has(q.id) || (q.name !== undefined && dlqRefs.has(q.name)),
    });
  }
  facts.network.azs = new Set(facts.network.subnets.map((s) => s.az).filter((az): az is string => az !== null)).size;
  return facts;
}
