import { scanOptionsOf, type SelectionOptions } from './selection-options';
import { spawnSync } from 'node:child_process';
import { computeChanges, type ComputedChanges } from '../engine/compute-changes';
import { settleFixability } from '../engine/fixability';
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
import { assertSomethingChecked, exitCodeOf, reported } from '../report/report-gate';

export interface FixCommandOptions extends SelectionOptions {
  yes?: boolean;
  dryRun?: boolean;
  allowDirty?: boolean;
  allowSymlinks?: boolean;
  allowReadOnly?: boolean;
  install?: boolean;
}

/**
 * What a fix run does with the findings: how many it fixes per rule, the ones it attempted and
 * leaves (with the reason), and how many have no automatic fix at all. `chosen` narrows the
 * run (--dependency); paths are shown as in the findings and the diffs.
 */
export function fixSummary(
  result: ScanResult,
  computed: ComputedChanges,
  applied: boolean,
  chosen: (f: Finding) => boolean = () => true,
): string {
  const c = colors();
  const modified = computed.changes.filter((ch) => ch.kind === 'modify').length;
  const created = computed.changes.filter((ch) => ch.kind === 'create').length;
  const perRule = new Map<string, number>();
  for (const f of computed.fixed) perRule.set(f.ruleId, (perRule.get(f.ruleId) ?? 0) + 1);
  const lines = [
    c.bold(applied ? 'Applied' : 'Would apply (dry run, nothing written)'),
    `  files changed: ${modified}, files created: ${created}`,
  ];
  if (perRule.size)
    lines.push(`  findings fixed (${computed.fixed.length}): ${[...perRule].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  const attempted = new Set<Finding>([...computed.fixed, ...computed.left.map((l) => l.finding)]);
  const manual = result.findings.filter((f) => !attempted.has(f) && chosen(f)).length;
  if (computed.left.length) {
    lines.push(c.yellow(`  findings left (${computed.left.length}):`));
    for (const { finding, reason } of computed.left.slice(0, 30))
      lines.push(`    ${finding.file}:${finding.line}  ${finding.ruleId}: ${reason}`);
    if (computed.left.length > 30) lines.push(`    … and ${computed.left.length - 30} more`);
  }
  if (computed.fixNotes.length) {
    lines.push('  choices made (per call):');
    for (const n of computed.fixNotes.slice(0, 30)) lines.push(`    ${n.file}:${n.line}  ${n.text}`);
    if (computed.fixNotes.length > 30) lines.push(`    … and ${computed.fixNotes.length - 30} more`);
  }
  if (manual) lines.push(`  ${manual} finding(s) have no automatic fix (see the playbook for guidance)`);
  for (const note of computed.notes) lines.push(`  note: ${note}`);
  if (computed.installCommands.length === 1)
    lines.push(`  then install the added dependencies: ${computed.installCommands[0]}`);
  else if (computed.installCommands.length)
    lines.push('  then install the added dependencies:', ...computed.installCommands.map((cmd) => `    ${cmd}`));
  lines.push(...deploySummaryLines(computed));
  return `${lines.join('\n')}\n`;
}

/**
 * `harden-codemod fix`: --dry-run prints the findings (at or above --severity), the diff of every
 * change and writes nothing, exit 1 when findings the fix does not remove are left; --yes
 * applies and validates.
 */
export async function fixCommand(
  paths: string[],
  options: FixCommandOptions,
  select?: (f: Finding) => boolean,
): Promise<number> {
  if (!options.dryRun && !options.yes) {
    // on a terminal, `fix` alone steps through the fixes; elsewhere there is nobody to ask
    if (canPrompt()) return (await import('../planner/interactive')).runPlanner(paths, options);
    throw new UsageError(
      'fix needs --yes to apply every fixable finding without prompting, or --dry-run to preview the changes',
    );
  }
  const root = resolveRoot(paths);
  const config = loadConfig(root, options.config);
  const scanned = scan({ ...scanOptionsOf(paths, options), root, config });
  assertSomethingChecked(scanned, paths, options.include);
  if (!options.dryRun)
    return (await applyAndValidate(paths, options, scanned, await computeChanges(scanned, config, select), config))
      .code;

  // the fix step decides what is fixable: the report and the summary say what this diff does
  const { result: before, computed } = await settleFixability(scanned, config, select);
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
  await writeChanges(before.root, computed.changes, {
    allowDirty: options.allowDirty,
    allowSymlinks: options.allowSymlinks,
    allowReadOnly: options.allowReadOnly,
  });
  process.stdout.write(`${diffStat(computed.changes)}\n${fixSummary(before, computed, true)}`);
  // the commands name folders relative to the current directory
  const installFailed = options.install ? !installDependencies(computed.installCommands, process.cwd()) : false;
  // the fixes are on disk whatever the install did: validate them
  const after = scan({ ...scanOptionsOf(paths, options), root: before.root, config });
  const comparison = compareScans(before, after);
  process.stdout.write(validationReport(comparison));
  if (installFailed) return { code: 2, after };
  return { code: comparison.regressions.length > 0 || comparison.newParseErrors.length > 0 ? 1 : 0, after };
}

/**
 * Runs the install commands; a command that cannot start or fails is an error message naming it
 * (the fixes stay written). Returns whether every command succeeded.
 */
function installDependencies(commands: string[], cwd: string): boolean {
  for (const cmd of commands) {
    process.stdout.write(`$ ${cmd}\n`);
    const run = spawnSync(cmd, { stdio: 'inherit', cwd, shell: true });
    if (run.error || run.status !== 0) {
      const why = run.error ? run.error.message : run.signal ? `stopped by ${run.signal}` : `exit code ${run.status}`;
      process.stderr.write(
        `harden-codemod: \`${cmd}\` failed (${why}): the fixes are written; install the added dependencies yourself\n`,
      );
      return false;
    }
  }
  return true;
}
