import { scanOptionsOf, type SelectionOptions } from './selection-options';
import { execSync } from 'node:child_process';
import { computeChanges, type ComputedChanges } from '../engine/compute-changes';
import { deploySummaryLines } from '../engine/deploy-summary';
import { writeChanges } from '../engine/write-changes';
import { UsageError } from '../errors';
import { colors } from '../report/colors';
import { diffReport, diffStat } from '../report/diff-report';
import { textReport } from '../report/text-report';
import { compareScans, validationReport } from '../report/validation-report';
import type { ResolvedConfig } from '../config/config-schema';
import { loadConfig } from '../config/load-config';
import { canPrompt } from '../planner/terminal';
import { resolveRoot, scan } from '../scan/scan';
import type { Finding, ScanResult } from '../types';

export interface FixCommandOptions extends SelectionOptions {
  yes?: boolean;
  dryRun?: boolean;
  allowDirty?: boolean;
  install?: boolean;
}

export function fixSummary(result: ScanResult, computed: ComputedChanges, applied: boolean): string {
  const c = colors();
  const modified = computed.changes.filter((ch) => ch.kind === 'modify').length;
  const created = computed.changes.filter((ch) => ch.kind === 'create').length;
  const perRule = new Map<string, number>();
  for (const f of computed.fixed) perRule.set(f.ruleId, (perRule.get(f.ruleId) ?? 0) + 1);
  const lines = [
    c.bold(applied ? 'Applied' : 'Would apply (dry run, nothing written)'),
    `  files changed: ${modified}, files created: ${created}`,
  ];
  if (perRule.size) lines.push(`  findings fixed: ${[...perRule].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  const notFixable = result.findings.filter((f) => !f.fixable).length;
  if (computed.left.length) {
    lines.push(c.yellow(`  findings left (${computed.left.length}):`));
    for (const { finding, reason } of computed.left.slice(0, 30)) lines.push(`    ${finding.file}:${finding.line}  ${finding.ruleId}: ${reason}`);
    if (computed.left.length > 30) lines.push(`    … and ${computed.left.length - 30} more`);
  }
  if (notFixable) lines.push(`  ${notFixable} finding(s) have no automatic fix (see the playbook for guidance)`);
  for (const note of computed.notes) lines.push(`  note: ${note}`);
  if (computed.installCommands.length) lines.push(`  then install the added dependencies: ${computed.installCommands.join(' ; ')}`);
  lines.push(...deploySummaryLines(computed));
  return `${lines.join('\n')}\n`;
}

/** `harden-codemod fix`: --dry-run prints findings and diffs and writes nothing; --yes applies and validates. */
export async function fixCommand(paths: string[], options: FixCommandOptions, select?: (f: Finding) => boolean): Promise<number> {
  if (!options.dryRun && !options.yes) {
    // on a terminal, `fix` alone steps through the fixes; elsewhere there is nobody to ask
    if (canPrompt()) return (await import('../planner/interactive')).runPlanner(paths, options);
    throw new UsageError('fix needs --yes to apply every fixable finding without prompting, or --dry-run to preview the changes');
  }
  const root = resolveRoot(paths);
  const config = loadConfig(root, options.config);
  const before = scan({ ...scanOptionsOf(paths, options), root, config });
  const computed = await computeChanges(before, config, select);
  if (options.dryRun) {
    if (!options.quiet) process.stdout.write(textReport(before));
    if (computed.changes.length) process.stdout.write(`\n${diffReport(computed.changes)}\n`);
    process.stdout.write(`\n${diffStat(computed.changes)}\n${fixSummary(before, computed, false)}`);
    return 0;
  }
  return (await applyAndValidate(paths, options, before, computed, config)).code;
}

/**
 * Writes computed changes, installs added dependencies when asked, then re-scans and prints
 * the before/after validation (spec phase 5). Exit code 1 when the fix added findings or
 * broke a file's parse. Shared by `fix --yes` and the interactive planner.
 */
export async function applyAndValidate(
  paths: string[],
  options: FixCommandOptions,
  before: ScanResult,
  computed: ComputedChanges,
  config: ResolvedConfig,
): Promise<{ code: number; after: ScanResult }> {
  await writeChanges(before.root, computed.changes, { allowDirty: options.allowDirty });
  process.stdout.write(`${diffStat(computed.changes)}\n${fixSummary(before, computed, true)}`);
  if (options.install) {
    for (const cmd of computed.installCommands) {
      process.stdout.write(`$ ${cmd}\n`);
      execSync(cmd, { stdio: 'inherit', cwd: before.root });
    }
  }
  const after = scan({ ...scanOptionsOf(paths, options), root: before.root, config });
  const comparison = compareScans(before, after);
  process.stdout.write(validationReport(comparison));
  return { code: comparison.regressions.length > 0 || comparison.newParseErrors.length > 0 ? 1 : 0, after };
}
