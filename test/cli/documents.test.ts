import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE, copyTree, runCli } from '../helpers/cli';

describe("the documents, written from the example's real findings", () => {
  const dir = copyTree(EXAMPLE, 'hc-docs-');
  const cases = [
    {
      cmd: 'playbook',
      file: '.opencode/docs/HARDENING-PLAYBOOK.md',
      must: [
        '# Production Hardening Playbook — orders-service',
        '## Audit Summary',
        '### CRITICAL',
        'src/clients/payments-client.ts#L18',
        '## Prioritized Implementation Plan',
        'cockatiel',
      ],
    },
    {
      cmd: 'review',
      file: '.opencode/docs/PRODUCTION-READINESS-REVIEW.md',
      must: [
        '### Service: orders-service',
        '### Health & Observability',
        'src/server.ts:57',
        'Ready for production: NO',
      ],
    },
    {
      cmd: 'plan',
      file: '.opencode/docs/RELIABILITY-IMPROVEMENT-PLAN.md',
      must: [
        '# Reliability Improvement Plan: orders-service',
        '## Reliability Scorecard',
        '## Prioritized Remediation Plan',
        '## Testing Plan',
        'serverless.yml:',
      ],
    },
  ];

  it.each(cases)('$cmd writes $file with the template filled and no placeholder left', ({ cmd, file, must }) => {
    const r = runCli([cmd, dir]);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const m of must) expect(text).toContain(m);
    expect(text).not.toMatch(/\{[a-z-]+\}|\[name\]|\[date\]|TODO/);
  });

  it('the playbook promises a fix exactly for the findings `fix` fixes (not for the EventBridge rule with no DLQ target)', () => {
    expect(runCli(['playbook', dir]).code).toBe(0);
    const text = fs.readFileSync(path.join(dir, '.opencode/docs/HARDENING-PLAYBOOK.md'), 'utf8');
    const promised = (text.match(/makes this change/g) ?? []).length;
    const dry = runCli(['--dry-run', dir]).stdout;
    const fixed = Number(/findings fixed \((\d+)\)/.exec(dry)?.[1]);
    expect(promised).toBe(fixed);
    expect(dry).toContain(`${fixed} fixed by the changes below`);
    const eventBridge = /\*\*File\*\*: serverless\.yml#L85\n(?:.*\n){2}.*/.exec(text)?.[0] ?? '';
    expect(eventBridge).toContain('EventBridge rule OrderCreatedRule');
    expect(eventBridge).not.toContain('makes this change');
  });

  it('regenerating keeps what the user wrote outside the generated sections', () => {
    const file = path.join(dir, '.opencode/docs/HARDENING-PLAYBOOK.md');
    fs.appendFileSync(file, '\n## Team notes\n\nPayments owns the breaker settings.\n');
    expect(runCli(['playbook', dir]).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('Payments owns the breaker settings.');
  });

  it('scan --format sarif is SARIF 2.1.0 with rules, regions and fixes', () => {
    const r = runCli(['scan', dir, '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toContain('no-timeout');
    const json = JSON.parse(runCli(['scan', dir, '--format', 'json']).stdout);
    expect(run.results.length).toBe(json.findings.length);
    expect(run.results[0].locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
    expect(run.results.some((x: { fixes?: unknown[] }) => x.fixes?.length)).toBe(true);
  });

  it('--baseline records once, then reports only new findings', () => {
    const baseline = path.join(dir, 'baseline.json');
    expect(runCli(['scan', dir, '--baseline', baseline]).code).toBe(0);
    expect(runCli(['scan', dir, '--baseline', baseline]).code).toBe(0);
    fs.appendFileSync(
      path.join(dir, 'src/util/parse.ts'),
      '\nexport function shout(s: string) {\n  console.log(s);\n}\n',
    );
    const r = runCli(['scan', dir, '--baseline', baseline, '--format', 'json']);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).findings as Array<{ ruleId: string; file: string }>;
    expect(findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual(['unstructured-logging src/util/parse.ts']);
  });
});
