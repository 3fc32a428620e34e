import type { ResolvedConfig } from '../config/config-schema';
import { fixCdk } from './fix-cdk';
import { fixJson } from './fix-json';
import { fixYaml, type FixOutcome } from './fix-yaml';
import { iacFileKind } from './iac-files';
import type { Finding, IacFinding, IacInputFile } from '../types';

/** The IaC fixers' view of a finding: where and what, without the run's severity and fix state. */
export function asIacFinding(f: Finding): IacFinding {
  const { ruleId, file, line, column, endLine, endColumn, message, data } = f;
  return { ruleId, file, line, column, endLine, endColumn, message, data };
}

/** Fixes one IaC file's findings; what cannot be fixed safely is returned with the reason. */
export function fixIacFile(file: IacInputFile, findings: IacFinding[], config: ResolvedConfig): FixOutcome {
  const mine = findings.filter((f) => f.file === file.path);
  const kind = iacFileKind(file.path, file.text);
  const format = mine.find((f) => typeof f.data?.format === 'string')?.data?.format as string | undefined;
  if (kind === 'cdk') return fixCdk(file, mine, config);
  if (kind === 'serverless' || kind === 'template') {
    const fmt =
      format === 'serverless' || format === 'sam' ? format : kind === 'serverless' ? 'serverless' : 'cloudformation';
    if (/\.json$/.test(file.path)) return fixJson(file.text, fmt, mine, file.path);
    return fixYaml(file.text, fmt, mine, config, file.path);
  }
  const reason =
    kind === 'serverless-script' || format === 'serverless'
      ? 'a Serverless configuration written as a module (serverless.ts) is read, not edited: change it by hand'
      : 'not an IaC file this tool can edit';
  return { after: file.text, fixed: [], skipped: mine.map((finding) => ({ finding, reason })) };
}
