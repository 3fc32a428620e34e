import fs from 'node:fs';
import path from 'node:path';
import { expand, select } from '@inquirer/prompts';
import type { ResolvedConfig } from '../config/config-schema';
import { colors } from '../report/colors';
import { diffReport, diffStat } from '../report/diff-report';
import { discoveryLines } from '../report/text-report';
import { applyAndValidate, type ApplyOptions } from '../session/apply-and-validate';
import { computeFixes, settleFixes } from '../session/compute-fixes';
import { scanSelection } from '../session/open-session';
import { DEFAULT_PLAYBOOK, writePlaybook } from '../session/write-playbook';
import type { FileChange, ScanResult } from '../types';
import { analyzeMode } from './analyze-mode';
import { auditLines } from './audit-lines';
import { phaseItems, promptPhase, type PhaseContext } from './phase-prompt';
import { buildPlan, MODULE_OF_STEP, selectedFindings, selectedTests, type Plan } from './plan-model';
import { targetScan } from './targeted';
import { isPromptExit } from './terminal';

export interface PlannerOptions extends ApplyOptions {
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
async function confirmLarge(
  result: ScanResult,
  config: ResolvedConfig,
  paths: string[],
  options: PlannerOptions,
): Promise<number | null> {
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

/** Report-only phases are listed; the others prompt. Back and forth until the last phase is passed. */
async function stepThrough(plan: Plan, ctx: PhaseContext, from = 0): Promise<Plan> {
  const c = colors(ctx.out);
  const phases = plan.phases.filter((p) => phaseItems(p).length);
  const prompted = phases.filter((p) => phaseItems(p).some((i) => i.selectable));
  for (let i = from; i < phases.length;) {
    const phase = phases[i]!;
    const items = phaseItems(phase);
    if (!items.some((it) => it.selectable)) {
      ctx.out.write(
        `\n${c.bold(`Phase ${phase.phase} · ${phase.title}`)} ${c.dim('(no automatic fix: see the playbook)')}\n`,
      );
      for (const it of items)
        ctx.out.write(
          `  ${it.severity?.toUpperCase().padEnd(8) ?? ''} ${it.ruleId}  ${it.file}:${it.line}  ${c.dim(it.why ?? (it.group === it.file ? '' : it.group))}\n`,
        );
      i++;
      continue;
    }
    const at = prompted.indexOf(phase);
    const next = prompted[at + 1];
    const previous = prompted[at - 1];
    ctx.out.write('\n');
    const r = await promptPhase(plan, phase.phase, ctx, {
      next: next ? `phase ${next.phase} · ${next.title}` : 'the changes',
      ...(previous ? { previous: `phase ${previous.phase} · ${previous.title}` } : {}),
    });
    plan = r.plan;
    i = r.step === 'back' && previous ? phases.indexOf(previous) : i + 1;
  }
  return plan;
}

/** Diff stat, then write / cancel / show the full diff / go back to a phase, until the user decides. */
async function confirmWrite(
  computed: Awaited<ReturnType<typeof computeFixes>>,
  plan: Plan,
  out: NodeJS.WriteStream,
): Promise<'write' | 'cancel' | { back: number }> {
  const c = colors(out);
  const created = computed.changes.filter((ch) => ch.kind === 'create').length;
  out.write(
    `\n${c.bold('Changes')}\n${diffStat(computed.changes)}\n  ${computed.changes.length - created} file(s) changed, ${created} created, ${computed.fixed.length} finding(s) fixed\n`,
  );
  if (computed.left.length)
    out.write(c.yellow(`  ${computed.left.length} selected finding(s) have no safe rewrite and stay as they are\n`));
  const phases = plan.phases.filter((p) => phaseItems(p).length);
  for (;;) {
    const answer = await expand({
      message: 'Write these changes?',
      default: 'n',
      choices: [
        { key: 'y', name: 'Write the changes, then re-scan to validate', value: 'write' },
        { key: 'n', name: 'Do not write anything', value: 'cancel' },
        { key: 'd', name: 'Show the full diff', value: 'diff' },
        { key: 'b', name: 'Go back to a phase', value: 'back' },
      ],
    });
    if (answer === 'write' || answer === 'cancel') return answer;
    if (answer === 'diff') {
      out.write(`\n${diffReport(computed.changes, out)}\n`);
      continue;
    }
    const choices = phases
      .filter((p) => phaseItems(p).some((i) => i.selectable))
      .map((p) => ({
        value: phases.indexOf(p),
        name: `Phase ${p.phase} · ${p.title} (${phaseItems(p).filter((i) => i.selected).length} selected)`,
      }));
    return { back: await select({ message: 'Back to which phase?', choices, loop: false }) };
  }
}

/** The module steps whose module the fix creates (the others exist already and are imported). */
function createdModules(changes: FileChange[]): Set<string> {
  const created = changes.filter((c) => c.kind === 'create').map((c) => path.basename(c.file).replace(/\.[^.]+$/, ''));
  return new Set(
    Object.entries(MODULE_OF_STEP)
      .filter(([, file]) => created.includes(file))
      .map(([step]) => step),
  );
}

async function plan(
  paths: string[],
  options: PlannerOptions,
  out: NodeJS.WriteStream,
  markWriting: () => void,
): Promise<number> {
  const c = colors(out);
  const { session, result: full } = await scanSelection(paths, options);
  const { config } = session;
  const scanned = targetScan(full, options.dependency);

  out.write(
    `${discoveryLines(scanned.discovery, c).join('\n')}\n\n${c.bold('Audit summary')}${options.dependency ? c.dim(` (--dependency ${options.dependency})`) : ''}\n${auditLines(scanned).join('\n')}\n`,
  );
  if (!scanned.findings.length) {
    out.write(`\n${c.green('✔')} nothing to fix\n`);
    return 0;
  }
  // the fix step decides what is fixable: nothing whose preview is "no change" is offered
  out.write(c.dim('\nWorking out what can be fixed…\n'));
  const settled = await settleFixes(session, scanned);
  const result = settled.result;
  if (!settled.computed.changes.length) {
    const left = settled.computed.left.length;
    out.write(
      `\n${c.green('✔')} Nothing left to fix automatically: ${result.findings.length} finding(s) need a decision by hand${left ? ` (${left} have no safe rewrite for their shape)` : ''}. Run ${c.bold('harden-codemod --analyze')} for the playbook with guidance.\n`,
    );
    return 0;
  }
  if (isLarge(full, config)) {
    const code = await confirmLarge(full, config, paths, options);
    if (code !== null) return code;
  }
  let model = buildPlan(result, {
    createdModules: createdModules(settled.computed.changes),
    left: new Map(settled.computed.left.map((l) => [l.finding, l.reason])),
    tests: settled.computed.tests,
  });
  const ctx: PhaseContext = { result, session, out, allChanges: settled.computed.changes };
  let from = 0;
  for (;;) {
    model = await stepThrough(model, ctx, from);
    const chosen = new Set(selectedFindings(model));
    if (!chosen.size) {
      out.write(`\nNothing selected: nothing was written.\n`);
      return 0;
    }
    out.write(c.dim('\nComputing the changes…\n'));
    const tests = selectedTests(model);
    const computed = await computeFixes(session, result, (f) => chosen.has(f), { tests: (key) => tests.has(key) });
    if (!computed.changes.length) {
      out.write(
        'No file would change (every selected fix is already in place or has no safe rewrite): nothing was written.\n',
      );
      return 0;
    }
    const answer = await confirmWrite(computed, model, out);
    if (typeof answer === 'object') {
      from = answer.back;
      continue;
    }
    if (answer === 'cancel') {
      out.write('Nothing was written.\n');
      return 0;
    }
    markWriting();
    // the unfiltered scan is the baseline, so that a targeted run is not flagged for findings it never selected
    const applied = await applyAndValidate(session, options, full, computed);
    const playbook = path.resolve(full.root, DEFAULT_PLAYBOOK);
    if (fs.existsSync(playbook))
      out.write(`Playbook updated: ${path.relative(process.cwd(), await writePlaybook(applied.after, session))}\n`);
    return applied.code;
  }
}

/**
 * Implement mode on a terminal: scan, audit summary, then the spec's phases one checkbox at a
 * time, the diff stat and a confirmation. Nothing is written before the confirmation; Ctrl-C
 * up to then leaves the tree as it was and exits 130.
 */
export async function runPlanner(
  paths: string[],
  options: PlannerOptions,
  out: NodeJS.WriteStream = process.stdout,
): Promise<number> {
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
