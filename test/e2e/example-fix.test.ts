import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE, REPO, copyTree, runCli, treeSnapshot } from '../helpers/cli';

describe('fixing a copy of the bundled example', () => {
  const dir = copyTree(EXAMPLE, 'hc-fix-');
  const first = runCli(['fix', '--yes', '--allow-dirty', dir]);

  it('applies the fixes, validates and exits 0', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Validation (re-scan after the fix)');
    // the summary ends with what to supply before the next deploy (the fixed serverless.yml deploys without it)
    expect(first.stdout).toMatch(
      /before the next deploy:\n {4}- serverless\.yml: the SNS topic the dead-letter-queue alarms notify \(serverless deploy --param="alarmTopicArn=arn:aws:sns:…"\); until it is given, the alarms only change state\n/,
    );
    for (const f of [
      'src/resilience/errors.ts',
      'src/resilience/policies.ts',
      'src/resilience/logger.ts',
      '.github/workflows/dlq-redrive-orders-service.yml',
    ]) {
      expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies.cockatiel).toBe('^3.2.1');
    expect(pkg.dependencies['@aws-lambda-powertools/logger']).toMatch(/^\^2\./);
  });

  it('the fixed service still type-checks (libraries installed as devDependencies here)', () => {
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    try {
      execFileSync(
        process.execPath,
        [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'],
        { cwd: dir, encoding: 'utf8' },
      );
    } catch (err) {
      throw new Error(`tsc failed on the fixed example:\n${(err as { stdout?: string }).stdout}`);
    } finally {
      fs.unlinkSync(path.join(dir, 'node_modules'));
    }
  });

  it('a re-scan no longer reports what was fixed', () => {
    const after = JSON.parse(runCli(['scan', dir, '--format', 'json']).stdout) as {
      findings: Array<{ ruleId: string; file: string; message: string; fixable: boolean }>;
    };
    const rules = new Set(after.findings.map((f) => f.ruleId));
    for (const fixed of [
      'no-timeout',
      'unstructured-logging',
      'wrong-status-on-infra-failure',
      'no-event-replay',
      'dlq-without-alarm',
      'dlq-without-redrive',
      'no-idempotency',
    ]) {
      expect(rules.has(fixed), fixed).toBe(false);
    }
    // the API functions keep their guidance finding: no blanket reserved concurrency was added to them
    const concurrency = after.findings.filter((f) => f.ruleId === 'unbounded-concurrency');
    expect(
      concurrency.map((f) => `${f.file} ${/^Function (\w+) \(behind an API/.exec(f.message)?.[1]} ${f.fixable}`),
    ).toEqual(['serverless.yml createOrder false', 'serverless.yml getOrder false']);
    expect(fs.readFileSync(path.join(dir, 'serverless.yml'), 'utf8')).not.toContain('reservedConcurrency');
  });

  it('a second run changes nothing', () => {
    const before = treeSnapshot(dir);
    const second = runCli(['fix', '--yes', '--allow-dirty', dir]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('files changed: 0, files created: 0');
    expect(treeSnapshot(dir)).toEqual(before);
  });
});

describe('--dry-run', () => {
  it('prints the diff and writes nothing (tree hashed before and after)', () => {
    const dir = copyTree(EXAMPLE, 'hc-dry-');
    const before = treeSnapshot(dir);
    const r = runCli(['--dry-run', dir]);
    // scan's exit codes: the fix leaves findings that need a decision by hand
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('+++ b/src/resilience/errors.ts');
    expect(r.stdout).toMatch(/^\+.*timeout: 5000/m);
    expect(r.stdout).toContain('Would apply (dry run, nothing written)');
    expect(treeSnapshot(dir)).toEqual(before);
    const viaFix = runCli(['fix', '--dry-run', dir]);
    expect(viaFix.code).toBe(1);
    expect(treeSnapshot(dir)).toEqual(before);
  });
});

describe('a swallowed failure whose caller is an Express 4 route', () => {
  it('is left, naming the route, when the route fix is not part of the run', () => {
    const dir = copyTree(EXAMPLE, 'hc-only-swallow-');
    const before = fs.readFileSync(path.join(dir, 'src/clients/payments-client.ts'), 'utf8');
    const run = runCli(['fix', '--yes', '--allow-dirty', '--only', 'silent-error-swallow', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /src\/clients\/payments-client\.ts:42 +silent-error-swallow: its caller, the express route handler at src\/server\.ts:40, does not catch a rejection and would crash the process: fix unhandled-route-rejection there in the same run/,
    );
    expect(fs.readFileSync(path.join(dir, 'src/clients/payments-client.ts'), 'utf8')).toBe(before);
  });

  it('is rethrown for outages only (the route reads null as "not found") when the route is fixed with it', () => {
    const dir = copyTree(EXAMPLE, 'hc-swallow-and-route-');
    const run = runCli([
      'fix',
      '--yes',
      '--allow-dirty',
      '--only',
      'silent-error-swallow,unhandled-route-rejection',
      dir,
    ]);
    expect(run.stdout).toContain('unhandled-route-rejection 1');
    const client = fs.readFileSync(path.join(dir, 'src/clients/payments-client.ts'), 'utf8');
    expect(client).toContain(
      "    console.error('could not read payment status', err);\n    if (isInfraFailure(err)) {\n      throw classify(err);\n    }\n    return null;",
    );
    const server = fs.readFileSync(path.join(dir, 'src/server.ts'), 'utf8');
    expect(server).toContain("app.get('/payments/:paymentId', async (req, res, next) => {\n  try {");
    expect(server).toContain("res.status(503).set('Retry-After', '30')");
  });
});
