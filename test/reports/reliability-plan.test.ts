import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog';
import { emptyFacts, type ReliabilityFacts } from '../../src/iac/reliability/facts-types';
import { splitSections } from '../../src/report/playbook-merge';
import { reliabilityPlan } from '../../src/report/reliability-plan';
import {
  RISK_OF_SEVERITY,
  RULE_RISK,
  riskLevel,
  ruleRisk,
  type Impact,
  type Likelihood,
} from '../../src/report/reliability-risk';
import type { Finding, ScanResult, Severity } from '../../src/types';
import { fixtureDiscovery, iacFindingsOf as iacFindings } from './report-fixture';

const DATE = '2026-03-01';

function finding(ruleId: string, severity: Severity, file: string, line: number, message = `${ruleId} here`): Finding {
  return { ruleId, severity, file, line, column: 1, endLine: line, endColumn: 10, message, fixable: false };
}

function scan(findings: Finding[] = []): ScanResult {
  return {
    root: '/svc',
    discovery: fixtureDiscovery({ dependencies: [], lambdaHandlers: [] }),
    findings,
    suppressed: [],
    notes: [],
    filesScanned: 12,
  };
}

/** The workload of the main cases: a single-AZ database, one NAT for two AZs, a fixed ASG, a PITR table, an alarm. */
function weakFacts(): ReliabilityFacts {
  const f = emptyFacts();
  f.files.push('template.yaml');
  f.databases.push({
    file: 'template.yaml',
    line: 40,
    id: 'OrdersDb',
    format: 'sam',
    kind: 'rds-instance',
    multiAz: false,
    backupRetentionDays: 7,
    deletionProtection: true,
  });
  f.tables.push({
    file: 'template.yaml',
    line: 62,
    id: 'Orders',
    format: 'sam',
    pitr: true,
    ttl: true,
    billingMode: 'PAY_PER_REQUEST',
    replicas: 0,
  });
  f.network.natGateways.push({ file: 'template.yaml', line: 91, id: 'Nat', format: 'sam' });
  f.network.subnets.push(
    { file: 'template.yaml', line: 82, id: 'A', format: 'sam', az: 'index 0', public: true },
    { file: 'template.yaml', line: 87, id: 'B', format: 'sam', az: 'index 1', public: false },
  );
  f.network.azs = 2;
  f.asgs.push({
    file: 'template.yaml',
    line: 100,
    id: 'Fleet',
    format: 'sam',
    min: 2,
    max: 2,
    desired: null,
    fixedSize: true,
    subnets: 2,
    scalingPolicies: 0,
  });
  f.alarms.push({ file: 'template.yaml', line: 35, id: 'Errors', format: 'sam' });
  return f;
}

const FINDINGS = [
  finding('no-timeout', 'critical', 'src/pay.ts', 6),
  finding('no-timeout', 'critical', 'src/db.ts', 9),
  finding(
    'no-dlq',
    'high',
    'serverless.yml',
    13,
    'SQS queue Jobs has no dead-letter queue (no RedrivePolicy): messages are lost.',
  ),
  finding('unstructured-logging', 'medium', 'src/a.ts', 3),
  finding('scattered-env-config', 'low', 'src/cfg.ts', 2),
];

function section(doc: string, name: string): string {
  const part = splitSections(doc).find((p) => p.kind === 'section' && p.name === name);
  if (!part) throw new Error(`no section ${name}`);
  return part.text.split('\n').slice(1, -1).join('\n');
}

const doc = reliabilityPlan(scan([...FINDINGS, ...iacFindings(weakFacts())]), weakFacts(), {
  date: DATE,
  availabilityTarget: '99.9%',
});

