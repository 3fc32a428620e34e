import path from 'node:path';
import { exitCodeOf, reported } from '../report/report-gate';
import { textReport } from '../report/text-report';
import { scanSelection } from '../session/open-session';
import type { SelectionOptions } from '../session/selection';
import { writePlaybook } from '../session/write-playbook';
import { targetScan } from './targeted';

export type AnalyzeOptions = SelectionOptions & { dependency?: string; out?: string };

/**
 * Analyze mode (the spec's default when the intent is unclear, and the only mode without a
 * terminal): the text report and the playbook, no code change. Exit codes as `scan`'s.
 * A --dependency run prints its slice only: a partial playbook would replace the full one.
 */
export async function analyzeMode(paths: string[], options: AnalyzeOptions): Promise<number> {
  const { session, result: full } = await scanSelection(paths, options);
  const result = targetScan(full, options.dependency);
  const { result: shown, hidden } = reported(result, options.severity);
  process.stdout.write(
    textReport(shown, { quiet: options.quiet, verbose: options.verbose, hidden, threshold: options.severity }),
  );
  if (options.dependency === undefined) {
    const file = await writePlaybook(result, session, { out: options.out });
    process.stdout.write(`Playbook written: ${path.relative(process.cwd(), file) || file}\n`);
  } else {
    process.stdout.write('Playbook not written for a --dependency run (run without it to write the full playbook)\n');
  }
  return exitCodeOf(shown.findings, options);
}
