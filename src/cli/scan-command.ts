import { scan } from '../scan/scan';
import { jsonReport } from '../report/json-report';
import { atOrAbove } from '../report/summary';
import { textReport } from '../report/text-report';
import { UsageError } from '../errors';
import type { Severity } from '../types';
import { ruleIds } from './parse-list';

export interface ScanCommandOptions {
  format: string;
  severity: Severity;
  only?: string[];
  skip?: string[];
  include?: string[];
  exclude?: string[];
  includeTests?: boolean;
  config?: string;
  quiet?: boolean;
}

export const SCAN_FORMATS = ['text', 'json'] as const;

/** `harden-codemod scan`: prints the report; exit 1 when a finding is at or above --severity. */
export async function scanCommand(paths: string[], options: ScanCommandOptions): Promise<number> {
  if (!(SCAN_FORMATS as readonly string[]).includes(options.format)) {
    throw new UsageError(`--format must be one of ${SCAN_FORMATS.join(', ')} (got "${options.format}")`);
  }
  const result = scan({
    paths,
    configFile: options.config,
    only: ruleIds(options.only, '--only'),
    skip: ruleIds(options.skip, '--skip'),
    include: options.include,
    exclude: options.exclude,
    includeTests: options.includeTests,
  });
  if (options.format === 'json') process.stdout.write(jsonReport(result));
  else process.stdout.write(textReport(result, { quiet: options.quiet }));
  return atOrAbove(result.findings, options.severity).length > 0 ? 1 : 0;
}