describe('risk matrix (seed 003 step 8)', () => {
  const cells: Array<[Impact, Likelihood, string]> = [
    ['Severe', 'High', 'Critical'],
    ['Severe', 'Medium', 'High'],
    ['Severe', 'Low', 'High'],
    ['Moderate', 'High', 'High'],
    ['Moderate', 'Medium', 'Medium'],
    ['Moderate', 'Low', 'Medium'],
    ['Minor', 'High', 'Medium'],
    ['Minor', 'Medium', 'Low'],
    ['Minor', 'Low', 'Low'],
  ];
  it.each(cells)('%s × %s = %s', (impact, likelihood, level) => {
    expect(riskLevel(impact, likelihood)).toBe(level);
  });

  it('every catalog rule has a documented impact and likelihood', () => {
    expect(
      loadCatalog()
        .rules.map((r) => r.id)
        .filter((id) => !RULE_RISK[id]),
    ).toEqual([]);
    for (const profile of Object.values(RULE_RISK)) expect(profile.why.length).toBeGreaterThan(10);
  });

  it("each rule's impact × likelihood gives its catalog severity, so the plan rates a finding as the scan does", () => {
    for (const rule of loadCatalog().rules) {
      const p = RULE_RISK[rule.id]!;
      expect(riskLevel(p.impact, p.likelihood), rule.id).toBe(RISK_OF_SEVERITY[rule.severity]);
    }
  });

  it("a severity the configuration overrides is the finding's risk level too", () => {
    const p = ruleRisk('no-timeout', 'medium');
    expect(riskLevel(p.impact, p.likelihood)).toBe('Medium');
    expect(p.domain).toBe(RULE_RISK['no-timeout']!.domain);
  });

  it('the method section prints the nine cells and each finding placement', () => {
    const body = section(doc, 'risk-method');
    expect(body.split('\n').filter((l) => /^\| (Severe|Moderate|Minor) \|/.test(l))).toHaveLength(9);
    expect(body).toContain('| `no-timeout` | Severe | High | Critical |');
    expect(body).toContain('| `scattered-env-config` | Minor | Medium | Low |');
  });
});

