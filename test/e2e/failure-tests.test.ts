import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testFileFor, withTestRunner } from '../../src/engine/failure-tests';
import { EXAMPLE, REPO, copyTree, runCli } from '../helpers/cli';

describe('generated failure-mode tests (phase 4.6) in the fixed example', () => {
  const dir = copyTree(EXAMPLE, 'hc-failure-');
  const fix = runCli(['fix', '--yes', '--allow-dirty', dir]);
  const testFile = 'src/resilience/__tests__/payments-api.failure.test.ts';

  it('creates one test file per wrapped dependency and adds Vitest (the example has no runner)', () => {
    expect(fix.code).toBe(0);
    expect(fs.existsSync(path.join(dir, testFile))).toBe(true);
    const created = fs.readdirSync(path.join(dir, 'src/resilience/__tests__'));
    expect(created).toEqual(['payments-api.failure.test.ts']);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.devDependencies.vitest).toBe('^4.0.0');
    expect(pkg.scripts.test).toBe('vitest run');
    expect(pkg.dependencies.cockatiel).toBe('^3.2.1');
  });

  /** Runs the generated test file in the fixed copy with the project's Vitest. */
  const runGenerated = (): { output: string; status: number | null } => {
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    try {
      const run = spawnSync(
        process.execPath,
        [path.join(REPO, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, testFile],
        {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, CI: 'true', NO_COLOR: '1' },
        },
      );
      return { output: run.stdout + run.stderr, status: run.status };
    } finally {
      fs.unlinkSync(path.join(dir, 'node_modules'));
    }
  };

  it('tests the service itself: its exported function, failed at the transport by a local fake of the dependency', () => {
    const text = fs.readFileSync(path.join(dir, testFile), 'utf8');
    expect(text).toContain("import http from 'node:http';");
    expect(text).toContain("const service = await import('../../clients/payments-client');");
    expect(text).toContain("service.getPaymentStatus('test-1')");
    expect(text).toContain('process.env.PAYMENTS_URL = url;');
    // chargeCard's hand-written retry loop is replaced by the policy: its keyed POST is called with an argument whose fields are strings
    expect(text).toContain('service.chargeCard(anyArgument())');
    expect(text).toContain('with the same idempotency key on every attempt');
  });

  it('the generated tests pass against the fixed service', () => {
    const { output, status } = runGenerated();
    expect(output).toMatch(/Tests\s+10 passed \(10\)/);
    expect(status, output).toBe(0);
  });

  it('removing the policy wrap from the service makes the generated tests fail', () => {
    const client = path.join(dir, 'src/clients/payments-client.ts');
    const fixed = fs.readFileSync(client, 'utf8');
    const wrapped =
      "await policyFor('payments-api').execute(({ signal }) => payments.get<{ status: PaymentStatus }>(`/payments/${encodeURIComponent(paymentId)}`, { signal }));";
    expect(fixed).toContain(wrapped);
    fs.writeFileSync(
      client,
      fixed.replace(
        wrapped,
        'await payments.get<{ status: PaymentStatus }>(`/payments/${encodeURIComponent(paymentId)}`);',
      ),
    );
    try {
      const { output, status } = runGenerated();
      expect(status).not.toBe(0);
      // the timeout, retry and breaker tests each notice that the wrap is gone
      expect(output).toMatch(/Tests\s+4 failed \| 6 passed \(10\)/);
      for (const name of [
        'each attempt times out',
        'retries a 503 a bounded number of times',
        'retries a dropped connection',
        'opens the breaker',
      ]) {
        expect(output).toMatch(new RegExp(`(×|FAIL).*${name}`));
      }
    } finally {
      fs.writeFileSync(client, fixed);
    }
  }, 60_000);

  it('a second run neither rewrites nor duplicates the tests', () => {
    const before = fs.readFileSync(path.join(dir, testFile), 'utf8');
    const second = runCli(['fix', '--yes', '--allow-dirty', dir]);
    expect(second.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, testFile), 'utf8')).toBe(before);
    expect(fs.readdirSync(path.join(dir, 'src/resilience/__tests__'))).toHaveLength(1);
  });
});

describe('where the test of a dependency goes', () => {
  const cases: Array<{ name: string; tests: string[]; want: string }> = [
    {
      name: 'no tests yet: __tests__ beside the modules',
      tests: [],
      want: 'src/resilience/__tests__/pay.failure.test.ts',
    },
    {
      name: 'a top-level test/ folder',
      tests: ['test/orders.test.ts', 'src/a.test.ts'],
      want: 'test/resilience/pay.failure.test.ts',
    },
    {
      name: 'a top-level tests/ folder',
      tests: ['tests/orders.test.ts'],
      want: 'tests/resilience/pay.failure.test.ts',
    },
    {
      name: '__tests__ folders',
      tests: ['src/handlers/__tests__/a.test.ts'],
      want: 'src/resilience/__tests__/pay.failure.test.ts',
    },
    {
      name: 'tests next to the sources',
      tests: ['src/handlers/a.test.ts'],
      want: 'src/resilience/pay.failure.test.ts',
    },
    { name: '*.spec files', tests: ['src/handlers/a.spec.ts'], want: 'src/resilience/pay.failure.spec.ts' },
  ];
  it.each(cases)('$name', ({ tests, want }) => {
    expect(
      path
        .relative('/p', testFileFor('/p', '/p/src/resilience', 'pay', 'ts', tests))
        .split(path.sep)
        .join('/'),
    ).toBe(want);
  });
});

describe('adding the runner to package.json', () => {
  it('adds vitest to devDependencies in order, keeps the indentation, adds a missing test script', () => {
    const text = '{\n    "name": "x",\n    "devDependencies": {\n        "typescript": "5"\n    }\n}\n';
    expect(withTestRunner(text, 'vitest', '^4.0.0')).toBe(
      '{\n    "name": "x",\n    "devDependencies": {\n        "typescript": "5",\n        "vitest": "^4.0.0"\n    },\n    "scripts": {\n        "test": "vitest run"\n    }\n}\n',
    );
  });
  it('keeps an existing test script and changes nothing when vitest is present', () => {
    const text = '{"scripts":{"test":"node --test"},"devDependencies":{}}';
    expect(JSON.parse(withTestRunner(text, 'vitest', '^4.0.0')!).scripts.test).toBe('node --test');
    expect(withTestRunner('{"devDependencies":{"vitest":"^3"}}', 'vitest', '^4.0.0')).toBeNull();
  });
});
