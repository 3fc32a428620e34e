import { PHASES } from '../catalog/catalog';
import type { FixStepMeta } from '../api/step-metadata';

/**
 * The order in which the fix steps of a file run on its one AST, derived from what each step
 * declares: phase by phase; within a phase, a step runs after the steps it `requires` or
 * `runsAfter` and before those it `runsBefore`; steps free to go in any order go by name, so
 * the order never depends on how the modules were listed. A constraint that points to an
 * unknown step, against the phases, or round in a circle is an error.
 */
export function orderSteps<T extends { step: FixStepMeta }>(modules: readonly T[]): T[] {
  const byName = new Map<string, T>();
  for (const m of modules) {
    if (byName.has(m.step.name)) throw new Error(`two fix steps are named "${m.step.name}"`);
    byName.set(m.step.name, m);
  }
  const preceding = new Map<string, Set<string>>(modules.map((m) => [m.step.name, new Set<string>()]));
  const constrain = (first: string, then: string, by: string): void => {
    const a = byName.get(first);
    const b = byName.get(then);
    if (!a || !b) throw new Error(`fix step "${by}" names an unknown step "${a ? then : first}"`);
    if (PHASES.indexOf(a.step.phase) > PHASES.indexOf(b.step.phase))
      throw new Error(`fix step "${then}" (phase ${b.step.phase}) cannot run after "${first}" (phase ${a.step.phase})`);
    preceding.get(then)!.add(first);
  };
  for (const { step } of modules) {
    for (const r of [...step.requires, ...(step.runsAfter ?? [])]) constrain(r, step.name, step.name);
    for (const r of step.runsBefore ?? []) constrain(step.name, r, step.name);
  }
  const rank = (m: T): [number, string] => [PHASES.indexOf(m.step.phase), m.step.name];
  const placed = new Set<string>();
  const out: T[] = [];
  while (out.length < modules.length) {
    const ready = modules.filter(
      (m) => !placed.has(m.step.name) && [...preceding.get(m.step.name)!].every((p) => placed.has(p)),
    );
    if (!ready.length) {
      const left = modules.filter((m) => !placed.has(m.step.name)).map((m) => m.step.name);
      throw new Error(
        `the fix steps ${left.join(', ')} wait for each other (a circle of runsAfter/runsBefore/requires)`,
      );
    }
    const next = ready.reduce((best, m) => {
      const [p, n] = rank(m);
      const [bp, bn] = rank(best);
      return p < bp || (p === bp && n < bn) ? m : best;
    });
    placed.add(next.step.name);
    out.push(next);
  }
  return out;
}
