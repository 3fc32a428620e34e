import { UsageError } from '../errors';
import { atOrAbove } from './summary';
import { uncheckedFiles } from './text-report';
import type { Finding, ScanResult, Severity } from '../types';

/** The options that decide what a report shows and when a run fails (scan, --dry-run, Analyze mode). */
export interface GateOptions {
  /** lowest severity reported and counted for the exit code (Semgrep's meaning) */
  severity?: Severity;
  /** exit 1 only when more findings than this remain at or above --severity (default 0) */
  maxFindings?: number;
}

/** The result as reported: findings below --severity left out, and how many were. */
export function reported(result: ScanResult, severity: Severity = 'low'): { result: ScanResult; hidden: number } {
  const findings = atOrAbove(result.findings, severity);
  return {
    result: findings.length === result.findings.length ? result : { ...result, findings },
    hidden: result.findings.length - findings.length,
  };
}

/**
 * Nothing to check is a usage error (exit 2), like ESLint's "No files matching": no code or
 * IaC file under the paths (or none that --include lets through), or every file unreadable or
 * unparsable. A selection (--shard, --package, --changed-since) that leaves no file is fine.
 */
export function assertSomethingChecked(result: ScanResult, paths: string[], include: string[] = []): void {
  const where = paths.length ? paths.join(', ') : '.';
  if (result.filesFound === 0) {
    if (include.length)
      throw new UsageError(`no files matching --include ${include.map((g) => `"${g}"`).join(', ')} under ${where}`);
    throw new UsageError(
      `no JavaScript, TypeScript or IaC files to scan under ${where} (node_modules, dist, build and test files are skipped; --include-tests scans tests)`,
    );
  }
  const unchecked = uncheckedFiles(result);
  if (result.filesScanned > 0 && unchecked.length >= result.filesScanned) {
    const first = unchecked[0]!;
    throw new UsageError(
      `no file could be checked: ${unchecked.length} file(s) could not be read or parsed (${first.file}${first.line ? `:${first.line}` : ''}: ${first.message})`,
    );
  }
}

/** 1 when more than --max-findings findings at or above --severity are left, else 0. */
export function exitCodeOf(findings: Finding[], options: GateOptions): number {
  return atOrAbove(findings, options.severity ?? 'low').length > (options.maxFindings ?? 0) ? 1 : 0;
}
