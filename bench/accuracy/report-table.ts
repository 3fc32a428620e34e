import type { LabelEntry } from './label-schema';
import type { MatchResult, Score } from './match';
import { scoreOf, withoutRules } from './match';

/** console.* lines are most of the labels and are found by a text match: figures are also given without them. */
export const DOMINANT_RULE = 'unstructured-logging';

const pct = (n: number | null): string => (n === null ? '   -' : n.toFixed(2));

/** One line per rule that has a label or a finding, then the overall line. */
export function ruleTable(title: string, result: MatchResult, rules: readonly string[]): string {
  const head = `${'rule'.padEnd(34)} ${'labelled'.padStart(8)} ${'found'.padStart(5)} ${'recall'.padStart(6)} ${'reported'.padStart(8)} ${'correct'.padStart(7)} ${'wrong'.padStart(5)} ${'unjudged'.padStart(8)} ${'precision'.padStart(9)} ${'look-alikes flagged'.padStart(19)}`;
  const line = (name: string, s: Score): string =>
    `${name.padEnd(34)} ${String(s.labelled).padStart(8)} ${String(s.found).padStart(5)} ${pct(s.recall).padStart(6)} ${String(s.reported).padStart(8)} ${String(s.correct).padStart(7)} ${String(s.wrong).padStart(5)} ${String(s.unjudged).padStart(8)} ${pct(s.precision).padStart(9)} ${`${s.lookAlikesFlagged}/${s.lookAlikes}`.padStart(19)}`;
  const rows = rules
    .map((rule) => [rule, scoreOf(result, rule)] as const)
    .filter(([, s]) => s.labelled + s.reported + s.lookAlikes > 0)
    .map(([rule, s]) => line(rule, s));
  return [
    `== ${title}`,
    head,
    ...rows,
    line('OVERALL', scoreOf(result)),
    line(`OVERALL without ${DOMINANT_RULE}`, scoreOf(withoutRules(result, [DOMINANT_RULE]))),
    '',
  ].join('\n');
}

const where = (service: string, file: string, line: number): string => `${service}:${file}:${line}`;

/** The misses, wrong findings and unjudged findings of each service, one per line. */
export function detailLists(perService: ReadonlyArray<{ service: string; result: MatchResult }>): string {
  const out: string[] = [];
  const label = (service: string, l: LabelEntry): string =>
    `  ${l.rule.padEnd(30)} ${where(service, l.file, l.line)}  ${l.class ? `[${l.class}] ` : ''}${l.reason}`;
  out.push('== misses (labelled, not reported)');
  for (const { service, result } of perService) for (const l of result.misses) out.push(label(service, l));
  out.push('', '== wrong findings (on a look-alike, a judged false positive, or a duplicate)');
  for (const { service, result } of perService)
    for (const w of result.wrong)
      out.push(
        `  ${w.finding.ruleId.padEnd(30)} ${where(service, w.finding.file, w.finding.line)}  (${w.why}) ${w.label.reason}`,
      );
  out.push('', '== unjudged findings (no label: judge each once and add it to the labels)');
  for (const { service, result } of perService)
    for (const f of result.unjudged)
      out.push(`  ${f.ruleId.padEnd(30)} ${where(service, f.file, f.line)}  ${(f.message ?? '').slice(0, 140)}`);
  return `${out.join('\n')}\n`;
}
