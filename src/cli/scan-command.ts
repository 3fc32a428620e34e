import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { loadConfig } from '../config/load-config';
import { UsageError } from '../errors';
import { applyBaseline, writeBaseline } from '../report/baseline';
import { jsonReport } from '../report/json-report';
import { markdownReport } from '../report/markdown-report';
import { atOrAbove } from '../report/summary';
import { textReport } from '../report/text-report';
import { resolveRoot, scanAsync } from '../scan/scan';
import type { ScanResult, Severity } from '../types';
import { scanOptionsOf, type SelectionOptions } from './selection-options';

export interface ScanCommandOptions extends SelectionOptions {
  format: string;
  severity: Severity;
  baseline?: string;
  updateBaseline?: boolean;
}

export const SCAN_FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;

export function runScan(paths: string[], options: Omit<ScanCommandOptions, 'format' | 'severity'>): Promise<ScanResult> {
  const root = resolveRoot(paths);
  return scanAsync({ ...scanOptionsOf(paths, options), root, config: loadConfig(root, options.config) });
}

/** SARIF with `fixes` for the fixable findings: the fix engine runs in memory (nothing is written). */
async function sarifWithFixes(result: ScanResult, configFile?: string): Promise<string> {
  const { computeChanges } = await import('../engine/compute-changes');
  const { sarifReport } = await import('../report/sarif-report');
  const computed = await computeChanges(result, loadConfig(result.root, configFile));
  const fixes = new Map(computed.changes.filter((c) => c.kind === 'modify').map((c) => [c.file, { before: c.before, after: c.after }]));
  return sarifReport(result, fixes);
}

/** `harden-codemod scan`: prints the report; exit 1 when a finding is at or above --severity. */
export async function scanCommand(paths: string[], options: ScanCommandOptions): Promise<number> {
  if (!(SCAN_FORMATS as readonly string[]).includes(options.format)) {
    throw new UsageError(`--format must be one of ${SCAN_FORMATS.join(', ')} (got "${options.format}")`);
  }
  let result = await runScan(paths, options);
  if (options.baseline) {
    const file = path.resolve(options.baseline);
    if (!fs.existsSync(file) || options.updateBaseline) {
      writeFileAtomic.sync(file, writeBaseline(result));
      process.stderr.write(`baseline recorded: ${result.findings.length} finding(s) in ${path.relative(process.cwd(), file)}; later scans report only new ones\n`);
      return 0;
    }
    const applied = applyBaseline(result, fs.readFileSync(file, 'utf8'));
    result = applied.result;
    if (applied.baselined && options.format === 'text') process.stderr.write(`${applied.baselined} finding(s) already in the baseline are not shown\n`);
  }
  if (options.format === 'json') process.stdout.write(jsonReport(result));
  else if (options.format === 'sarif') process.stdout.write(await sarifWithFixes(result, options.config));
  else if (options.format === 'markdown') process.stdout.write(markdownReport(result));
  else process.stdout.write(textReport(result, { quiet: options.quiet }));
  return atOrAbove(result.findings, options.severity).length > 0 ? 1 : 0;
}
