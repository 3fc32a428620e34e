import { checkbox, select, Separator } from '@inquirer/prompts';
import type { ResolvedConfig } from '../config/config-schema';
import { computeChanges } from '../engine/compute-changes';
import { colors } from '../report/colors';
import { diffReport } from '../report/diff-report';
import type { ScanResult, Severity } from '../types';
import { applyPhaseAnswer, deselect, type Plan, type PlanItem, type PlanPhase } from './plan-model';

const PREVIEW = '\0preview';
const SKIP = '\0skip';

export interface PhaseContext {
  result: ScanResult;
  config: ResolvedConfig;
  out: NodeJS.WriteStream;
}

function severityTag(c: ReturnType<typeof colors>, s: Severity | undefined): string {
  if (!s) return c.dim('module   ');
  const label = s.toUpperCase().padEnd(9);
  return s === 'critical' ? c.bold(c.red(label)) : s === 'high' ? c.red(label) : s === 'medium' ? c.yellow(label) : c.dim(label);
}

function itemName(c: ReturnType<typeof colors>, item: PlanItem): string {
  if (item.kind === 'module') return `${severityTag(c, undefined)}${item.label}`;
  return `${severityTag(c, item.severity)}${item.ruleId}  ${c.cyan(`${item.file}:${item.line}`)}`;
}

function summaryOf(values: string[]): string {
  if (values.includes(SKIP)) return 'skipped';
  const n = values.filter((v) => v !== PREVIEW).length;
  return `${n} selected${values.includes(PREVIEW) ? ', preview' : ''}`;
}

export const phaseItems = (p: PlanPhase): PlanItem[] => p.groups.flatMap((g) => g.items);

/** The changes one item would make alone: a finding's own rewrite, or the module its selected dependants create. */
async function previewItem(plan: Plan, item: PlanItem, ctx: PhaseContext): Promise<string> {
  const c = colors(ctx.out);
  let wanted: Set<unknown>;
  if (item.kind === 'finding') wanted = new Set([item.finding]);
  else {
    const dependants = deselect(plan, [item.id]).alsoDropped.filter((d) => d.kind === 'finding');
    wanted = new Set(dependants.map((d) => d.finding));
  }
  if (!wanted.size) return c.dim('  nothing to preview: select a fix that needs this module first\n');
  const computed = await computeChanges(ctx.result, ctx.config, (f) => wanted.has(f));
  const changes = item.kind === 'module' ? computed.changes.filter((ch) => ch.kind === 'create') : computed.changes;
  const lines: string[] = [];
  if (changes.length) lines.push(diffReport(changes, ctx.out));
  else lines.push(c.dim('  no change: the module already exists, or there is no safe rewrite for this shape'));
  if (item.kind === 'finding') for (const { reason } of computed.left) lines.push(c.yellow(`  left as it is: ${reason}`));
  for (const note of computed.notes) lines.push(c.dim(`  note: ${note}`));
  return `${lines.join('\n')}\n`;
}

async function pickPreview(plan: Plan, phase: PlanPhase, ctx: PhaseContext): Promise<void> {
  const c = colors(ctx.out);
  const choices = phaseItems(phase)
    .filter((i) => i.selectable)
    .map((i) => ({ value: i.id, name: `${itemName(c, i)}${i.kind === 'finding' && i.group !== i.file ? c.dim(`  ${i.group}`) : ''}` }));
  const id = await select({ message: 'Preview which item?', choices: [...choices, { value: '', name: 'Back' }], pageSize: 15, loop: false });
  const item = phaseItems(phase).find((i) => i.id === id);
  if (item) ctx.out.write(`\n${await previewItem(plan, item, ctx)}\n`);
}

/**
 * One phase's checkbox: its items grouped by dependency or file (report-only findings shown
 * disabled), every selected item checked, plus "preview" and "skip" entries. Returns the plan
 * with the phase's answer applied, dependants and prerequisites included.
 */
export async function promptPhase(plan: Plan, phaseId: PlanPhase['phase'], ctx: PhaseContext): Promise<Plan> {
  const c = colors(ctx.out);
  for (;;) {
    const phase = plan.phases.find((p) => p.phase === phaseId)!;
    const choices: Array<Separator | { value: string; name: string; checked?: boolean; disabled?: string | boolean }> = [];
    for (const group of phase.groups) {
      choices.push(new Separator(c.bold(`── ${group.name}`)));
      for (const item of group.items) {
        choices.push({ value: item.id, name: itemName(c, item), checked: item.selected, disabled: item.selectable ? false : 'report only' });
      }
    }
    choices.push(new Separator(' '), { value: PREVIEW, name: 'Preview the diff of an item' }, { value: SKIP, name: 'Skip this phase' });
    const answer = await checkbox({
      message: `Phase ${phase.phase} · ${phase.title}`,
      choices,
      pageSize: 20,
      loop: false,
      // the answer line: a count, not every label
      theme: { style: { renderSelectedChoices: (chosen: ReadonlyArray<{ value: unknown }>) => summaryOf(chosen.map((ch) => String(ch.value))) } },
    });
    if (answer.includes(SKIP)) {
      const own = phaseItems(phase).filter((i) => i.selected).map((i) => i.id);
      const r = deselect(plan, own);
      if (r.reason) ctx.out.write(c.yellow(`  ${r.reason}\n`));
      return r.plan;
    }
    const applied = applyPhaseAnswer(plan, phase.phase, answer.filter((a) => a !== PREVIEW));
    for (const note of applied.notes) ctx.out.write(c.yellow(`  ${note}\n`));
    plan = applied.plan;
    if (!answer.includes(PREVIEW)) return plan;
    await pickPreview(plan, plan.phases.find((p) => p.phase === phaseId)!, ctx);
  }
}
