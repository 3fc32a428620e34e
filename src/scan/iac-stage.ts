import path from 'node:path';
import type { ResolvedConfig } from '../config/config-schema';
import type { LambdaHandler } from '../discovery/discovery-types';
import type { DiscoveredFiles } from '../files/discover-files';
import type { ReliabilityFacts } from '../iac/reliability/facts-types';
import { isIacCandidate, scanIac } from '../iac/scan-iac';
import { isServerlessScript } from '../iac/serverless-script';
import type { FileNote, IacFinding, IacInputFile } from '../types';

export interface IacStageResult {
  findings: IacFinding[];
  handlers: LambdaHandler[];
  kinds: string[];
  notes: FileNote[];
  filesRead: number;
  /** the IaC files read, for the reliability facts of the review and plan documents */
  inputs: IacInputFile[];
  repoFiles: string[];
  /** the reliability facts read from the same models (review and plan documents) */
  facts: ReliabilityFacts | undefined;
}

/** Reads the YAML/JSON and CDK candidates and runs the IaC checks; handlers feed the code detectors. */
export function runIacStage(
  root: string,
  files: DiscoveredFiles,
  config: ResolvedConfig,
  read: (abs: string) => string | null,
): IacStageResult {
  const inputs: IacInputFile[] = [];
  const candidates = [
    ...files.data,
    ...files.source.filter((f) => /\.[cm]?ts$/.test(f) || /(^|[\\/])serverless(\.[\w-]+)?\.[cm]?js$/.test(f)),
  ];
  for (const abs of candidates) {
    const rel = path.relative(root, abs).split(path.sep).join('/');
    if (/(^|\/)(package(-lock)?|tsconfig[^/]*|composer|\.eslintrc|jsconfig)\.json$/.test(rel)) continue;
    const isCode = /\.[cm]?ts$/.test(abs);
    const text = read(abs);
    if (text === null) continue;
    if (isCode && !text.includes('aws-cdk-lib') && !text.includes('@aws-cdk/') && !isServerlessScript(rel, text))
      continue;
    if (isIacCandidate(rel, text)) inputs.push({ path: rel, absPath: abs, text });
  }
  const result = scanIac(inputs, { root, config, repoFiles: files.all });
  return {
    findings: result.findings,
    handlers: result.handlers,
    kinds: result.kinds,
    notes: result.notes,
    filesRead: inputs.filter((i) => !/\.[cm]?ts$/.test(i.path)).length,
    inputs,
    repoFiles: files.all,
    facts: result.facts,
  };
}
