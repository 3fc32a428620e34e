import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog';
import { emptyFacts, type ReliabilityFacts } from '../../src/iac/reliability/facts-types';
import { splitSections } from '../../src/report/playbook-merge';
import { readinessReview } from '../../src/report/review';
import type { Discovery } from '../../src/discovery/discovery-types';
import type { Finding, ScanResult, Severity } from '../../src/types';
import { fixtureDiscovery, iacFindingsOf } from './report-fixture';

const DATE = '2026-03-01';

function finding(ruleId: string, severity: Severity, file: string, line: number): Finding {
  return {
    ruleId,
    severity,
    file,
    line,
    column: 1,
    endLine: line,
    endColumn: 10,
    message: `${ruleId} here`,
    fixable: false,
  };
}

function scan(findings: Finding[] = [], discovery: Partial<Discovery> = {}): ScanResult {
  return {
    root: '/svc',
    discovery: fixtureDiscovery({ dependencies: [], lambdaHandlers: [], ...discovery }),
    findings,
    suppressed: [],
    notes: [],
    filesScanned: 12,
  };
}

function facts(patch: (f: ReliabilityFacts) => void = () => undefined): ReliabilityFacts {
  const f = emptyFacts();
  patch(f);
  return f;
}

type Settings = ReliabilityFacts['functions'][number]['settings'];
const fn = (id: string, line: number, extra: Partial<Settings> = {}): ReliabilityFacts['functions'][number] => ({
  file: 'template.yaml',
  span: { line, column: 3, endLine: line, endColumn: 3 + id.length },
  path: ['Resources', id],
  id,
  format: 'sam',
  reservedConcurrency: false,
  triggers: ['http'],
  asyncTriggers: [],
  onFailure: false,
  settings: { timeout: 10, timeoutDefaulted: false, memory: 512, deployment: null, rollbackAlarms: 0, ...extra },
});

/** readiness rules are being added to the catalog: a silent rule means PASS only once it exists */
const ifKnown = (ruleIds: string[], known: string, unknown: string) =>
  ruleIds.every((r) => loadCatalog().byId.has(r)) ? known : unknown;

/** the status and evidence of one checklist line, by its label */
function item(doc: string, label: string): { status: string; line: string } {
  const line = doc.split('\n').find((l) => l.includes(` ${label} — **`));
  if (!line) throw new Error(`no item ${label}`);
  return { status: /— \*\*([A-Z ]+)\*\*/.exec(line)![1]!, line };
}

describe('readinessReview: structure', () => {
  const doc = readinessReview(scan(), facts(), { date: DATE });

  it('has the seed 001 sections, the operations checklist, gaps, recommendations and sign-off, in order', () => {
    const names = splitSections(doc).flatMap((p) => (p.kind === 'section' ? [p.name] : []));
    expect(names).toEqual([
      'review-header',
      'health-observability',
      'reliability',
      'configuration',
      'deployment',
      'operations-checklist',
      'gaps',
      'recommendations',
      'sign-off',
    ]);
    expect(doc).toContain(
      '## Production Readiness Review\n\n### Service: orders-service\n### Date: 2026-03-01\n### Reviewer: harden-codemod',
    );
    for (const h of [
      '### Health & Observability',
      '### Reliability',
      '### Configuration',
      '### Deployment',
      '### Operations Checklist',
      '### Gaps',
      '### Recommendations',
      '### Sign-off',
    ])
      expect(doc).toContain(h);
  });

  it('lists the eleven operations items with □ / ☑', () => {
    const ops = doc.slice(
      doc.indexOf('### Operations Checklist'),
      doc.indexOf('<!-- harden-codemod:end operations-checklist'),
    );
    expect(ops.split('\n').filter((l) => /^[□☑] /.test(l))).toHaveLength(11);
  });

  it('leaves no template placeholder', () => {
    expect(doc).not.toMatch(/\{[A-Za-z ]+\}|\[(name|date|list any issues)\]|YES \/ NO/);
  });
});

