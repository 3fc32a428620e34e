import { checkbox, expand, select, Separator } from '@inquirer/prompts';
import { colors } from '../report/colors';
import { diffReport } from '../report/diff-report';
import { computeFixes } from '../session/compute-fixes';
import type { Session } from '../session/open-session';
import type { FileChange, ScanResult, Severity } from '../types';
import { applyPhaseAnswer, deselect, type Plan, type PlanItem, type PlanPhase } from './plan-model';

export interface PhaseContext {
  result: ScanResult;
  session: Session;
  out: NodeJS.WriteStream;
  /** every change of the settled plan, computed once (the failure-mode tests' previews) */
  allChanges: FileChange[];
}

/** What the user chose to do once a phase's items are ticked. */
export type PhaseStep = 'next' | 'back';

function severityTag(c: ReturnType<typeof colors>, s: Severity | undefined, kind: PlanItem['kind']): string {
  if (!s) return c.dim((kind === 'tests' ? 'tests' : 'module').padEnd(9));
  const label = s.toUpperCase().padEnd(9);
  return s === 'critical'
    ? c.bold(c.red(label))
    : s === 'high'
      ? c.red(label)
      : s === 'medium'
        ? c.yellow(label)
        : c.dim(label);
}

function itemName(c: ReturnType<typeof colors>, item: PlanItem): string {
  if (item.kind !== 'finding') return `${severityTag(c, undefined, item.kind)}${item.label}`;
  return `${severityTag(c, item.severity, item.kind)}${item.ruleId}  ${c.cyan(`${item.file}:${item.line}`)}`;
}

export const phaseItems = (p: PlanPhase): PlanItem[] => p.groups.flatMap((g) => g.items);

/** A created file in a preview: one line, its full text only on demand. */
function createdSummary(c: ReturnType<typeof colors>, change: FileChange): string {
  const lines = change.after.split('\n').length - (change.after.endsWith('\n') ? 1 : 0);
  return c.dim(`  create ${change.file} (${lines} lines)`);
}

/**
 * The changes one item makes alone: a finding's own hunks in the files it rewrites (a module it
 * creates, package.json lines it adds are summarised), a module item's file, a tests item's file.
 */
async function previewChanges(
  plan: Plan,
  item: PlanItem,
  ctx: PhaseContext,
): Promise<{ changes: FileChange[]; left: string[]; notes: string[] }> {
  if (item.kind === 'tests')
    return { changes: ctx.allChanges.filter((ch) => ch.file === item.tests!.file), left: [], notes: [] };
  let wanted: Set<unknown>;
  if (item.kind === 'finding') wanted = new Set([item.finding]);
  else
    wanted = new Set(
      deselect(plan, [item.id])
        .alsoDropped.filter((d) => d.kind === 'finding')
        .map((d) => d.finding),
    );
  if (!wanted.size) return { changes: [], left: [], notes: [] };
  // a fix may be safe only together with another chosen fix (a catch may rethrow once its route
  // caller is fixed): the rest of the selection counts as fixed alongside, without being shown
  const alongside = new Set(
    plan.phases
      .flatMap(phaseItems)
      .filter((i) => i.selected && i.kind === 'finding')
      .map((i) => i.finding),
  );
  // a preview shows this item's own change: no failure-mode tests (phase 4.6 chooses those)
  const computed = await computeFixes(ctx.session, ctx.result, (f) => wanted.has(f), {
    tests: () => false,
    alongside: (f) => alongside.has(f),
  });
  const changes =
    item.kind === 'module'
      ? computed.changes.filter(
          (ch) => ch.kind === 'create' && ch.fixes.length === 0 && !ch.file.endsWith('package.json'),
        )
      : computed.changes;
  return { changes, left: computed.left.map((l) => l.reason), notes: computed.notes };
}

async function previewItem(plan: Plan, item: PlanItem, ctx: PhaseContext): Promise<void> {
  const c = colors(ctx.out);
  const { changes, left, notes } = await previewChanges(plan, item, ctx);
  const created = changes.filter((ch) => ch.kind === 'create');
  const modified = changes.filter((ch) => ch.kind === 'modify');
  const lines: string[] = [];
  if (modified.length) lines.push(diffReport(modified, ctx.out));
  lines.push(...created.map((ch) => createdSummary(c, ch)));
  if (!changes.length)
    lines.push(
      c.dim(item.kind === 'module' ? '  no change: select a fix that needs this module first' : '  no change'),
    );
  for (const reason of left) lines.push(c.yellow(`  left as it is: ${reason}`));
  for (const note of notes) lines.push(c.dim(`  note: ${note}`));
  ctx.out.write(`\n${lines.join('\n')}\n`);
  if (!created.length) return;
  const full = await expand({
    message: `Show the ${created.length === 1 ? 'created file' : `${created.length} created files`} in full?`,
    default: 'n',
    choices: [
      { key: 'y', name: 'Yes, show the full text', value: true },
      { key: 'n', name: 'No', value: false },
    ],
  });
  if (full) ctx.out.write(`\n${diffReport(created, ctx.out)}\n`);
}

