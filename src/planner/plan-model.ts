import { loadCatalog, PHASES, type Phase } from '../catalog/catalog';
import { CODE_FIX_STEPS } from '../registry/fix-steps';
import { SEVERITIES, type Finding, type ScanResult, type Severity } from '../types';

/**
 * The interactive planner's model: the fixes of a scan laid out in the spec's implementation
 * order (seed 000, phase 4), with the prerequisites between them. Plain data and pure
 * functions, so that the prompts stay thin and the rules are tested without a terminal.
 */

export const PHASE_TITLES: Record<Phase, string> = {
  '4.1': 'Error taxonomy',
  '4.2': 'Resilience policy layer',
  '4.3': 'Wrap each dependency (+ structured logging)',
  '4.4': 'Infrastructure hardening',
  '4.5': 'Operational tooling',
  '4.6': 'Failure-mode tests',
};

export interface PlanItem {
  /** stable within a plan: `module:<step>`, `finding:<rule>:<file>:<line>:<column>` or `tests:<policy key>` */
  id: string;
  kind: 'module' | 'finding' | 'tests';
  phase: Phase;
  /** the dependency name, else the file; a module's group is "shared modules" */
  group: string;
  /** e.g. "error taxonomy module", "no-retry src/a.ts:12" */
  label: string;
  severity?: Severity;
  ruleId?: string;
  file?: string;
  line?: number;
  /** report-only findings are listed and never selected */
  selectable: boolean;
  /** why a finding is report only: the fix step's reason, when it tried */
  why?: string;
  /** a tests item: the dependency's policy key and the test file it creates */
  tests?: { key: string; file: string };
  selected: boolean;
  /** ids of the items this one needs */
  requires: string[];
  finding?: Finding;
}

export interface PlanGroup {
  name: string;
  items: PlanItem[];
}

export interface PlanPhase {
  phase: Phase;
  title: string;
  groups: PlanGroup[];
}

export interface Plan {
  phases: PlanPhase[];
}

export interface SelectionChange {
  plan: Plan;
  /** select: prerequisites selected along; deselect: dependants dropped along */
  also: PlanItem[];
  /** one sentence for the user; empty when nothing else changed */
  reason: string;
}

export interface DeselectResult {
  plan: Plan;
  alsoDropped: PlanItem[];
  reason: string;
}

export const SHARED_MODULES = 'shared modules';
/** The generated module (file name without extension) each module step creates. */
export const MODULE_OF_STEP: Readonly<Record<string, string>> = {
  'error-taxonomy': 'errors',
  'policy-layer': 'policies',
};
export const FAILURE_TESTS = 'failure-mode tests';
const moduleId = (step: string): string => `module:${step}`;
const findingId = (f: Finding): string => `finding:${f.ruleId}:${f.file}:${f.line}:${f.column}`;

/** Fix steps no catalog rule names as its transform: they only create a module others import. */
function moduleSteps(): Set<string> {
  const used = new Set(
    loadCatalog()
      .rules.map((r) => r.transform)
      .filter(Boolean),
  );
  return new Set(CODE_FIX_STEPS.filter((s) => !used.has(s.name)).map((s) => s.name));
}

/** step name → the module steps it needs, transitively (the engine's `after` lists). */
function moduleClosure(step: string, modules: Set<string>, seen = new Set<string>()): string[] {
  for (const dep of CODE_FIX_STEPS.find((s) => s.name === step)?.requires ?? []) {
    if (seen.has(dep)) continue;
    seen.add(dep);
    moduleClosure(dep, modules, seen);
  }
  return [...seen].filter((s) => modules.has(s));
}

const bySeverityThenPlace = (a: PlanItem, b: PlanItem): number =>
  (a.kind === 'module' ? -1 : 0) - (b.kind === 'module' ? -1 : 0) ||
  SEVERITIES.indexOf(a.severity ?? 'low') - SEVERITIES.indexOf(b.severity ?? 'low') ||
  (a.file ?? '').localeCompare(b.file ?? '') ||
  (a.line ?? 0) - (b.line ?? 0) ||
  a.id.localeCompare(b.id);

