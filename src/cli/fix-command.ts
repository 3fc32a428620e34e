import { UsageError } from '../errors';
import { diffReport, diffStat } from '../report/diff-report';
import { textReport } from '../report/text-report';
import type { Finding } from '../types';
import { exitCodeOf, reported } from '../report/report-gate';
import { applyAndValidate, type ApplyOptions } from '../session/apply-and-validate';
import { computeFixes, settleFixes } from '../session/compute-fixes';
import { fixSummary } from '../session/fix-summary';
import { scanSelection } from '../session/open-session';

export interface FixCommandOptions extends ApplyOptions {
  yes?: boolean;
  dryRun?: boolean;
}

/**
 * `harden-codemod fix`: --dry-run prints the findings (at or above --severity), the diff of every
 * change and writes nothing, exit 1 when findings the fix does not remove are left; --yes
 * applies and validates. Without either, on a terminal, cli/main.ts starts the planner instead.
 */
export async function fixCommand(
  paths: string[],
  options: FixCommandOptions,
  select?: (f: Finding) => boolean,
): Promise<number> {
  if (!options.dryRun && !options.yes) {
    throw new UsageError(
      'fix needs --yes to apply every fixable finding without prompting, or --dry-run to preview the changes',
    );
  }
  const { session, result: scanned } = await scanSelection(paths, options);
  if (!options.dryRun)
    return (await applyAndValidate(session, options, scanned, await computeFixes(session, scanned, select))).code;

  // the fix step decides what is fixable: the report and the summary say what this diff does
  const { result: before, computed } = await settleFixes(session, scanned, select);
  const { result: shown, hidden } = reported(before, options.severity);
  const fixedBelow = shown.findings.filter((f) => f.fixable).length;
  process.stdout.write(
    textReport(shown, {
      quiet: options.quiet,
      verbose: options.verbose,
      hidden,
      threshold: options.severity,
      fixedBelow,
    }),
  );
  if (computed.changes.length) process.stdout.write(`\n${diffReport(computed.changes)}\n`);
  process.stdout.write(`\n${diffStat(computed.changes)}\n${fixSummary(before, computed, false, select)}`);
  // the findings this run chose (a --dependency slice) that its changes leave
  return exitCodeOf(
    shown.findings.filter((f) => !f.fixable && (!select || select(f))),
    options,
  );
}
