import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog';
import { doNotRecommend } from '../../src/report/libraries';
import { playbook } from '../../src/report/playbook';
import { policyKeyOf } from '../../src/report/policy-composition';
import { splitSections } from '../../src/report/playbook-merge';
import { planTickets } from '../../src/report/playbook-plan';
import type { Finding } from '../../src/types';
import { fixtureDiscovery, fixtureFindings, fixtureResult } from './report-fixture';

const DATE = '2026-03-01';

/** The body of one generated section, markers excluded. */
function section(doc: string, name: string): string {
  const part = splitSections(doc).find((p) => p.kind === 'section' && p.name === name);
  if (!part) throw new Error(`no section ${name}`);
  return part.text.split('\n').slice(1, -1).join('\n');
}

const doc = playbook(fixtureResult(), { date: DATE });

describe('playbook sections', () => {
  it('wraps the seven sections in markers, in the template order', () => {
    const names = splitSections(doc).flatMap((p) => (p.kind === 'section' ? [p.name] : []));
    expect(names).toEqual(['header', 'audit-summary', 'findings', 'architecture', 'libraries', 'plan', 'references']);
    expect(
      doc.startsWith('<!-- harden-codemod:begin header -->\n# Production Hardening Playbook — orders-service\n'),
    ).toBe(true);
  });

  it('header: service, date and stack', () => {
    expect(section(doc, 'header')).toBe(
      [
        '# Production Hardening Playbook — orders-service',
        '',
        `Generated: ${DATE}`,
        'Stack: TypeScript / serverless / aws',
      ].join('\n'),
    );
  });

  it('audit summary: the eight areas with status and counts', () => {
    const rows = section(doc, 'audit-summary')
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| Area'));
    expect(rows).toEqual([
      '| Timeouts | ❌ | 2 (2 critical) |',
      '| Retries | ❌ | 1 (1 critical) |',
      '| Circuit breakers | ❌ | 1 (1 high) |',
      '| Error handling | ❌ | 1 (1 critical) |',
      '| DLQ / dead letters | ❌ | 1 (1 high) |',
      '| Idempotency | ❌ | 1 (1 high) |',
      '| Observability | ⚠️ | 3 (3 medium) |',
      '| Concurrency limits | ✅ | 0 |',
    ]);
  });

  it('findings: numbered entries under each severity, with file#line, catalog title, impact and a specific fix', () => {
    const body = section(doc, 'findings');
    const headings = body.split('\n').filter((l) => l.startsWith('### '));
    expect(headings).toEqual(['### CRITICAL', '### HIGH', '### MEDIUM']);
    const critical = body.slice(body.indexOf('### CRITICAL'), body.indexOf('### HIGH'));
    expect([...critical.matchAll(/- \*\*File\*\*: (\S+)/g)].map((m) => m[1])).toEqual([
      'src/payments.ts#L15',
      'src/orders.ts#L7',
      'src/payments.ts#L6',
      'src/payments.ts#L6',
    ]);
    const noTimeout = loadCatalog().byId.get('no-timeout')!;
    expect(body).toContain(
      [
        '3. No timeout — payments API (axios instance paymentsClient)',
        '   - **File**: src/payments.ts#L6',
        '   - **Anti-pattern**: No timeout (`no-timeout`)',
        `   - **Impact**: ${noTimeout.impact}`,
        `   - **Fix**: ${noTimeout.fix} Here: paymentsClient.post has no timeout (dependency: payments API (axios instance paymentsClient), external-api). \`harden-codemod fix --yes\` makes this change (preview it with \`harden-codemod --dry-run\`).`,
      ].join('\n'),
    );
    // not fixable: no fix command offered
    expect(body).toMatch(/Here: SQS handler main processes records without an idempotency key\.\n/);
    // two-digit numbers indent their details past "10. "
    expect(body).toContain('10. Missing structured logging\n    - **File**: src/payments.ts#L14');
  });

  it('findings: says so plainly when a severity has none, and adds LOW only when present', () => {
    const low: Finding = { ...fixtureFindings()[4]!, severity: 'low' };
    const body = section(playbook(fixtureResult({ findings: [low] }), { date: DATE }), 'findings');
    expect(body.split('\n').filter((l) => l.startsWith('### '))).toEqual([
      '### CRITICAL',
      '### HIGH',
      '### MEDIUM',
      '### LOW',
    ]);
    expect(body).toContain('### CRITICAL\n\nNo critical findings.');
    expect(body).toContain('### MEDIUM\n\nNo medium findings.');
    const clean = playbook(fixtureResult({ findings: [] }), { date: DATE });
    expect(section(clean, 'audit-summary')).not.toMatch(/❌|⚠️/);
    expect(section(clean, 'plan')).toContain('No tickets: the scan found nothing to fix.');
  });

  it('architecture: dependencies with their protection, Lambda handlers, the resilience layer and breaker state', () => {
    const body = section(doc, 'architecture');
    expect(body).toContain(
      '| payments API (axios instance paymentsClient) | external-api | `axios` | `src/payments.ts` | ❌ | ❌ | ❌ |',
    );
    expect(body).toContain('| DynamoDB | database | `@aws-sdk/client-dynamodb` | `src/orders.ts` | ❌ | ✅ | ❌ |');
    expect(body).toContain('| `src/handler.ts` → `main` | worker | sqs | `serverless.yml:6` |');
    expect(body).toContain('`resilience/errors`');
    // the names the fixed code passes to policyFor, and the generated module's composition
    expect(body).toContain(
      "`policyFor('payments-api-axios-instance-paymentsclient')` (payments API (axios instance paymentsClient)), `policyFor('dynamodb')` (DynamoDB)",
    );
    expect(body).toContain('composed outer to inner as retry → circuit breaker → timeout');
    expect(body).not.toMatch(/wrap\(timeout, retry, circuitBreaker\)|\w+Policy`/);
    expect(body).toContain('`resilience/logger`');
    expect(body).toContain('Keep breaker state in SSM Parameter Store');
  });

  it('architecture: no dependencies, no handlers → plain statements and in-memory breakers', () => {
    const result = fixtureResult({
      discovery: fixtureDiscovery({
        dependencies: [],
        lambdaHandlers: [],
        resilienceLibraries: [{ name: 'cockatiel', files: ['src/a.ts'] }],
      }),
    });
    const body = section(playbook(result, { date: DATE }), 'architecture');
    expect(body).toContain('No outbound dependencies were discovered.');
    expect(body).toContain('No Lambda handlers were found.');
    expect(body).toContain('Resilience libraries already in use: cockatiel (1 file).');
    expect(body).toContain('breakers can keep their state in memory');
    expect(body).not.toContain('SSM');
  });

  it.each([
    ['payments API', 'payments-api'],
    ['DynamoDB', 'dynamodb'],
    ['EDNA', 'edna'],
    ['auth JWKS endpoint', 'auth-jwks-endpoint'],
  ])('the policy of %s is policyFor(%j), the key the fix passes', (name, expected) => {
    expect(policyKeyOf(name)).toBe(expected);
  });

  it('libraries: core ones plus those the findings need; never a rejected one', () => {
    const body = section(doc, 'libraries');
    const listed = [...body.matchAll(/^\| `([^`]+)` \| `([^`]+)`/gm)].map((m) => `${m[1]}@${m[2]}`);
    expect(listed).toEqual([
      'cockatiel@^3.2.1',
      '@aws-lambda-powertools/logger@^2.0.0',
      '@aws-lambda-powertools/batch@^2.0.0',
      '@aws-lambda-powertools/idempotency@^2.0.0',
    ]);
    const table = body.slice(0, body.indexOf('Not recommended:'));
    for (const r of doNotRecommend()) {
      expect(table).not.toContain(r.npm ?? r.name);
      expect(body).toContain(`- **${r.name}** — ${r.why}`);
    }
    const onlyLogging = section(
      playbook(fixtureResult({ findings: [fixtureFindings()[4]!] }), { date: DATE }),
      'libraries',
    );
    expect([...onlyLogging.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1])).toEqual([
      'cockatiel',
      '@aws-lambda-powertools/logger',
    ]);
  });

  it('plan: tickets in phase order with priority, effort and dependencies', () => {
    const rows = section(doc, 'plan')
      .split('\n')
      .filter((l) => /^\| \d/.test(l))
      .map((l) => l.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '')));
    expect(rows.map(([n, title, p, e, d]) => [n, title!.slice(0, 3), p, e, d])).toEqual([
      ['1', '4.1', 'P0', 'S', '—'],
      ['2', '4.1', 'P0', 'S', '#1'],
      ['3', '4.2', 'P0', 'S', '#1'],
      ['4', '4.3', 'P0', 'M', '#3'],
      ['5', '4.3', 'P0', 'S', '—'],
      ['6', '4.3', 'P1', 'S', '—'],
      ['7', '4.3', 'P2', 'M', '—'],
      ['8', '4.4', 'P1', 'S', '—'],
      ['9', '4.6', 'P0', 'S', '#4'],
    ]);
    expect(rows[0]![1]).toContain('error taxonomy');
    expect(rows[1]![1]).toContain('`silent-error-swallow`');
    expect(rows[2]![1]).toContain('policy layer');
    // the composition the generated module builds, outer to inner
    expect(rows[3]![1]).toContain(
      'Call payments API (axios instance paymentsClient) through its policy (retry → circuit breaker → timeout): fixes `no-timeout`, `no-retry`, `no-circuit-breaker` (3 findings)',
    );
    // a client timeout alone is no policy wrapping, and needs no policy layer
    expect(rows[4]![1]).toContain('Set timeouts on the DynamoDB client: fixes `no-timeout` (1 finding)');
    expect(rows[6]![1]).toContain('`unstructured-logging`): fix 3 findings in 2 files');
    // tests for the dependencies that go through a policy only
    expect(rows[8]![1]).toMatch(/failure-mode tests .*: payments API \(axios instance paymentsClient\)$/);
  });

  it.each<[string, string[], Array<[string, string, string, number[]]>]>([
    [
      'a DLQ alarm waits for the DLQ',
      ['no-dlq', 'dlq-without-alarm'],
      [
        ['4.4', 'P1', 'no-dlq', []],
        ['4.4', 'P2', 'dlq-without-alarm', [1]],
      ],
    ],
    ['a DLQ alarm alone depends on nothing', ['dlq-without-alarm'], [['4.4', 'P2', 'dlq-without-alarm', []]]],
    [
      'breaker state needs the policy layer and the taxonomy',
      ['shared-mutable-state'],
      [
        ['4.1', 'P1', 'error taxonomy', []],
        ['4.2', 'P1', 'policy layer', [1]],
        ['4.2', 'P1', 'shared-mutable-state', [2]],
      ],
    ],
    ['logging alone needs no foundations', ['unstructured-logging'], [['4.3', 'P2', 'unstructured-logging', []]]],
  ])('plan: %s', (_name, ruleIds, expected) => {
    const catalog = loadCatalog();
    const findings = ruleIds.map((id, i): Finding => ({
      ...fixtureFindings()[4]!,
      ruleId: id,
      severity: catalog.byId.get(id)!.severity,
      line: i + 1,
      dependency: undefined,
    }));
    const tickets = planTickets(findings, catalog);
    expect(
      tickets.map((t) => [t.phase, t.priority, expected.find((e) => t.title.includes(e[2]))?.[2], t.dependsOn]),
    ).toEqual(expected);
  });

  it('references: catalog references of the rules found, library pages, no duplicates', () => {
    const body = section(doc, 'references');
    expect(body).toContain(
      '- No timeout: <https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html>',
    );
    expect(body).toContain('- cockatiel: <https://github.com/connor4312/cockatiel>');
    const urls = [...body.matchAll(/<(https:[^>]+)>/g)].map((m) => m[1]);
    expect(new Set(urls).size).toBe(urls.length);
  });
});

describe('playbook regeneration', () => {
  it('is stable: regenerating over its own output changes nothing', () => {
    expect(playbook(fixtureResult(), { date: DATE, existing: doc })).toBe(doc);
  });

  it('replaces the generated sections and keeps the user text where it was', () => {
    const intro = 'Owner: payments team. Review monthly.\n\n';
    const between = '\n\n> Team note: the DynamoDB finding is accepted until Q3.\n';
    const appended = '\n\n## Team notes\n\nWe run on provisioned concurrency.\n';
    let edited = intro + doc;
    edited = edited.replace('<!-- harden-codemod:end findings -->', `<!-- harden-codemod:end findings -->${between}`);
    edited = edited.replace('| Timeouts | ❌ |', '| Timeouts | edited by hand |');
    edited = edited.trimEnd() + appended;

    const fewer = fixtureResult({ findings: fixtureFindings().filter((f) => f.ruleId !== 'no-dlq') });
    const next = playbook(fewer, { date: '2026-04-01', existing: edited });

    expect(next.startsWith(`${intro}<!-- harden-codemod:begin header -->`)).toBe(true);
    expect(next).toContain(
      `<!-- harden-codemod:end findings -->${between}\n\n<!-- harden-codemod:begin architecture -->`,
    );
    expect(next.endsWith(appended)).toBe(true);
    expect(next).toContain('Generated: 2026-04-01');
    expect(next).not.toContain('edited by hand');
    expect(section(next, 'audit-summary')).toContain('| DLQ / dead letters | ✅ | 0 |');
    expect(next.match(/harden-codemod:begin findings/g)).toHaveLength(1);
    // and once more: nothing drifts
    expect(playbook(fewer, { date: '2026-04-01', existing: next })).toBe(next);
  });

  it('puts back a section the user deleted, after its predecessor', () => {
    const start = doc.indexOf('<!-- harden-codemod:begin libraries -->');
    const end = doc.indexOf('<!-- harden-codemod:end libraries -->') + '<!-- harden-codemod:end libraries -->'.length;
    const without = doc.slice(0, start) + 'My own library notes.' + doc.slice(end);
    const next = playbook(fixtureResult(), { date: DATE, existing: without });
    const names = splitSections(next).flatMap((p) => (p.kind === 'section' ? [p.name] : []));
    expect(names).toEqual(['header', 'audit-summary', 'findings', 'architecture', 'libraries', 'plan', 'references']);
    expect(next).toContain('<!-- harden-codemod:end architecture -->\n\n<!-- harden-codemod:begin libraries -->');
    expect(next).toContain('My own library notes.');
  });

  it('keeps a hand-written file without markers below the generated sections', () => {
    const handWritten = '# Our hardening notes\n\nWritten before the tool.\n';
    const next = playbook(fixtureResult(), { date: DATE, existing: handWritten });
    expect(next.endsWith(`<!-- harden-codemod:end references -->\n\n${handWritten}`)).toBe(true);
  });

  it('regenerates an unterminated section instead of keeping its stale text', () => {
    const broken = doc.slice(0, doc.indexOf('<!-- harden-codemod:end references -->'));
    expect(playbook(fixtureResult(), { date: DATE, existing: broken })).toBe(doc);
  });
});