export interface PlanInput {
  /**
   * the module steps whose module the fix creates (settled by computing the fix); a module that
   * already exists is no item, and the fixes import it. Default: every module a fix needs.
   */
  createdModules?: ReadonlySet<string>;
  /** why the fix step leaves a finding as it is */
  left?: ReadonlyMap<Finding, string>;
  /** phase 4.6: the failure-mode test file the fix would create per wrapped dependency */
  tests?: ReadonlyArray<{ key: string; file: string }>;
}

/**
 * Lays out a scan's findings by phase and group; every fixable item starts selected. Give a scan
 * whose `fixable` flags the fix engine settled (src/engine/fixability.ts): then no item whose
 * fix changes nothing is pre-selected, and report-only items carry the reason.
 */
export function buildPlan(result: Pick<ScanResult, 'findings'>, input: PlanInput = {}): Plan {
  const catalog = loadCatalog();
  const modules = new Set([...moduleSteps()].filter((m) => !input.createdModules || input.createdModules.has(m)));
  const items: PlanItem[] = [];
  const neededModules = new Set<string>();
  for (const f of result.findings) {
    const rule = catalog.byId.get(f.ruleId);
    const selectable = f.fixable && Boolean(rule?.transform);
    const needs = selectable && rule?.transform ? moduleClosure(rule.transform, modules) : [];
    if (selectable) needs.forEach((m) => neededModules.add(m));
    const why = input.left?.get(f);
    items.push({
      id: findingId(f),
      kind: 'finding',
      phase: rule?.phase ?? '4.6',
      group: f.dependency?.name ?? f.file,
      label: `${f.ruleId} ${f.file}:${f.line}`,
      severity: f.severity,
      ruleId: f.ruleId,
      file: f.file,
      line: f.line,
      selectable,
      selected: selectable,
      ...(why ? { why } : {}),
      // only the module directly named in `after`: the module's own prerequisites follow from it
      requires: selectable && rule?.transform ? directModules(rule.transform, modules) : [],
      finding: f,
    });
  }
  const policyModule = neededModules.has('policy-layer') ? [moduleId('policy-layer')] : [];
  for (const t of input.tests ?? []) {
    items.push({
      id: `tests:${t.key}`,
      kind: 'tests',
      phase: '4.6',
      group: FAILURE_TESTS,
      label: `failure-mode tests of ${t.key} (${t.file})`,
      file: t.file,
      selectable: true,
      selected: true,
      requires: policyModule,
      tests: t,
    });
  }
  for (const step of CODE_FIX_STEPS) {
    if (!neededModules.has(step.name)) continue;
    items.push({
      id: moduleId(step.name),
      kind: 'module',
      phase: step.phase as Phase,
      group: SHARED_MODULES,
      label: `${step.name.replace(/-/g, ' ')} module`,
      selectable: true,
      selected: true,
      requires: directModules(step.name, modules),
    });
  }
  return {
    phases: PHASES.map((phase) => {
      const own = items.filter((i) => i.phase === phase).sort(bySeverityThenPlace);
      const names = [...new Set(own.map((i) => i.group))].sort((a, b) =>
        a === SHARED_MODULES ? -1 : b === SHARED_MODULES ? 1 : a.localeCompare(b),
      );
      return {
        phase,
        title: PHASE_TITLES[phase],
        groups: names.map((name) => ({ name, items: own.filter((i) => i.group === name) })),
      };
    }),
  };
}

function directModules(step: string, modules: Set<string>): string[] {
  const after = CODE_FIX_STEPS.find((s) => s.name === step)?.requires ?? [];
  // a prerequisite that is itself a rewrite step (none today) passes on its own modules
  return [...new Set(after.flatMap((a) => (modules.has(a) ? [moduleId(a)] : moduleClosure(a, modules).map(moduleId))))];
}

export function planItems(plan: Plan): PlanItem[] {
  return plan.phases.flatMap((p) => p.groups.flatMap((g) => g.items));
}

export function findItem(plan: Plan, id: string): PlanItem | undefined {
  return planItems(plan).find((i) => i.id === id);
}

function withSelection(plan: Plan, selected: (item: PlanItem) => boolean): Plan {
  return {
    phases: plan.phases.map((p) => ({
      ...p,
      groups: p.groups.map((g) => ({
        ...g,
        items: g.items.map((i) => ({ ...i, selected: i.selectable && selected(i) })),
      })),
    })),
  };
}