async function pickPreview(plan: Plan, phase: PlanPhase, ctx: PhaseContext): Promise<void> {
  const c = colors(ctx.out);
  const choices = phaseItems(phase)
    .filter((i) => i.selectable)
    .map((i) => ({
      value: i.id,
      name: `${itemName(c, i)}${i.kind === 'finding' && i.group !== i.file ? c.dim(`  ${i.group}`) : ''}`,
    }));
  const id = await select({
    message: 'Preview which item?',
    choices: [...choices, { value: '', name: 'Back' }],
    pageSize: 15,
    loop: false,
  });
  const item = phaseItems(phase).find((i) => i.id === id);
  if (item) await previewItem(plan, item, ctx);
}

/** The checkbox of one phase: its items only (report-only findings disabled, with the reason). */
async function tickItems(plan: Plan, phase: PlanPhase, ctx: PhaseContext): Promise<Plan> {
  const c = colors(ctx.out);
  const choices: Array<Separator | { value: string; name: string; checked?: boolean; disabled?: string | boolean }> =
    [];
  for (const group of phase.groups) {
    choices.push(new Separator(c.bold(`── ${group.name}`)));
    for (const item of group.items) {
      const why = item.why
        ? `report only: ${item.why.length > 60 ? `${item.why.slice(0, 59)}…` : item.why}`
        : 'report only';
      choices.push({
        value: item.id,
        name: itemName(c, item),
        checked: item.selected,
        disabled: item.selectable ? false : why,
      });
    }
  }
  const answer = await checkbox({
    message: `Phase ${phase.phase} · ${phase.title}`,
    choices,
    pageSize: 20,
    loop: false,
    // the answer line: a count, not every label
    theme: { style: { renderSelectedChoices: (chosen: ReadonlyArray<unknown>) => `${chosen.length} selected` } },
  });
  const applied = applyPhaseAnswer(plan, phase.phase, answer);
  for (const note of applied.notes) ctx.out.write(c.yellow(`  ${note}\n`));
  return applied.plan;
}

/**
 * One phase: tick its items (`a` toggles items only: the controls are not rows of the checkbox),
 * then go on, preview an item, change the ticks again, skip the phase (saying so; it can be
 * revisited) or go back to the previous phase. Returns the plan and where to go next.
 */
export async function promptPhase(
  plan: Plan,
  phaseId: PlanPhase['phase'],
  ctx: PhaseContext,
  nav: { next: string; previous?: string },
): Promise<{ plan: Plan; step: PhaseStep }> {
  const c = colors(ctx.out);
  const current = (): PlanPhase => plan.phases.find((p) => p.phase === phaseId)!;
  plan = await tickItems(plan, current(), ctx);
  for (;;) {
    const chosen = phaseItems(current()).filter((i) => i.selected).length;
    const action = await select({
      message: `Phase ${phaseId}: ${chosen} selected. Then?`,
      choices: [
        { value: 'next', name: `Continue to ${nav.next}` },
        { value: 'preview', name: 'Preview the diff of an item' },
        { value: 'change', name: 'Change the selection of this phase' },
        { value: 'skip', name: 'Skip this phase (nothing in it is changed)' },
        ...(nav.previous ? [{ value: 'back', name: `Back to ${nav.previous}` }] : []),
      ],
      loop: false,
    });
    if (action === 'next') return { plan, step: 'next' };
    if (action === 'back') return { plan, step: 'back' };
    if (action === 'preview') await pickPreview(plan, current(), ctx);
    if (action === 'change') plan = await tickItems(plan, current(), ctx);
    if (action === 'skip') {
      const r = deselect(
        plan,
        phaseItems(current())
          .filter((i) => i.selected)
          .map((i) => i.id),
      );
      ctx.out.write(
        c.yellow(
          `  Phase ${phaseId} skipped: nothing in it is changed${r.reason ? `; ${r.reason}` : ''}. Go back to it from a later phase or at the confirmation.\n`,
        ),
      );
      return { plan: r.plan, step: 'next' };
    }
  }
}
