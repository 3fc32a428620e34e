import fs from 'node:fs';
import path from 'node:path';
import { expand, select } from '@inquirer/prompts';
import { applyAndValidate, type FixCommandOptions } from '../cli/fix-command';
import { scanOptionsOf } from '../cli/selection-options';
import { DEFAULT_PLAYBOOK, writePlaybook } from '../cli/playbook-command';
import type { ResolvedConfig } from '../config/config-schema';
import { loadConfig } from '../config/load-config';
import { computeChanges } from '../engine/compute-changes';
import { colors } from '../report/colors';
import { diffReport, diffStat } from '../report/diff-report';
import { discoveryLines } from '../report/text-report';
import { resolveRoot, scan } from '../scan/scan';
import type { ScanResult } from '../types';
import { analyzeMode } from './analyze-mode';
import { auditLines } from './audit-lines';
import { phaseItems, promptPhase } from './phase-prompt';
import { buildPlan, selectedFindings, type Plan } from './plan-model';
import { targetScan } from './targeted';
import { isPromptExit } from './terminal';

export { analyzeMode } from './analyze-mode';

export interface PlannerOptions extends FixCommandOptions {
  /** Targeted mode: only the findings of this dependency (name or file path) */
  dependency?: string;
}

const CANCELLED = 'Cancelled: nothing was written.\n';
export const CANCEL_EXIT_CODE = 130;

class Cancelled extends Error {}

function isLarge(result: ScanResult, config: ResolvedConfig): boolean {
  return result.filesScanned > config.largeCodebase.files || result.findings.length > config.largeCodebase.findings;
}

/** The spec asks before starting Implement mode on a large codebase; the user may settle for the playbook. */
async function confirmLarge(result: ScanResult, config: ResolvedConfig, paths: string[], options: PlannerOptions): Promise<number | null> {
  const { files, findings } = config.largeCodebase;
  const answer = await select({
    message: `This is a large codebase (${result.filesScanned} files, ${result.findings.length} findings; the limits are ${files} files, ${findings} findings). Step through the fixes?`,
    choices: [
      { value: 'plan', name: 'Yes, step through the fixes phase by phase' },
      { value: 'analyze', name: 'No, only write the playbook (Analyze mode)' },
      { value: 'cancel', name: 'Cancel' },
    ],
  });
  if (answer === 'plan') return null;
  if (answer === 'analyze') return analyzeMode(paths, { ...options, quiet: true });
  throw new Cancelled();
}

async function stepThrough(plan: Plan, result: ScanResult, config: ResolvedConfig, out: NodeJS.WriteStream): Promise<Plan> {
  const c = colors(out);
  for (const phase of plan.phases) {
    const items = phaseItems(phase);
    if (!items.length) continue;
    if (!items.some((i) => i.selectable)) {
      out.write(`\n${c.bold(`Phase ${phase.phase} · ${phase.title}`)} ${c.dim('(no automatic fix: see the playbook)')}\n`);
      for (const i of items) out.write(`  ${i.severity?.toUpperCase().padEnd(8) ?? ''} ${i.ruleId}  ${i.file}:${i.line}  ${c.dim(i.group === i.file ? '' : i.group)}\n`);
      continue;
    }
    out.write('\n');
    plan = await promptPhase(plan, phase.phase, { result, config, out });
  }
  return plan;
}

/** Diff stat, then write / cancel / show the full diff until the user decides. */
async function confirmWrite(computed: Awaited<ReturnType<typeof computeChanges>>, out: NodeJS.WriteStream): Promise<boolean> {
  const c = colors(out);
  const created = computed.changes.filter((ch) => ch.kind === 'create').length;
  out.write(`\n${c.bold('Changes')}\n${diffStat(computed.changes)}\n  ${computed.changes.length - created} file(s) changed, ${created} created, ${computed.fixed.length} finding(s) fixed\n`);
  if (computed.left.length) out.write(c.yellow(`  ${computed.left.length} selected finding(s) have no safe rewrite and stay as they are\n`));
  for (;;) {
    const answer = await expand({
      message: 'Write these changes?',
      default: 'n',
      choices: [
        { key: 'y', name: 'Write the changes, then re-scan to validate', value: 'write' },
        { key: 'n', name: 'Do not write anything', value: 'cancel' },
        { key: 'd', name: 'Show the full diff', value: 'diff' },
      ],
    });
    if (answer !== 'diff') return answer === 'write';
    out.write(`\n${diffReport(computed.changes, out)}\n`);
  }
}

async function plan(paths: string[], options: PlannerOptions, out: NodeJS.WriteStream, markWriting: () => void): Promise<number> {
  const c = colors(out);
  const root = resolveRoot(paths);
  const config = loadConfig(root, options.config);
  const full = scan({ ...scanOptionsOf(paths, options), root, config });
  const result = targetScan(full, options.dependency);

  out.write(`${discoveryLines(result.discovery, c).join('\n')}\n\n${c.bold('Audit summary')}${options.dependency ? c.dim(` (--dependency ${options.dependency})`) : ''}\n${auditLines(result).join('\n')}\n`);
  if (!result.findings.length) {
    out.write(`\n${c.green('✔')} nothing to fix\n`);
    return 0;
  }
  if (isLarge(full, config)) {
    const code = await confirmLarge(full, config, paths, options);
    if (code !== null) return code;
  }
  let model = buildPlan(result);
  if (!selectedFindings(model).length) {
    out.write(`\nNo finding has an automatic fix. Run ${c.bold('harden-codemod --analyze')} for the playbook with guidance.\n`);
    return 0;
  }
  model = await stepThrough(model, result, config, out);
  const chosen = new Set(selectedFindings(model));
  if (!chosen.size) {
    out.write(`\nNothing selected: nothing was written.\n`);
    return 0;
  }
  out.write(c.dim('\nComputing the changes…\n'));
  const computed = await computeChanges(result, config, (f) => chosen.has(f));
  if (!computed.changes.length) {
    out.write('No file would change (every selected fix is already in place or has no safe rewrite): nothing was written.\n');
    return 0;
  }
  if (!(await confirmWrite(computed, out))) {
    out.write('Nothing was written.\n');
    return 0;
  }
  markWriting();
  // the unfiltered scan is the baseline, so that a targeted run is not flagged for findings it never selected
  const applied = await applyAndValidate(paths, options, full, computed, config);
  const playbook = path.resolve(full.root, DEFAULT_PLAYBOOK);
  if (fs.existsSync(playbook)) out.write(`Playbook updated: ${path.relative(process.cwd(), await writePlaybook(applied.after, undefined, { config: options.config }))}\n`);
  return applied.code;
}

/**
 * Implement mode on a terminal: scan, audit summary, then the spec's phases one checkbox at a
 * time, the diff stat and a confirmation. Nothing is written before the confirmation; Ctrl-C
 * up to then leaves the tree as it was and exits 130.
 */
export async function runPlanner(paths: string[], options: PlannerOptions, out: NodeJS.WriteStream = process.stdout): Promise<number> {
  // between prompts the terminal is in cooked mode, so Ctrl-C arrives as a signal rather than a
  // key; once writing starts the default handling is restored (writes are atomic per file)
  const onSigint = (): void => {
    out.write(`\n${CANCELLED}`);
    process.exit(CANCEL_EXIT_CODE);
  };
  process.on('SIGINT', onSigint);
  try {
    return await plan(paths, options, out, () => process.off('SIGINT', onSigint));
  } catch (err) {
    if (err instanceof Cancelled || isPromptExit(err)) {
      out.write(`\n${CANCELLED}`);
      return CANCEL_EXIT_CODE;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