describe('readinessReview: item statuses', () => {
  // the IaC checks read these facts: the review sees their findings, as a scan reports them
  const outlives = (f: ReliabilityFacts) =>
    f.apiIntegrations.push({
      file: 'template.yaml',
      line: 30,
      functionId: 'Api',
      apiTimeout: 29,
      apiTimeoutDefaulted: true,
      functionTimeout: 30,
      lambdaOutlivesApi: true,
    });
  const deps = {
    dependencies: [
      {
        name: 'DynamoDB',
        category: 'database' as const,
        module: '@aws-sdk/client-dynamodb',
        files: ['src/db.ts'],
        callSites: 1,
        protection: { timeout: true, retry: true, breaker: true },
      },
    ],
  };
  const cases: Array<[string, string, Finding[], (f: ReliabilityFacts) => void, Partial<Discovery>, string, string?]> =
    [
      [
        'health: a server without a probe fails',
        '/health endpoint exists and returns 200',
        [finding('no-health-probes', 'medium', 'src/server.ts', 9)],
        () => undefined,
        { frameworks: ['express'] },
        'FAIL',
        '`src/server.ts:9`',
      ],
      [
        'health: a /healthz route in the IaC passes',
        '/health endpoint exists and returns 200',
        [],
        (f) =>
          f.healthChecks.push({
            file: 'serverless.yml',
            line: 14,
            id: 'api',
            format: 'serverless',
            kind: 'http-route',
            path: '/healthz',
          }),
        {},
        'PASS',
        '`serverless.yml:14`',
      ],
      [
        'health: an express server with the detector silent passes',
        '/health endpoint exists and returns 200',
        [],
        () => undefined,
        { frameworks: ['express'] },
        'PASS',
        '`no-health-probes`: 0 findings in 12 files',
      ],
      [
        'health: Lambda only cannot be determined',
        '/health endpoint exists and returns 200',
        [],
        (f) => f.functions.push(fn('Api', 5)),
        {},
        'CANNOT DETERMINE',
      ],
      [
        'readiness: a /ready target group is partial',
        '/ready endpoint checks dependencies',
        [],
        (f) =>
          f.healthChecks.push({
            file: 't.json',
            line: 27,
            id: 'Tg',
            format: 'cloudformation',
            kind: 'target-group',
            path: '/ready',
          }),
        {},
        'PARTIAL',
        '`t.json:27`',
      ],
      [
        'logs: console output fails',
        'Logs are JSON with correlation IDs',
        [finding('unstructured-logging', 'medium', 'src/a.ts', 3)],
        () => undefined,
        {},
        'FAIL',
        '`src/a.ts:3`',
      ],
      [
        'logs: structured without correlation id is partial',
        'Logs are JSON with correlation IDs',
        [finding('log-without-correlation-id', 'medium', 'src/a.ts', 4)],
        () => undefined,
        {},
        'PARTIAL',
        '`src/a.ts:4`',
      ],
      [
        'logs: both rules silent',
        'Logs are JSON with correlation IDs',
        [],
        () => undefined,
        {},
        ifKnown(['log-without-correlation-id'], 'PASS', 'CANNOT DETERMINE'),
      ],
      [
        'metrics: alarms pass',
        'Metrics are exposed (Prometheus/CloudWatch)',
        [],
        (f) => f.alarms.push({ file: 'template.yaml', line: 40, id: 'Errors', format: 'sam' }),
        {},
        'PASS',
        '`template.yaml:40`',
      ],
      [
        'shutdown: a finding fails',
        'SIGTERM handled with graceful shutdown',
        [finding('no-graceful-shutdown', 'high', 'src/server.ts', 20)],
        () => undefined,
        { frameworks: ['express'] },
        'FAIL',
        '`src/server.ts:20`',
      ],
      [
        'shutdown: rule silent, server present',
        'SIGTERM handled with graceful shutdown',
        [],
        () => undefined,
        { frameworks: ['express'] },
        ifKnown(['no-graceful-shutdown'], 'PASS', 'CANNOT DETERMINE'),
      ],
      [
        'shutdown: Lambda only passes (the runtime drains the invocation)',
        'SIGTERM handled with graceful shutdown',
        [],
        (f) => f.functions.push(fn('Api', 5)),
        {},
        'PASS',
      ],
      [
        'secrets: both rules silent',
        'No hardcoded secrets or URLs',
        [],
        () => undefined,
        {},
        ifKnown(['hardcoded-secret', 'hardcoded-url'], 'PASS', 'CANNOT DETERMINE'),
      ],
      [
        'timeouts: a missing timeout fails',
        'All HTTP calls have timeouts (< 30s)',
        [finding('no-timeout', 'critical', 'src/pay.ts', 6)],
        () => undefined,
        deps,
        'FAIL',
        '`src/pay.ts:6`',
      ],
      [
        'timeouts: a long timeout is partial',
        'All HTTP calls have timeouts (< 30s)',
        [finding('timeout-too-long', 'medium', 'src/pay.ts', 8)],
        () => undefined,
        deps,
        'PARTIAL',
        '`src/pay.ts:8`',
      ],
      [
        'timeouts: Lambda outliving API Gateway is partial',
        'All HTTP calls have timeouts (< 30s)',
        [],
        outlives,
        deps,
        'PARTIAL',
        '`template.yaml:30`',
      ],
      [
        'timeouts: protected dependencies pass',
        'All HTTP calls have timeouts (< 30s)',
        [],
        () => undefined,
        deps,
        'PASS',
        '`src/db.ts`',
      ],
      [
        'timeouts: no dependency cannot be determined',
        'All HTTP calls have timeouts (< 30s)',
        [],
        () => undefined,
        {},
        'CANNOT DETERMINE',
      ],
      [
        'retries: jitter missing is partial',
        'Retries use exponential backoff',
        [finding('retry-without-jitter', 'high', 'src/r.ts', 2)],
        () => undefined,
        deps,
        'PARTIAL',
        '`src/r.ts:2`',
      ],
      [
        'limits: default memory is partial',
        'Resource limits set (CPU, memory)',
        [],
        (f) => f.functions.push(fn('Api', 5, { memory: null })),
        {},
        'PARTIAL',
        '`template.yaml:5`',
      ],
      [
        'limits: explicit memory passes',
        'Resource limits set (CPU, memory)',
        [],
        (f) => f.functions.push(fn('Api', 5)),
        {},
        'PASS',
        '`template.yaml:5`',
      ],
      [
        'secrets: a hard-coded secret fails',
        'No hardcoded secrets or URLs',
        [finding('hardcoded-secret', 'critical', 'src/cfg.ts', 1)],
        () => undefined,
        {},
        'FAIL',
        '`src/cfg.ts:1`',
      ],
      [
        'config: scattered env reads fail',
        'Config validated at startup',
        [finding('scattered-env-config', 'low', 'src/x.ts', 7)],
        () => undefined,
        {},
        'FAIL',
        '`src/x.ts:7`',
      ],
      [
        'rollback: all at once fails',
        'Rollback tested and documented',
        [],
        (f) => f.functions.push(fn('Api', 5)),
        {},
        'FAIL',
        '`template.yaml:5`',
      ],
      [
        'rollback: canary with alarms is partial (testing not visible)',
        'Rollback tested and documented',
        [],
        (f) => f.functions.push(fn('Api', 5, { deployment: 'Canary10Percent5Minutes', rollbackAlarms: 1 })),
        {},
        'PARTIAL',
        '`template.yaml:5`',
      ],
      [
        'rollback: no compute cannot be determined',
        'Rollback tested and documented',
        [],
        () => undefined,
        {},
        'CANNOT DETERMINE',
      ],
      [
        'orchestrator: ECS without health check fails',
        'Health checks configured in orchestrator',
        [],
        (f) =>
          f.ecsServices.push({
            file: 'ecs.yaml',
            line: 3,
            id: 'Web',
            format: 'cloudformation',
            desiredCount: 2,
            circuitBreaker: true,
            rollback: true,
            autoScaling: false,
          }),
        {},
        'FAIL',
        '`ecs.yaml:3`',
      ],
      [
        'alerts: IaC with no alarm fails',
        'Alerts are actionable (not noisy)',
        [],
        (f) => f.files.push('template.yaml'),
        {},
        'FAIL',
      ],
      [
        'autoscaling: a fixed-size ASG fails',
        'Auto-scaling configured with limits',
        [],
        (f) =>
          f.asgs.push({
            file: 'asg.yaml',
            line: 8,
            id: 'Fleet',
            format: 'cloudformation',
            min: 2,
            max: 2,
            desired: null,
            fixedSize: true,
            subnets: 2,
            scalingPolicies: 0,
          }),
        {},
        'FAIL',
        '`asg.yaml:8`',
      ],
      [
        'breakers: in-memory breaker state is partial',
        'Circuit breakers on critical paths',
        [finding('shared-mutable-state', 'high', 'src/h.ts', 3)],
        () => undefined,
        deps,
        'PARTIAL',
        '`src/h.ts:3`',
      ],
    ];
  it.each(cases)('%s', (_name, label, findings, patch, discovery, status, evidence) => {
    const f = facts(patch);
    const got = item(readinessReview(scan([...findings, ...iacFindingsOf(f)], discovery), f, { date: DATE }), label);
    expect(got.status).toBe(status);
    if (evidence) expect(got.line).toContain(evidence);
  });
});

