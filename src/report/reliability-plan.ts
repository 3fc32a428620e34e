import type { ReliabilityFacts } from '../iac/reliability/facts-types';
import type { ScanResult } from '../types';
import { cell } from './markdown-report';
import { joinSections, mergeSections, type Section } from './playbook-merge';
import { assess, type Assessment, type PlanItem } from './reliability-assess';
import {
  evidenceList,
  remediationSection,
  riskMethodSection,
  spofSection,
  strategicWork,
  testingSection,
} from './reliability-plan-tables';
import { wellArchitectedSection } from './reliability-wa';

export interface ReliabilityPlanOptions {
  date: string;
  /** e.g. "99.9%"; judged against multi-region needs */
  availabilityTarget?: string;
  /** the previous plan: text outside the generated sections is kept */
  existing?: string;
}

function packages(result: ScanResult, facts: ReliabilityFacts): string {
  const code = result.discovery.workspaces.length
    ? result.discovery.workspaces.map((w) => `\`${w}\``).join(', ')
    : `\`${result.discovery.serviceName}\` (${result.filesScanned} source files)`;
  return facts.files.length
    ? `${code}; IaC: ${facts.files.map((f) => `\`${f}\``).join(', ')}`
    : `${code}; no IaC found`;
}

function justification(a: Assessment): string {
  const scored = a.domains.filter((d) => d.score !== null);
  if (!scored.length) return 'Cannot determine — no reliability setting and no finding was found in the code or IaC.';
  const weakest = [...scored].sort((x, y) => x.score! - y.score!)[0]!;
  const strongest = [...scored].sort((x, y) => y.score! - x.score!)[0]!;
  const worstGap = weakest.gaps[0];
  const weak = `weakest: ${weakest.domain} (${weakest.score}${worstGap ? `, ${worstGap.id} ${worstGap.title}` : ''})`;
  const unknown = a.domains.length - scored.length;
  return `${weak}; strongest: ${strongest.domain} (${strongest.score})${unknown ? `; ${unknown} of ${a.domains.length} domains cannot be determined from the code or IaC` : ''}.`;
}

function summary(result: ScanResult, facts: ReliabilityFacts, a: Assessment, o: ReliabilityPlanOptions): string {
  const c = a.counts;
  const out = [
    '## Executive Summary',
    `- **Date**: ${o.date}`,
    `- **Availability Target**: ${o.availabilityTarget ?? 'Not stated — give one to judge multi-region needs (99.9% does not require multi-region, 99.99% does)'}`,
    `- **Packages Analyzed**: ${packages(result, facts)}`,
    `- **Findings**: ${c.Critical} Critical, ${c.High} High, ${c.Medium} Medium, ${c.Low} Low (the scan's ${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}, at the scan's severities)`,
    `- **Overall Reliability Maturity**: ${a.maturity ?? 'Cannot determine'} — ${justification(a)}`,
    '',
    '### Existing reliability patterns',
    '',
  ];
  if (a.strengths.length)
    out.push(...a.strengths.map((s) => `- **${s.text}** (${s.domain}): ${evidenceList(s.evidence, 5)}`));
  else out.push('- None found in the code or IaC read.');
  return out.join('\n');
}

function scorecard(a: Assessment): string {
  const out = [
    '## Reliability Scorecard',
    '',
    '| Domain | Score (1-5) | Key Strength | Key Gap |',
    '|--------|-------------|--------------|---------|',
  ];
  for (const d of a.domains) {
    const s = d.strengths[0];
    const g = d.gaps[0];
    const strength = s
      ? `${s.text} (${evidenceList(s.evidence, 2)})`
      : d.score === null
        ? 'Cannot determine'
        : 'None found';
    const gap = g
      ? `${g.id} ${g.title} — ${g.risk} (${evidenceList(g.evidence, 2)})`
      : d.score === null
        ? 'Cannot determine'
        : 'None found';
    out.push(`| ${d.domain} | ${d.score ?? 'Cannot determine'} | ${cell(strength)} | ${cell(gap)} |`);
  }
  return out.join('\n');
}

function services(i: PlanItem): string {
  return i.profile.services.length ? i.profile.services.join(', ') : 'None (code change)';
}

function criticalHigh(a: Assessment): string {
  const out = ['## Critical and High Risk Findings'];
  const items = a.items.filter((i) => i.risk === 'Critical' || i.risk === 'High');
  if (!items.length) return [...out, '', 'No critical or high risk findings.'].join('\n');
  for (const i of items) {
    out.push(
      '',
      `### ${i.id} — ${i.title} (${i.risk})`,
      '',
      `- **Domain**: ${i.profile.domain}`,
      `- **Description**: ${i.description}`,
      `- **Evidence**: ${evidenceList(i.evidence)}`,
      `- **Impact assessment**: ${i.profile.impact} impact × ${i.profile.likelihood} likelihood = ${i.risk} — ${i.profile.why}`,
      `- **Recommendation**: ${i.recommendation}`,
      `- **Effort**: ${i.profile.effort}`,
      `- **AWS services**: ${services(i)}`,
    );
  }
  return out.join('\n');
}

