import type { ReliabilityFacts } from '../iac/reliability/facts-types';
import { cell } from './markdown-report';
import type { Assessment } from './reliability-assess';
import type { RiskLevel } from './reliability-risk';

/** The 13 Well-Architected reliability questions (seed 003, step 7). */
export const REL_QUESTIONS: ReadonlyArray<[number, string, string]> = [
  [1, 'How do you manage service quotas and constraints?', 'quota alarms are not visible in code'],
  [2, 'How do you plan your network topology?', 'network topology outside the IaC read is not visible'],
  [3, 'How does your system adapt to changes in demand?', ''],
  [4, 'How do you design interactions in a distributed system to prevent failures?', ''],
  [5, 'How do you design interactions to mitigate or withstand failures?', ''],
  [6, 'How do you monitor workload resources?', 'dashboards and alert routing are not visible in code'],
  [
    7,
    'How do you design your workload to adapt to changes in demand?',
    'scheduled or predictive scaling outside the IaC is not visible',
  ],
  [8, 'How do you implement change?', 'pre-production parity is not visible in code'],
  [9, 'How do you back up data?', ''],
  [
    10,
    'How do you use fault isolation to protect your workload?',
    'cell-based or shuffle-sharding designs are not visible in code',
  ],
  [11, 'How do you design your workload to withstand component failures?', ''],
  [12, 'How do you test reliability?', 'whether game days or DR drills are run is not visible in code'],
  [13, 'How do you plan for disaster recovery (DR)?', 'RTO/RPO targets and DR runbooks are not visible in code'],
];

const RANK: Record<RiskLevel, number> = { Critical: 0, High: 1, Medium: 2, Low: 3 };

function list(evidence: string[], max = 3): string {
  const shown = [...new Set(evidence)];
  return (
    shown
      .slice(0, max)
      .map((e) => `\`${e}\``)
      .join(', ') + (shown.length > max ? ` (+${shown.length - max} more)` : '')
  );
}

/** Gaps that are absences across the whole IaC (no file to point at), per question. */
function absences(
  n: number,
  facts: ReliabilityFacts,
  availabilityTarget: string | undefined,
): Array<{ text: string; risk: RiskLevel }> {
  if (!facts.files.length) return [];
  const stateful = facts.databases.length + facts.tables.length + facts.buckets.length + facts.caches.length;
  if (n === 12 && !facts.fisTemplates.length && !facts.restoreTestingPlans.length) {
    return [
      { text: 'no FIS experiment template or restore testing plan in the IaC', risk: stateful ? 'High' : 'Medium' },
    ];
  }
  if (n === 6 && !facts.alarms.length) return [{ text: 'no CloudWatch alarm in the IaC', risk: 'High' }];
  if (n === 9 && stateful && !facts.backupPlans.length)
    return [{ text: 'no AWS Backup plan for the stateful resources', risk: 'Medium' }];
  const crossRegion =
    facts.buckets.some((b) => b.replication) ||
    facts.tables.some((t) => t.replicas > 1) ||
    facts.backupPlans.some((b) => b.crossRegionCopy);
  const fourNines = availabilityTarget !== undefined && parseFloat(availabilityTarget) >= 99.99;
  if (n === 13 && stateful && !crossRegion) {
    return [
      {
        text: `no cross-region copy of data${fourNines ? ` (the ${availabilityTarget} target needs multi-region)` : ''}`,
        risk: fourNines ? 'High' : 'Medium',
      },
    ];
  }
  return [];
}

export function wellArchitectedSection(a: Assessment, facts: ReliabilityFacts, availabilityTarget?: string): string {
  const out = [
    '## Well-Architected Reliability Questions',
    '',
    '| Question | Status | Evidence | Gaps | Risk |',
    '|----------|--------|----------|------|------|',
  ];
  for (const [n, question, invisible] of REL_QUESTIONS) {
    const strengths = a.strengths.filter((s) => s.rel.includes(n));
    const items = a.items.filter((i) => i.profile.rel.includes(n));
    const missing = absences(n, facts, availabilityTarget);
    const hasGap = items.length > 0 || missing.length > 0;
    const status =
      strengths.length && hasGap
        ? 'Partial'
        : strengths.length
          ? 'Addressed'
          : hasGap
            ? 'Not addressed'
            : 'Cannot determine';
    const evidence = [
      ...strengths.map((s) => `${s.text}: ${list(s.evidence)}`),
      ...items.map((i) => `${i.id}: ${list(i.evidence)}`),
    ];
    const gaps = [...items.map((i) => `${i.id} ${i.title}`), ...missing.map((m) => m.text)];
    if (invisible) gaps.push(`cannot determine: ${invisible}`);
    const risks = [...items.map((i) => i.risk), ...missing.map((m) => m.risk)].sort((x, y) => RANK[x] - RANK[y]);
    out.push(
      `| REL ${n} — ${cell(question)} | ${status} | ${cell(evidence.join('; ') || 'None found in the code or IaC read')} | ${cell(gaps.join('; ') || 'None found')} | ${risks[0] ?? 'None found'} |`,
    );
  }
  return out.join('\n');
}