describe('reliabilityPlan: template sections', () => {
  it('follows the step 9 order, then the WA questions and the risk method', () => {
    const names = splitSections(doc).flatMap((p) => (p.kind === 'section' ? [p.name] : []));
    expect(names).toEqual([
      'plan-header',
      'executive-summary',
      'scorecard',
      'single-points-of-failure',
      'critical-high-findings',
      'medium-low-findings',
      'remediation-plan',
      'testing-plan',
      'next-steps',
      'well-architected',
      'risk-method',
    ]);
    expect(section(doc, 'plan-header')).toBe('# Reliability Improvement Plan: orders-service');
  });

  it("executive summary: the scan's findings (IaC reliability rules among them) at the scan's severities, maturity with justification", () => {
    const body = section(doc, 'executive-summary');
    // code: 2 no-timeout (critical), unstructured-logging (medium), scattered-env-config (low);
    // IaC: no-dlq, single-az-database, single-nat-gateway, fixed-size-asg (high)
    expect(body).toContain(
      "- **Findings**: 2 Critical, 4 High, 1 Medium, 1 Low (the scan's 8 findings, at the scan's severities)",
    );
    expect(body).toContain('- **Date**: 2026-03-01\n- **Availability Target**: 99.9%');
    expect(body).toContain('- **Packages Analyzed**: `orders-service` (12 source files); IaC: `template.yaml`');
    expect(body).toMatch(
      /- \*\*Overall Reliability Maturity\*\*: [1-5] — weakest: Resilience Patterns \(1, REL-01 No timeout\)/,
    );
  });

  it('acknowledges existing patterns before any gap', () => {
    const body = section(doc, 'executive-summary');
    expect(body).toContain('- **Database backups kept 7 days or more** (Recovery & Backup): `template.yaml:40`');
    expect(body).toContain('- **DynamoDB point-in-time recovery** (Recovery & Backup): `template.yaml:62`');
    expect(doc.indexOf('Existing reliability patterns')).toBeLessThan(
      doc.indexOf('## Critical and High Risk Findings'),
    );
  });

  it('scorecard: six domains scored from evidence', () => {
    const rows = section(doc, 'scorecard')
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| Domain'));
    expect(rows.map((r) => r.split(' | ').slice(0, 2).join(' | '))).toEqual([
      '| Fault Tolerance | 2',
      '| Recovery & Backup | 5',
      '| Scaling & Capacity | 2',
      '| Resilience Patterns | 1',
      '| Change Management | 4',
      '| Testing & Validation | 3',
    ]);
    expect(rows[0]).toBe(
      '| Fault Tolerance | 2 | None found | REL-03 No dead-letter queue — High (`serverless.yml:13`) |',
    );
    expect(rows[1]).toContain('| Database backups kept 7 days or more (`template.yaml:40`) | None found |');
  });

  it('single points of failure from the IaC findings and the DLQ findings', () => {
    const rows = section(doc, 'single-points-of-failure')
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| Component'));
    expect(rows.map((r) => r.split(' | ').slice(0, 2).join(' | '))).toEqual([
      '| RDS instance OrdersDb (MultiAZ is not enabled) | `template.yaml:40`',
      '| Auto Scaling group Fleet (MinSize = MaxSize = 2) | `template.yaml:100`',
      '| NAT gateway Nat (1 NAT gateway, subnets in 2 AZs) | `template.yaml:91`',
      '| No DLQ: SQS queue Jobs has no dead-letter queue (no RedrivePolicy) | `serverless.yml:13`',
    ]);
    expect(rows[0]).toContain('| backups kept 7 days (restore, not failover) | High |');
  });

  it('critical and high findings carry every field', () => {
    const body = section(doc, 'critical-high-findings');
    expect(body).toContain(['### REL-01 — No timeout (Critical)', '', '- **Domain**: Resilience Patterns'].join('\n'));
    expect(body).toContain('- **Evidence**: `src/pay.ts:6`, `src/db.ts:9`');
    expect(body).toContain('- **Impact assessment**: Severe impact × High likelihood = Critical');
    for (const field of ['Description', 'Recommendation', 'Effort', 'AWS services'])
      expect(body.match(new RegExp(`- \\*\\*${field}\\*\\*: `, 'g'))).toHaveLength(5);
  });

  it('medium and low findings in the condensed table', () => {
    const rows = section(doc, 'medium-low-findings')
      .split('\n')
      .filter((l) => /^\| REL-/.test(l));
    expect(rows.map((r) => r.split(' | ').slice(0, 4).join(' | '))).toEqual([
      '| REL-06 | Medium | Testing & Validation | Missing structured logging',
      '| REL-07 | Low | Change Management | Configuration read all over the code',
    ]);
  });

  it('remediation plan: quick wins, foundation with dependencies, strategic from what is absent', () => {
    const body = section(doc, 'remediation-plan');
    const quick = body.slice(body.indexOf('### Quick Wins'), body.indexOf('### Foundation'));
    expect(quick).toContain('| REL-01 No timeout |');
    expect(quick).toContain('| REL-04 Single-AZ database |');
    expect(quick).toContain('| REL-03 No dead-letter queue |');
    const foundation = body.slice(body.indexOf('### Foundation'), body.indexOf('### Strategic'));
    expect(foundation).toContain('| REL-02 Auto Scaling group with MinSize = MaxSize |');
    expect(foundation).toContain('| REL-05 One NAT gateway for several AZs |');
    expect(body.slice(body.indexOf('### Strategic'))).toContain('Chaos engineering: FIS experiment templates');
    expect(body).not.toContain('multi-region');
  });

  it('testing plan: evidence exists from the facts', () => {
    const rows = section(doc, 'testing-plan')
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| Test'));
    expect(rows.map((r) => r.split(' | ')[4]!.replace(/ \|$/, ''))).toEqual([
      'No',
      'No',
      'Cannot determine — load-test scripts are not part of the IaC read',
      'No',
      'No',
    ]);
    const withFis = weakFacts();
    withFis.fisTemplates.push({
      file: 'fis.yaml',
      line: 4,
      id: 'AzOutage',
      format: 'cloudformation',
      actions: ['aws:rds:failover-db-cluster'],
    });
    withFis.restoreTestingPlans.push({ file: 'backup.yaml', line: 9, id: 'Restore', format: 'cloudformation' });
    const body = section(reliabilityPlan(scan(), withFis, { date: DATE }), 'testing-plan');
    expect(body).toContain(
      '| Database failover | RDS failover < 60s | Quarterly | FIS | Yes — FIS template `fis.yaml:4` |',
    );
    expect(body).toContain(
      '| Backup restore | RPO met, data recoverable | Monthly | AWS Backup | Yes — restore testing plan `backup.yaml:9` |',
    );
  });

  it('next steps: five concrete actions, highest risk first', () => {
    const steps = section(doc, 'next-steps')
      .split('\n')
      .filter((l) => /^\d\. /.test(l));
    expect(steps).toHaveLength(5);
    expect(steps[0]).toMatch(
      /^1\. \*\*REL-01\*\* \(Critical\) Set an explicit timeout .* — `src\/pay\.ts:6`, `src\/db\.ts:9`$/,
    );
  });

  it('Well-Architected: thirteen questions with status, evidence, gaps and risk', () => {
    const rows = section(doc, 'well-architected')
      .split('\n')
      .filter((l) => l.startsWith('| REL '));
    expect(rows).toHaveLength(13);
    const rel = (n: number) => rows[n - 1]!.split(' | ');
    expect(rel(2)[1]).toBe('Not addressed');
    expect(rel(2)[2]).toContain('`template.yaml:91`');
    expect(rel(9)[1]).toBe('Partial');
    expect(rel(9)[3]).toContain('no AWS Backup plan for the stateful resources');
    expect(rel(12)[1]).toBe('Not addressed');
    expect(rel(12)[3]).toContain('no FIS experiment template or restore testing plan in the IaC');
    expect(rel(12)[4]).toBe('High |');
  });

  it('leaves no template placeholder', () => {
    expect(doc).not.toMatch(/\{[A-Za-z -]+\}/);
  });
});