const describe = (items: PlanItem[]): string => items.map((i) => i.label).join(', ');

/** Selects items and, with them, everything they need (a report-only item stays unselected). */
export function select(plan: Plan, ids: Iterable<string>): SelectionChange {
  const all = new Map(planItems(plan).map((i) => [i.id, i]));
  const asked = new Set<string>();
  const wanted = new Set<string>();
  const visit = (id: string): void => {
    const item = all.get(id);
    if (!item || !item.selectable || wanted.has(id)) return;
    wanted.add(id);
    item.requires.forEach(visit);
  };
  for (const id of ids) {
    if (!all.has(id)) throw new Error(`no plan item "${id}"`);
    asked.add(id);
    visit(id);
  }
  const also = [...wanted].map((id) => all.get(id)!).filter((i) => !asked.has(i.id) && !i.selected);
  const next = withSelection(plan, (i) => i.selected || wanted.has(i.id));
  const reason = also.length
    ? `also selected ${describe(also)}: the chosen fixes need ${also.length === 1 ? 'it' : 'them'}`
    : '';
  return { plan: next, also, reason };
}

/** Deselects items and every selected item that needs one of them, directly or not. */
export function deselect(plan: Plan, ids: Iterable<string>): DeselectResult {
  const items = planItems(plan);
  const asked = new Set<string>();
  for (const id of ids) {
    if (!items.some((i) => i.id === id)) throw new Error(`no plan item "${id}"`);
    asked.add(id);
  }
  const dropped = new Set(asked);
  for (let grew = true; grew;) {
    grew = false;
    for (const i of items) {
      if (!dropped.has(i.id) && i.requires.some((r) => dropped.has(r))) {
        dropped.add(i.id);
        grew = true;
      }
    }
  }
  const alsoDropped = items.filter((i) => dropped.has(i.id) && !asked.has(i.id) && i.selected);
  const causes = items.filter((i) => asked.has(i.id) && alsoDropped.some((d) => needsTransitively(items, d, i.id)));
  const reason = alsoDropped.length
    ? `also dropped ${alsoDropped.length} item(s) that need ${describe(causes)}: ${describe(alsoDropped)}`
    : '';
  return { plan: withSelection(plan, (i) => i.selected && !dropped.has(i.id)), alsoDropped, reason };
}

function needsTransitively(items: PlanItem[], item: PlanItem, target: string, seen = new Set<string>()): boolean {
  for (const r of item.requires) {
    if (r === target) return true;
    if (seen.has(r)) continue;
    seen.add(r);
    const next = items.find((i) => i.id === r);
    if (next && needsTransitively(items, next, target, seen)) return true;
  }
  return false;
}

/**
 * Applies one phase's checkbox answer: unchecked items are deselected with their dependants
 * (in any phase, even when left checked here), checked ones selected with their prerequisites.
 */
export function applyPhaseAnswer(plan: Plan, phase: Phase, checked: Iterable<string>): { plan: Plan; notes: string[] } {
  const want = new Set(checked);
  const own = plan.phases
    .find((p) => p.phase === phase)!
    .groups.flatMap((g) => g.items)
    .filter((i) => i.selectable);
  const notes: string[] = [];
  const off = deselect(
    plan,
    own.filter((i) => i.selected && !want.has(i.id)).map((i) => i.id),
  );
  if (off.reason) notes.push(off.reason);
  // an unchecked prerequisite wins over dependants left checked beside it
  const dropped = new Set(off.alsoDropped.map((i) => i.id));
  const on = select(
    off.plan,
    own.filter((i) => want.has(i.id) && !dropped.has(i.id)).map((i) => i.id),
  );
  if (on.reason) notes.push(on.reason);
  return { plan: on.plan, notes };
}

/** Phase 4.6: the dependencies (policy keys) whose failure-mode tests are chosen. */
export function selectedTests(plan: Plan): Set<string> {
  return new Set(
    planItems(plan)
      .filter((i) => i.kind === 'tests' && i.selected)
      .map((i) => i.tests!.key),
  );
}

/** The findings the fix engine should fix: the selected, fixable ones. */
export function selectedFindings(plan: Plan): Finding[] {
  return planItems(plan)
    .filter((i) => i.kind === 'finding' && i.selected && i.finding)
    .map((i) => i.finding!);
}
