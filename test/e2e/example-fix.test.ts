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
    expect(first.stdout).toMatch(/before the next deploy:\n {4}- serverless\.yml: the SNS topic the dead-letter-queue alarms notify \(serverless deploy --param="alarmTopicArn=arn:aws:sns:…"\); until it is given, the alarms only change state\n/);
    for (const f of ['src/resilience/errors.ts', 'src/resilience/policies.ts', 'src/resilience/logger.ts', '.github/workflows/dlq-redrive-orders-service.yml']) {
      expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies.cockatiel).toBe('^3.2.1');
    expect(pkg.dependencies['@aws-lambda-powertools/logger']).toMatch(/^\^2\./);
  });

  it('the fixed service still type-checks (libraries installed as devDependencies here)', () => {
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    try {
      execFileSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], { cwd: dir, encoding: 'utf8' });
    } catch (err) {
      throw new Error(`tsc failed on the fixed example:\n${(err as { stdout?: string }).stdout}`);
    } finally {
      fs.unlinkSync(path.join(dir, 'node_modules'));
    }
  });

  it('a re-scan no longer reports what was fixed', () => {
    const after = JSON.parse(runCli(['scan', dir, '--format', 'json']).stdout) as { findings: Array<{ ruleId: string; file: string; message: string; fixable: boolean }> };
    const rules = new Set(after.findings.map((f) => f.ruleId));
    for (const fixed of ['no-timeout', 'unstructured-logging', 'wrong-status-on-infra-failure', 'no-event-replay', 'dlq-without-alarm', 'dlq-without-redrive', 'no-idempotency']) {
      expect(rules.has(fixed), fixed).toBe(false);
    }
    // the API functions keep their guidance finding: no blanket reserved concurrency was added to them
    const concurrency = after.findings.filter((f) => f.ruleId === 'unbounded-concurrency');
    expect(concurrency.map((f) => `${f.file} ${/^Function (\w+) answers users/.exec(f.message)?.[1]} ${f.fixable}`)).toEqual(['serverless.yml createOrder false', 'serverless.yml getOrder false']);
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
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+++ b/src/resilience/errors.ts');
    expect(r.stdout).toMatch(/^\+.*timeout: 5000/m);
    expect(r.stdout).toContain('Would apply (dry run, nothing written)');
    expect(treeSnapshot(dir)).toEqual(before);
    const viaFix = runCli(['fix', '--dry-run', dir]);
    expect(viaFix.code).toBe(0);
    expect(treeSnapshot(dir)).toEqual(before);
  });
});
