import path from 'node:path';
import { runScan, type ScanCommandOptions } from '../cli/scan-command';
import { writePlaybook } from '../cli/playbook-command';
import { textReport } from '../report/text-report';
import { targetScan } from './targeted';

export type AnalyzeOptions = Omit<ScanCommandOptions, 'format' | 'severity'> & { dependency?: string; out?: string };

/**
 * Analyze mode (the spec's default when the intent is unclear, and the only mode without a
 * terminal): the text report and the playbook, no code change. Exit 1 when there are findings.
 * A --dependency run prints its slice only: a partial playbook would replace the full one.
 */
export async function analyzeMode(paths: string[], options: AnalyzeOptions): Promise<number> {
  const full = await runScan(paths, options);
  const result = targetScan(full, options.dependency);
  process.stdout.write(textReport(result, { quiet: options.quiet }));
  if (options.dependency === undefined) {
    const file = writePlaybook(result, options.out);
    process.stdout.write(`Playbook written: ${path.relative(process.cwd(), file) || file}\n`);
  } else {
    process.stdout.write('Playbook not written for a --dependency run (run without it to write the full playbook)\n');
  }
  return result.findings.length > 0 ? 1 : 0;
}
