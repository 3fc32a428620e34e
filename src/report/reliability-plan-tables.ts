import { at, type Located, type ReliabilityFacts } from '../iac/reliability/facts-types';
import type { ScanResult } from '../types';
import { cell } from './markdown-report';
import type { Assessment, PlanItem } from './reliability-assess';
import { RISK_MATRIX, riskLevel, type Impact, type Likelihood } from './reliability-risk';

/** The plan's tables: single points of failure, remediation horizons, testing, risk method. */

export function evidenceList(evidence: string[], max = 8): string {
  const unique = [...new Set(evidence)];
  return (
    unique
      .slice(0, max)
      .map((e) => `\`${e}\``)
      .join(', ') + (unique.length > max ? ` and ${unique.length - max} more` : '')
  );
}

const SPOF_KEYS = new Set([
  'single-az-database',
  'cache-without-failover',
  'fixed-size-asg',
  'asg-without-scaling-policy',
  'single-task-service',
  'single-nat-gateway',
]);

export function spofSection(a: Assessment, result: ScanResult, facts: ReliabilityFacts): string {
  const out = ['## Single Points of Failure', ''];
  const rows: string[] = [];
  // the IaC checks name the component, what falls short and what softens it (see factFinding)
  for (const f of result.findings.filter((x) => SPOF_KEYS.has(x.ruleId))) {
    const item = a.items.find((i) => i.key === f.ruleId)!;
    const text = (k: string, otherwise: string) =>
      typeof f.data?.[k] === 'string' ? (f.data[k] as string) : otherwise;
    const what = text('component', '')
      ? `${text('component', '')} (${text('detail', '')})`
      : f.message.replace(/\.$/, '');
    rows.push(
      `| ${cell(what)} | \`${f.file}:${f.line}\` | ${cell(item.profile.why)} | ${cell(text('mitigation', 'None'))} | ${item.risk} |`,
    );
  }
  const noDlq = a.items.find((i) => i.key === 'no-dlq');
  for (const f of result.findings.filter((x) => x.ruleId === 'no-dlq')) {
    rows.push(
      `| ${cell(`No DLQ: ${f.message.split(':')[0]!.replace(/\.$/, '')}`)} | \`${f.file}:${f.line}\` | ${cell(noDlq!.profile.why)} | None | ${noDlq!.risk} |`,
    );
  }
  if (!rows.length) {
    out.push(
      facts.files.length
        ? `No single point of failure found in the ${facts.files.length} IaC file(s) read (${facts.files.map((f) => `\`${f}\``).join(', ')}).`
        : 'Cannot determine: no serverless, SAM, CloudFormation or CDK file was found, so the infrastructure cannot be checked.',
    );
    return out.join('\n');
  }
  out.push(
    '| Component | Evidence | Failure Impact | Current Mitigation | Risk Level |',
    '|-----------|----------|---------------|-------------------|------------|',
    ...rows,
  );
  return out.join('\n');
}

/** Items that have to land first (the policy layer before breakers, and so on). */
const DEPENDS_ON: Record<string, string[]> = {
  'no-retry': ['no-timeout'],
  'no-circuit-breaker': ['no-timeout', 'no-retry'],
  'shared-mutable-state': ['no-circuit-breaker'],
  'dlq-without-redrive': ['no-dlq'],
  'dlq-without-alarm': ['no-dlq'],
  'all-at-once-deployment': ['deployment-without-alarms'],
  'no-idempotency': ['no-dlq'],
};

function dependencies(item: PlanItem, items: PlanItem[]): string {
  const ids = (DEPENDS_ON[item.key] ?? [])
    .map((k) => items.find((i) => i.key === k)?.id)
    .filter((x): x is string => x !== undefined);
  return ids.length ? ids.join(', ') : 'None';
}

/** Long-horizon work that follows from what is absent rather than from one file. */
export function strategicWork(
  facts: ReliabilityFacts,
  availabilityTarget: string | undefined,
): Array<{ finding: string; action: string; impact: string; services: string }> {
  if (!facts.files.length) return [];
  const out: Array<{ finding: string; action: string; impact: string; services: string }> = [];
  if (!facts.fisTemplates.length)
    out.push({
      finding: 'No recovery testing in the IaC',
      action:
        'Chaos engineering: FIS experiment templates for AZ loss and database failover, run in a monthly game day',
      impact: 'Failover paths are proven before an incident needs them',
      services: 'AWS FIS',
    });
  const crossRegion =
    facts.buckets.some((b) => b.replication) ||
    facts.tables.some((t) => t.replicas > 1) ||
    facts.backupPlans.some((b) => b.crossRegionCopy);
  const stateful = facts.databases.length + facts.tables.length + facts.buckets.length;
  if (stateful && !crossRegion && availabilityTarget !== undefined && parseFloat(availabilityTarget) >= 99.99) {
    out.push({
      finding: `No cross-region data copy for a ${availabilityTarget} target`,
      action:
        'Multi-region DR: cross-region backup copies or global tables, and a pilot-light stack in a second region',
      impact: 'Survives a regional outage within the target',
      services: 'AWS Backup, DynamoDB global tables, Route 53',
    });
  }
  if (stateful && !facts.restoreTestingPlans.length)
    out.push({
      finding: 'Backups never restore-tested in the IaC',
      action: 'AWS Backup restore testing plan with a validation step',
      impact: 'RPO/RTO are measured, not assumed',
      services: 'AWS Backup',
    });
  return out;
}

export function remediationSection(
  a: Assessment,
  facts: ReliabilityFacts,
  availabilityTarget: string | undefined,
): string {
  const impact = (i: PlanItem) => `${i.risk} (${i.profile.impact} impact)`;
  const name = (i: PlanItem) => cell(`${i.id} ${i.title}`);
  const quick = a.items.filter((i) => i.profile.horizon === 'Quick Win');
  const foundation = a.items.filter((i) => i.profile.horizon === 'Foundation');
  const strategic = [
    ...a.items
      .filter((i) => i.profile.horizon === 'Strategic')
      .map((i) => ({
        finding: `${i.id} ${i.title}`,
        action: i.recommendation,
        impact: impact(i),
        services: i.profile.services.join(', '),
      })),
    ...strategicWork(facts, availabilityTarget),
  ];
  const out = ['## Prioritized Remediation Plan', '', '### Quick Wins (< 1 week)', ''];
  if (quick.length)
    out.push(
      '| Finding | Action | Impact | Effort |',
      '|---------|--------|--------|--------|',
      ...quick.map((i) => `| ${name(i)} | ${cell(i.recommendation)} | ${impact(i)} | ${i.profile.effort} |`),
    );
  else out.push('No quick wins open.');
  out.push('', '### Foundation (1-4 weeks)', '');
  if (foundation.length)
    out.push(
      '| Finding | Action | Impact | Effort | Dependencies |',
      '|---------|--------|--------|--------|--------------|',
      ...foundation.map(
        (i) =>
          `| ${name(i)} | ${cell(i.recommendation)} | ${impact(i)} | ${i.profile.effort} | ${dependencies(i, a.items)} |`,
      ),
    );
  else out.push('No foundation work open.');
  out.push('', '### Strategic (1-3 months)', '');
  if (strategic.length)
    out.push(
      '| Finding | Action | Impact | Effort | Dependencies |',
      '|---------|--------|--------|--------|--------------|',
      ...strategic.map(
        (s) =>
          `| ${cell(s.finding)} | ${cell(s.action)} | ${cell(s.impact)} | L (1-3 months) | ${cell(a.items.length ? 'Quick wins and foundation above' : 'None')} |`,
      ),
    );
  else
    out.push(
      facts.files.length
        ? 'No strategic work follows from the IaC read.'
        : 'Cannot determine: no IaC was found to judge multi-region or chaos-testing needs.',
    );
  return out.join('\n');
}

function yesAt(xs: Located[], what: string): string {
  return xs.length ? `Yes — ${what} ${evidenceList(xs.map(at), 3)}` : 'No';
}

export function testingSection(facts: ReliabilityFacts): string {
  const fis = (re: RegExp) =>
    facts.fisTemplates.filter((t) => t.actions.length === 0 || t.actions.some((x) => re.test(x)));
  const rollback = [
    ...facts.functions.filter((f) => f.settings.rollbackAlarms > 0),
    ...facts.ecsServices.filter((s) => s.rollback),
    ...facts.deploymentGroups.filter((d) => d.autoRollback),
  ];
  const backup = facts.restoreTestingPlans.length
    ? yesAt(facts.restoreTestingPlans, 'restore testing plan')
    : facts.backupPlans.length
      ? `No — backup plan ${evidenceList(facts.backupPlans.map(at), 3)} has no restore testing plan`
      : 'No';
  const rows: Array<[string, string, string, string, string]> = [
    [
      'AZ failover',
      'Compute survives AZ loss',
      'Monthly',
      'FIS',
      yesAt(fis(/ec2|ecs|network|subnet|az/i), 'FIS template'),
    ],
    ['Database failover', 'RDS failover < 60s', 'Quarterly', 'FIS', yesAt(fis(/rds|aurora|failover/i), 'FIS template')],
    [
      'Load test',
      'Handles 2x peak',
      'Before releases',
      'Load Testing',
      'Cannot determine — load-test scripts are not part of the IaC read',
    ],
    ['Backup restore', 'RPO met, data recoverable', 'Monthly', 'AWS Backup', backup],
    [
      'Deployment rollback',
      'Bad deploy reverted < 5 min',
      'Every deploy',
      'CodeDeploy',
      yesAt(rollback, 'automatic rollback at'),
    ],
  ];
  return [
    '## Testing Plan',
    '',
    '| Test | Validates | Frequency | AWS Service | Evidence Exists |',
    '|------|-----------|-----------|-------------|-----------------|',
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function riskMethodSection(a: Assessment): string {
  const out = [
    '## Risk Assessment Method',
    '',
    'Each finding is placed by impact and likelihood; the matrix gives its risk level.',
    '',
    '| Impact | Likelihood | Risk Level |',
    '|----------|------------|------------|',
  ];
  for (const impact of Object.keys(RISK_MATRIX) as Impact[]) {
    for (const likelihood of ['High', 'Medium', 'Low'] as Likelihood[])
      out.push(`| ${impact} | ${likelihood} | ${riskLevel(impact, likelihood)} |`);
  }
  if (a.items.length) {
    out.push(
      '',
      '| Finding | Rule / gap | Impact | Likelihood | Risk | Why |',
      '|---------|------------|--------|------------|------|-----|',
    );
    for (const i of a.items)
      out.push(
        `| ${i.id} | \`${i.key}\` | ${i.profile.impact} | ${i.profile.likelihood} | ${i.risk} | ${cell(i.profile.why)} |`,
      );
  }
  return out.join('\n');
}
