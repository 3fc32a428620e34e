import { loadCatalog } from '../catalog/catalog';
import type { ReliabilityFacts } from '../iac/reliability/facts-types';
import type { ScanResult } from '../types';
import { findStrengths, type Strength } from './reliability-strengths';
import {
  DOMAINS,
  RISK_LEVELS,
  riskLevel,
  ruleRisk,
  type Domain,
  type RiskLevel,
  type RiskProfile,
} from './reliability-risk';

/** One issue of the plan: a rule's findings (code or IaC), with every place it occurs. */
export interface PlanItem {
  id: string;
  key: string;
  title: string;
  description: string;
  evidence: string[];
  profile: RiskProfile;
  risk: RiskLevel;
  recommendation: string;
}

export interface DomainScore {
  domain: Domain;
  /** null = nothing in the code or IaC shows this domain either way */
  score: number | null;
  strengths: Strength[];
  gaps: PlanItem[];
}

export interface Assessment {
  items: PlanItem[];
  strengths: Strength[];
  domains: DomainScore[];
  /** the scan's findings per risk level (a finding's risk level is its scan severity) */
  counts: Record<RiskLevel, number>;
  maturity: number | null;
}

const RANK: Record<RiskLevel, number> = { Critical: 0, High: 1, Medium: 2, Low: 3 };
const SCORE_BY_WORST: Record<RiskLevel, number> = { Critical: 1, High: 2, Medium: 3, Low: 4 };

function findingItems(result: ScanResult): Omit<PlanItem, 'id'>[] {
  const catalog = loadCatalog();
  const byRule = new Map<string, ScanResult['findings']>();
  for (const f of result.findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  return [...byRule].map(([ruleId, group]) => {
    const rule = catalog.byId.get(ruleId);
    const profile = ruleRisk(ruleId, group[0]!.severity);
    return {
      key: ruleId,
      title: rule?.title ?? ruleId,
      description: `${rule?.impact ?? group[0]!.message} Example: ${group[0]!.message.replace(/\.$/, '')}.`,
      evidence: group.map((f) => `${f.file}:${f.line}`),
      profile,
      risk: riskLevel(profile.impact, profile.likelihood),
      recommendation: rule?.fix ?? 'See the rule documentation.',
    };
  });
}

/** What the code shows that is already right: resilience libraries, fully protected dependencies. */
function codeStrengths(result: ScanResult): Strength[] {
  const d = result.discovery;
  const out: Strength[] = [];
  for (const lib of d.resilienceLibraries) {
    out.push({
      domain: 'Resilience Patterns',
      rel: [4, 5],
      text: `${lib.name} already in use`,
      evidence: lib.files.map((f) => `${f}`),
    });
  }
  const guarded = d.dependencies.filter((x) => x.protection.timeout && x.protection.retry);
  if (guarded.length) {
    out.push({
      domain: 'Resilience Patterns',
      rel: [4],
      text: `Timeout and retry on ${guarded.map((x) => x.name).join(', ')}`,
      evidence: guarded.flatMap((x) => x.files),
    });
  }
  return out;
}

/**
 * Scores a domain 1-5: the worst open risk sets the ceiling (Critical 1 … Low 4, none 5);
 * a domain with no gap but a single strength gets 4, and one with no evidence at all is
 * "cannot determine" rather than a guess.
 */
function scoreDomain(strengths: Strength[], gaps: PlanItem[]): number | null {
  if (!strengths.length && !gaps.length) return null;
  const worst = gaps.reduce<RiskLevel | null>((w, g) => (w === null || RANK[g.risk] < RANK[w] ? g.risk : w), null);
  if (worst) return SCORE_BY_WORST[worst];
  return strengths.length >= 2 ? 5 : 4;
}

export function assess(result: ScanResult, facts: ReliabilityFacts): Assessment {
  const strengths = [...codeStrengths(result), ...findStrengths(facts)];
  const items = findingItems(result)
    .sort((a, b) => RANK[a.risk] - RANK[b.risk] || b.evidence.length - a.evidence.length || a.key.localeCompare(b.key))
    .map((item, i) => ({ ...item, id: `REL-${String(i + 1).padStart(2, '0')}` }));
  const counts = Object.fromEntries(
    RISK_LEVELS.map((l) => [l, items.filter((i) => i.risk === l).reduce((n, i) => n + i.evidence.length, 0)]),
  ) as Record<RiskLevel, number>;
  const domains = DOMAINS.map((domain) => {
    const ds = strengths.filter((s) => s.domain === domain);
    const dg = items.filter((i) => i.profile.domain === domain);
    return { domain, score: scoreDomain(ds, dg), strengths: ds, gaps: dg };
  });
  const scored = domains.map((d) => d.score).filter((s): s is number => s !== null);
  // the floor of the mean: one strong domain does not lift a weak workload a whole level
  const maturity = scored.length ? Math.max(1, Math.floor(scored.reduce((a, b) => a + b, 0) / scored.length)) : null;
  return { items, strengths, domains, counts, maturity };
}
