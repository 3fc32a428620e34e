import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { UsageError } from '../errors';
import { applyBaseline, writeBaseline } from '../report/baseline';
import { jsonReport } from '../report/json-report';
import { markdownReport } from '../report/markdown-report';
import { textReport } from '../report/text-report';
import type { ScanResult } from '../types';
import { exitCodeOf, reported } from '../report/report-gate';
import { settleFixes } from '../session/compute-fixes';
import { scanSelection, type Session } from '../session/open-session';
import type { SelectionOptions } from '../session/selection';

export interface ScanCommandOptions extends SelectionOptions {
  format: string;
  baseline?: string;
  updateBaseline?: boolean;
  /** write the report to this file instead of stdout */
  outputFile?: string;
}

export const SCAN_FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;

/**
 * The machine formats and the markdown report state which findings are fixable: the fix engine
 * runs in memory (nothing is written) and settles it; SARIF carries the fixes themselves.
 */
async function settledReport(result: ScanResult, format: string, session: Session): Promise<string> {
  const settled = await settleFixes(session, result);
  if (format === 'json') return jsonReport(settled.result);
  if (format === 'markdown') return markdownReport(settled.result);
  const { sarifReport } = await import('../report/sarif-report');
  const fixes = new Map(
    settled.computed.changes
      .filter((c) => c.kind === 'modify')
      .map((c) => [c.file, { before: c.before, after: c.after }]),
  );
  return sarifReport(settled.result, fixes);
}

/** The findings a baseline does not hold yet; a baseline that is not a readable baseline file is a usage error. */
function withBaseline(result: ScanResult, options: ScanCommandOptions): ScanResult | number {
  const given = options.baseline!;
  const file = path.resolve(given);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat?.isDirectory())
    throw new UsageError(
      `--baseline ${given} is a directory: give the path of a JSON file (it is recorded on first use)`,
    );
  if (!stat || options.updateBaseline) {
    writeFileAtomic.sync(file, writeBaseline(result));
    process.stderr.write(
      `baseline recorded: ${result.findings.length} finding(s) in ${path.relative(process.cwd(), file)}; later scans report only new ones\n`,
    );
    return 0;
  }
  let applied: ReturnType<typeof applyBaseline>;
  try {
    applied = applyBaseline(result, fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const why = (err as Error).message.replace(/^baseline: /, '');
    throw new UsageError(
      `--baseline ${given} is not a harden-codemod baseline (${why}); fix or delete it, or pass --update-baseline to record it again`,
    );
  }
  if (applied.baselined && options.format === 'text')
    process.stderr.write(`${applied.baselined} finding(s) already in the baseline are not shown\n`);
  return applied.result;
}

/**
 * `harden-codemod scan`: prints (or writes with -o) the report of the findings at or above
 * --severity; exit 1 when more than --max-findings of them are left, 2 when nothing could be checked.
 */
export async function scanCommand(paths: string[], options: ScanCommandOptions): Promise<number> {
  if (!(SCAN_FORMATS as readonly string[]).includes(options.format)) {
    throw new UsageError(`--format must be one of ${SCAN_FORMATS.join(', ')} (got "${options.format}")`);
  }
  const scanned = await scanSelection(paths, options);
  let result = scanned.result;
  if (options.baseline) {
    const next = withBaseline(result, options);
    if (typeof next === 'number') return next;
    result = next;
  }
  const { result: shown, hidden } = reported(result, options.severity);
  const report =
    options.format === 'text'
      ? textReport(shown, { quiet: options.quiet, verbose: options.verbose, hidden, threshold: options.severity })
      : await settledReport(shown, options.format, scanned.session);
  if (options.outputFile) {
    const file = path.resolve(options.outputFile);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic.sync(file, report);
  } else process.stdout.write(report);
  return exitCodeOf(shown.findings, options);
}
