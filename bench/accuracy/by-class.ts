import type { LabelEntry } from './label-schema';
import type { MatchResult } from './match';

/** One class of code in the to-do list: how many lines, under which rules, in which services. */
export interface ClassGroup {
  class: string;
  count: number;
  rules: string[];
  services: string[];
}

/** Labels without a class are grouped by their rule, so nothing falls out of the list. */
const classOf = (l: LabelEntry): string => l.class ?? `(unclassified) ${l.rule}`;

function group(items: ReadonlyArray<{ service: string; label: LabelEntry }>): ClassGroup[] {
  const groups = new Map<string, ClassGroup>();
  for (const { service, label } of items) {
    const key = classOf(label);
    const g = groups.get(key) ?? { class: key, count: 0, rules: [], services: [] };
    g.count += 1;
    if (!g.rules.includes(label.rule)) g.rules.push(label.rule);
    if (!g.services.includes(service)) g.services.push(service);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.class.localeCompare(b.class));
}

/** Misses and wrong findings grouped by the class of code the reviewer gave each label. */
export function byClass(perService: ReadonlyArray<{ service: string; result: MatchResult }>): {
  misses: ClassGroup[];
  wrong: ClassGroup[];
} {
  return {
    misses: group(perService.flatMap(({ service, result }) => result.misses.map((label) => ({ service, label })))),
    wrong: group(perService.flatMap(({ service, result }) => result.wrong.map((w) => ({ service, label: w.label })))),
  };
}

export function classTable(title: string, groups: readonly ClassGroup[]): string {
  const lines = groups.map(
    (g) =>
      `  ${String(g.count).padStart(4)}  ${g.class}  [${g.rules.join(', ')}]  in ${g.services.length} service(s): ${g.services.join(', ')}`,
  );
  return [`== ${title}`, ...lines, ''].join('\n');
}