describe('reliabilityPlan: look-alikes and empty input', () => {
  it('a mature workload: no SPOF, no critical or high finding, gradual deploys acknowledged', () => {
    const f = emptyFacts();
    f.files.push('template.yaml');
    f.databases.push({
      file: 'template.yaml',
      line: 5,
      id: 'Db',
      format: 'sam',
      kind: 'rds-cluster',
      multiAz: true,
      instances: 2,
      backupRetentionDays: 14,
      deletionProtection: true,
    });
    f.functions.push({
      file: 'template.yaml',
      span: { line: 20, column: 3, endLine: 20, endColumn: 6 },
      path: ['Resources', 'Api'],
      id: 'Api',
      format: 'sam',
      reservedConcurrency: true,
      triggers: ['http'],
      asyncTriggers: [],
      onFailure: false,
      settings: {
        timeout: 10,
        timeoutDefaulted: false,
        memory: 512,
        deployment: 'Canary10Percent5Minutes',
        rollbackAlarms: 2,
      },
    });
    f.fisTemplates.push({
      file: 'template.yaml',
      line: 60,
      id: 'Az',
      format: 'sam',
      actions: ['aws:ec2:stop-instances'],
    });
    expect(iacFindings(f)).toEqual([]);
    const plan = reliabilityPlan(scan(), f, { date: DATE });
    expect(section(plan, 'single-points-of-failure')).toBe(
      '## Single Points of Failure\n\nNo single point of failure found in the 1 IaC file(s) read (`template.yaml`).',
    );
    expect(section(plan, 'critical-high-findings')).toContain('No critical or high risk findings.');
    expect(section(plan, 'executive-summary')).toContain('- **Findings**: 0 Critical, 0 High, 0 Medium, 0 Low');
    expect(section(plan, 'executive-summary')).toContain(
      '- **Gradual Lambda deployments (canary/linear)** (Change Management): `template.yaml:20`',
    );
  });

  it('no IaC and no finding: cannot determine, not a guess', () => {
    const plan = reliabilityPlan(scan(), emptyFacts(), { date: DATE });
    expect(section(plan, 'executive-summary')).toContain('- **Overall Reliability Maturity**: Cannot determine');
    expect(section(plan, 'single-points-of-failure')).toContain(
      'Cannot determine: no serverless, SAM, CloudFormation or CDK file was found',
    );
    expect(
      section(plan, 'scorecard')
        .split('\n')
        .filter((l) => l.includes('| Cannot determine | Cannot determine | Cannot determine |')),
    ).toHaveLength(6);
  });
});

describe('reliabilityPlan: regeneration', () => {
  it('keeps the team text and replaces the generated sections', () => {
    const edited = doc.replace(
      '<!-- harden-codemod:begin next-steps -->',
      '### Owner notes\n\nDB failover booked for Q3.\n\n<!-- harden-codemod:begin next-steps -->',
    );
    const iacOnly = scan(iacFindings(weakFacts()));
    const again = reliabilityPlan(iacOnly, weakFacts(), { date: '2026-04-01', existing: edited });
    expect(again).toContain(
      '### Owner notes\n\nDB failover booked for Q3.\n\n<!-- harden-codemod:begin next-steps -->',
    );
    expect(section(again, 'executive-summary')).toContain(
      "- **Findings**: 0 Critical, 3 High, 0 Medium, 0 Low (the scan's 3 findings, at the scan's severities)",
    );
    expect(reliabilityPlan(iacOnly, weakFacts(), { date: '2026-04-01', existing: again })).toBe(again);
  });
});