function mediumLow(a: Assessment): string {
  const items = a.items.filter((i) => i.risk === 'Medium' || i.risk === 'Low');
  const out = ['## Medium and Low Risk Findings', ''];
  if (!items.length) return [...out, 'No medium or low risk findings.'].join('\n');
  out.push(
    '| ID | Risk | Domain | Finding | Evidence | Recommendation | Effort |',
    '|----|------|--------|---------|----------|----------------|--------|',
  );
  for (const i of items)
    out.push(
      `| ${i.id} | ${i.risk} | ${i.profile.domain} | ${cell(i.title)} | ${cell(evidenceList(i.evidence, 4))} | ${cell(i.recommendation)} | ${i.profile.effort} |`,
    );
  return out.join('\n');
}

function nextSteps(a: Assessment, facts: ReliabilityFacts, target: string | undefined): string {
  const rank = { Critical: 0, High: 1, Medium: 2, Low: 3 } as const;
  const horizon = { 'Quick Win': 0, Foundation: 1, Strategic: 2 } as const;
  // highest risk first; among equals, what can land this week first
  const ordered = [...a.items].sort(
    (x, y) => rank[x.risk] - rank[y.risk] || horizon[x.profile.horizon] - horizon[y.profile.horizon],
  );
  const steps = ordered
    .slice(0, 5)
    .map((i) => `**${i.id}** (${i.risk}) ${i.recommendation} — ${evidenceList(i.evidence, 3)}`);
  for (const s of strategicWork(facts, target))
    if (steps.length < 5) steps.push(`${s.action} (${s.finding.toLowerCase()}).`);
  const out = ['## Next Steps', ''];
  if (!steps.length)
    return [...out, 'No open findings: keep the scan in CI and schedule a game day to prove the failover paths.'].join(
      '\n',
    );
  return [...out, ...steps.map((s, i) => `${i + 1}. ${s}`)].join('\n');
}

export type ReliabilityPlanSection =
  | 'plan-header'
  | 'executive-summary'
  | 'scorecard'
  | 'single-points-of-failure'
  | 'critical-high-findings'
  | 'medium-low-findings'
  | 'remediation-plan'
  | 'testing-plan'
  | 'next-steps'
  | 'well-architected'
  | 'risk-method';

export function reliabilityPlanSections(
  result: ScanResult,
  facts: ReliabilityFacts,
  o: ReliabilityPlanOptions,
): Section[] {
  const a = assess(result, facts);
  const sections: Array<[ReliabilityPlanSection, string]> = [
    ['plan-header', `# Reliability Improvement Plan: ${result.discovery.serviceName}`],
    ['executive-summary', summary(result, facts, a, o)],
    ['scorecard', scorecard(a)],
    ['single-points-of-failure', spofSection(a, result, facts)],
    ['critical-high-findings', criticalHigh(a)],
    ['medium-low-findings', mediumLow(a)],
    ['remediation-plan', remediationSection(a, facts, o.availabilityTarget)],
    ['testing-plan', testingSection(facts)],
    ['next-steps', nextSteps(a, facts, o.availabilityTarget)],
    ['well-architected', wellArchitectedSection(a, facts, o.availabilityTarget)],
    ['risk-method', riskMethodSection(a)],
  ];
  return sections.map(([name, body]) => ({ name, body }));
}

/**
 * The reliability improvement plan (seed 003, step 9), from the scan's findings and the IaC
 * reliability facts. Generated sections sit between markers, so a regenerated plan keeps
 * the text the team wrote around them.
 */
export function reliabilityPlan(result: ScanResult, facts: ReliabilityFacts, options: ReliabilityPlanOptions): string {
  const sections = reliabilityPlanSections(result, facts, options);
  return options.existing === undefined ? joinSections(sections) : mergeSections(options.existing, sections);
}