describe('readinessReview: gaps and sign-off', () => {
  it('blocks on critical findings and lists them with file:line', () => {
    const doc = readinessReview(
      scan([
        finding('no-timeout', 'critical', 'src/pay.ts', 6),
        finding('no-timeout', 'critical', 'src/db.ts', 9),
        finding('no-dlq', 'high', 'serverless.yml', 13),
      ]),
      facts(),
      { date: DATE },
    );
    const signOff = doc.slice(doc.indexOf('### Sign-off'));
    expect(signOff).toContain(
      'Ready for production: NO\nBlockers:\n- No timeout (`no-timeout`): `src/pay.ts:6`, `src/db.ts:9`\n',
    );
    expect(signOff).not.toContain('no-dlq');
  });

  it('is ready with no critical finding', () => {
    const doc = readinessReview(scan([finding('no-dlq', 'high', 'serverless.yml', 13)]), facts(), { date: DATE });
    expect(doc).toContain('Ready for production: YES\nBlockers: none (no critical finding)');
  });

  it('lists a gap once even when the operations checklist repeats it, and findings no item covers', () => {
    const doc = readinessReview(
      scan([finding('no-timeout', 'critical', 'src/pay.ts', 6), finding('no-dlq', 'high', 'serverless.yml', 13)], {
        dependencies: [],
      }),
      facts(),
      { date: DATE },
    );
    const gaps = doc.slice(doc.indexOf('### Gaps'), doc.indexOf('### Recommendations'));
    expect(gaps.match(/without a timeout/g)).toHaveLength(1);
    expect(gaps).toContain('- **Finding** No dead-letter queue (`no-dlq`, high): `serverless.yml:13`');
    expect(doc).toContain('- All HTTP calls have timeouts (< 30s) (`no-timeout`): Set an explicit timeout');
  });
});

describe('readinessReview: regeneration', () => {
  it('keeps the reviewer text outside the markers and refreshes the statuses', () => {
    const first = readinessReview(
      scan([finding('no-timeout', 'critical', 'src/pay.ts', 6)], { dependencies: [] }),
      facts(),
      { date: DATE },
    );
    const edited = first
      .replace(
        '<!-- harden-codemod:begin reliability -->',
        'Reviewer note: timeouts agreed with the payments team.\n\n<!-- harden-codemod:begin reliability -->',
      )
      .concat('\n## Approvals\n\nSigned: J. Doe\n');
    const second = readinessReview(scan([]), facts(), { date: '2026-04-01', existing: edited });
    expect(second).toContain(
      'Reviewer note: timeouts agreed with the payments team.\n\n<!-- harden-codemod:begin reliability -->',
    );
    expect(second).toContain('## Approvals\n\nSigned: J. Doe\n');
    expect(second).toContain('### Date: 2026-04-01');
    expect(item(second, 'All HTTP calls have timeouts (< 30s)').status).toBe('CANNOT DETERMINE');
    expect(second).toContain('Ready for production: YES');
    expect(readinessReview(scan([]), facts(), { date: '2026-04-01', existing: second })).toBe(second);
  });
});
