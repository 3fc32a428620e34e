import { PHASES, type Catalog, type CatalogRule, type Phase } from '../catalog/catalog';
import { SEVERITIES, type Finding, type Severity } from '../types';

export type Priority = 'P0' | 'P1' | 'P2' | 'P3';
export type Effort = 'S' | 'M' | 'L';

export interface Ticket {
  /** 1-based, the table's "#" */
  number: number;
  phase: Phase;
  title: string;
  priority: Priority;
  effort: Effort;
  dependsOn: number[];
}

interface Draft {
  key: string;
  phase: Phase;
  title: string;
  findings: Finding[];
  rules: CatalogRule[];
  deps: string[];
  /** foundations and tests take their priority from the tickets they serve */
  derived?: boolean;
  /** a dependency's calls go through its composed policy (failure-mode tests check it) */
  wraps?: boolean;
  effort?: Effort;
}

const PRIORITY: Record<Severity, Priority> = { critical: 'P0', high: 'P1', medium: 'P2', low: 'P3' };
/** rules whose fix is a call through the composed policy */
const POLICY_AREAS = new Set(['Timeouts', 'Retries', 'Circuit breakers']);
/** infrastructure follow-ups that need the dead-letter queue to exist first */
const NEEDS_DLQ = new Set(['dlq-without-alarm', 'dlq-without-redrive']);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function worst(findings: Finding[]): Severity {
  return SEVERITIES.find((s) => findings.some((f) => f.severity === s)) ?? 'low';
}

function effortOf(d: Draft): Effort {
  if (d.effort) return d.effort;
  const n = d.findings.length;
  const automated = d.rules.every((r) => r.transform);
  const score = (n <= 2 ? 0 : n <= 8 ? 1 : 2) + (automated ? 0 : 1);
  return score === 0 ? 'S' : score === 1 ? 'M' : 'L';
}

function ruleDraft(rule: CatalogRule, findings: Finding[]): Draft {
  const files = new Set(findings.map((f) => f.file)).size;
  return {
    key: `rule:${rule.id}`,
    phase: rule.phase,
    title: `${rule.title} (\`${rule.id}\`): fix ${plural(findings.length, 'finding')} in ${plural(files, 'file')}`,
    findings,
    rules: [rule],
    deps: [],
  };
}

/**
 * The implementation plan in the spec's order (4.1 error taxonomy → 4.2 policy layer → 4.3 wrap
 * each dependency → 4.4 infrastructure → 4.5 operational tooling → 4.6 tests): one ticket per
 * rule, one per dependency for the wrapping, plus the foundations those need.
 */
export function planTickets(
  findings: Finding[],
  catalog: Catalog,
  composition: string[] = ['retry', 'circuit breaker', 'timeout'],
): Ticket[] {
  const drafts: Draft[] = [];
  const byRule = new Map<string, Finding[]>();
  const byDependency = new Map<string, Finding[]>();
  for (const f of findings) {
    const rule = catalog.byId.get(f.ruleId);
    if (!rule) continue;
    if (rule.phase === '4.3' && f.dependency) {
      byDependency.set(f.dependency.name, [...(byDependency.get(f.dependency.name) ?? []), f]);
    } else byRule.set(rule.id, [...(byRule.get(rule.id) ?? []), f]);
  }

  for (const [name, group] of byDependency) {
    const rules = catalog.rules.filter((r) => group.some((f) => f.ruleId === r.id));
    // a client timeout alone is set on the client; retries and breakers come from the composed policy
    const wraps = rules.some((r) => r.area === 'Retries' || r.area === 'Circuit breakers');
    const action = wraps
      ? `Call ${name} through its policy (${composition.join(' → ')})`
      : `Set timeouts on the ${name} client`;
    drafts.push({
      key: `dep:${name}`,
      phase: '4.3',
      title: `${action}: fixes ${rules.map((r) => `\`${r.id}\``).join(', ')} (${plural(group.length, 'finding')})`,
      findings: group,
      rules,
      deps: wraps ? ['policy-layer'] : [],
      wraps,
    });
  }
  for (const rule of catalog.rules) {
    const group = byRule.get(rule.id);
    if (!group) continue;
    const draft = ruleDraft(rule, group);
    if (rule.phase === '4.1') draft.deps.push('taxonomy');
    if (rule.phase === '4.2' || (rule.phase === '4.3' && POLICY_AREAS.has(rule.area))) draft.deps.push('policy-layer');
    if (NEEDS_DLQ.has(rule.id) && byRule.has('no-dlq')) draft.deps.push('rule:no-dlq');
    drafts.push(draft);
  }

  const needsPolicy = drafts.some((d) => d.deps.includes('policy-layer'));
  const needsTaxonomy = needsPolicy || drafts.some((d) => d.deps.includes('taxonomy'));
  if (needsPolicy) {
    drafts.push({
      key: 'policy-layer',
      phase: '4.2',
      title:
        'Create the resilience policy layer in `resilience/policies` (cockatiel: one composed policy per dependency, events wired to the logger)',
      findings: [],
      rules: [],
      deps: ['taxonomy'],
      derived: true,
      effort: byDependency.size > 3 ? 'M' : 'S',
    });
  }
  if (needsTaxonomy) {
    drafts.push({
      key: 'taxonomy',
      phase: '4.1',
      title:
        'Create the error taxonomy in `resilience/errors` (TransientError, DependencyDownError, PermanentError; infrastructure failures map to 503)',
      findings: [],
      rules: [],
      deps: [],
      derived: true,
      effort: 'S',
    });
  }
  const wrappers = drafts.filter((d) => d.wraps);
  if (wrappers.length) {
    drafts.push({
      key: 'tests',
      phase: '4.6',
      title: `Add failure-mode tests for each wrapper (timeout fires, retry exhaustion, breaker opens and half-opens, fallback): ${wrappers.map((w) => w.key.slice('dep:'.length)).join(', ')}`,
      findings: [],
      rules: [],
      deps: wrappers.map((w) => w.key),
      derived: true,
      effort: wrappers.length <= 2 ? 'S' : wrappers.length <= 5 ? 'M' : 'L',
    });
  }

  // a derived ticket is as urgent as the most urgent ticket it serves (or, for tests, that it checks)
  const priority = new Map<string, Priority>();
  for (const d of drafts) if (!d.derived) priority.set(d.key, PRIORITY[worst(d.findings)]);
  const tests = drafts.find((d) => d.key === 'tests');
  if (tests) priority.set('tests', tests.deps.map((k) => priority.get(k)!).sort()[0]!);
  for (const key of ['policy-layer', 'taxonomy']) {
    const served = drafts.filter((d) => d.deps.includes(key)).map((d) => priority.get(d.key) ?? 'P3');
    if (served.length) priority.set(key, served.sort()[0]!);
  }

  const rank = (d: Draft) => (d.derived && d.key !== 'tests' ? -1 : Number(priority.get(d.key)!.slice(1)));
  drafts.sort(
    (a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase) || rank(a) - rank(b) || a.title.localeCompare(b.title),
  );
  const numberOf = new Map(drafts.map((d, i) => [d.key, i + 1]));
  return drafts.map((d) => ({
    number: numberOf.get(d.key)!,
    phase: d.phase,
    title: d.title,
    priority: priority.get(d.key) ?? 'P3',
    effort: effortOf(d),
    dependsOn: d.deps
      .map((k) => numberOf.get(k))
      .filter((n): n is number => n !== undefined)
      .sort((a, b) => a - b),
  }));
}
