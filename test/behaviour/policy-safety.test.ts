import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli';
import { ok, refusedPort, reset, slow, startFake, status, type FakeDependency } from '../helpers/fake-dependency';
import { buildService, fixedCopy, invokeHandler } from '../helpers/run-service';

/*
 * The policy fixes, proven by running the fixed code: a small service (test/fixtures/policy-service)
 * is fixed by the CLI, compiled with tsc, and its functions are called in a child process against
 * local fakes, counting what reaches them. Its config makes the timings short: attempt timeout
 * 500 ms, 2 retries (3 calls) from 50 ms, breaker open after 3 consecutive failures.
 */

const SERVICE = path.join(REPO, 'test/fixtures/policy-service');
const POLICY_RULES = ['--only', 'no-retry,no-circuit-breaker,retry-without-jitter,retry-without-max,no-timeout'];

interface Outcome {
  ok: boolean;
  value?: unknown;
  error?: { name: string; message: string; cause?: string };
  elapsedMs: number;
}

/** Calls `call` of the fixed service `times` times in one fresh process (one breaker), against `env`. */
async function drive(
  dist: string,
  call: string,
  env: Record<string, string>,
  times = 1,
  arg = 'x',
): Promise<Outcome[]> {
  const run = await invokeHandler(
    path.join(dist, 'driver.js'),
    'run',
    { call, arg, times },
    { LOG_LEVEL: 'SILENT', ...env },
    45_000,
  );
  if (run.exitCode !== 0 || !Array.isArray(run.result))
    throw new Error(`driver failed (exit ${run.exitCode}):\n${run.output}`);
  return run.result as Outcome[];
}

describe('the fixed policy-service against local fakes', () => {
  let dist: string;
  let fake: FakeDependency;
  let env: Record<string, string>;

  beforeAll(async () => {
    dist = buildService(fixedCopy(SERVICE, POLICY_RULES, 'hc-policy-'));
    fake = await startFake();
    env = { PAYMENTS_URL: fake.url, CATALOG_URL: fake.url, RATES_URL: fake.url };
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(() => {
    fake.clear();
  });

  it('one POST without an idempotency key reaches the dependency exactly once, even when the attempt times out, and fails as a TransientError with the timeout as cause', async () => {
    fake.respond(slow(2000, ok({ captureId: 'c-1' })));
    const [outcome] = await drive(dist, 'capture', env);
    expect(fake.count('POST', '/payments/')).toBe(1);
    expect(outcome).toMatchObject({ ok: false, error: { name: 'TransientError', cause: 'TaskCancelledError' } });
    expect(outcome!.elapsedMs).toBeLessThan(1500);
  });

  it('one POST without a key is not sent again after a reset connection (it may have been processed)', async () => {
    fake.respond(reset);
    const [outcome] = await drive(dist, 'capture', env);
    expect(fake.count('POST', '/payments/')).toBe(1);
    expect(outcome).toMatchObject({ ok: false, error: { name: 'TransientError' } });
  });

  it('one POST without a key is sent again when the connection was refused (it never left), and gives up in bounded time', async () => {
    const [outcome] = await drive(dist, 'capture', { ...env, PAYMENTS_URL: `http://127.0.0.1:${await refusedPort()}` });
    expect(outcome).toMatchObject({ ok: false, error: { name: 'TransientError' } });
    expect(outcome!.elapsedMs).toBeLessThan(5000);
  });

  it('a keyed POST is retried and every attempt carries the same key', async () => {
    fake.respond((_req, i) => (i < 2 ? status(503) : ok({ captureId: 'c-2' })));
    const [outcome] = await drive(dist, 'charge', env, 1, 'order-7');
    expect(outcome).toMatchObject({ ok: true, value: { captureId: 'c-2' } });
    const keys = fake.requests.filter((r) => r.path === '/charges').map((r) => r.headers['idempotency-key']);
    expect(keys).toEqual(['order-7-0', 'order-7-0', 'order-7-0']);
  });

  it('a keyed POST that times out is retried with the same key, at most maxAttempts + 1 times', async () => {
    fake.respond(slow(2000, ok({})));
    const [outcome] = await drive(dist, 'charge', env, 1, 'order-8');
    expect(outcome).toMatchObject({ ok: false, error: { name: 'TransientError', cause: 'TaskCancelledError' } });
    const keys = fake.requests.filter((r) => r.path === '/charges').map((r) => r.headers['idempotency-key']);
    expect(keys).toEqual(['order-8-0', 'order-8-0', 'order-8-0']);
  });

  it('the call of a replaced hand-written loop makes no more attempts than the loop did (3), and the loop is gone', async () => {
    fake.respond(status(503));
    const [outcome] = await drive(dist, 'rate', env);
    expect(outcome).toMatchObject({
      ok: false,
      error: { name: 'Error', message: 'no rate for x-0', cause: 'TransientError' },
    });
    expect(fake.count('GET', '/rates/')).toBe(3);
    const source = fs.readFileSync(path.join(path.dirname(dist), 'src/rates.ts'), 'utf8');
    expect(source).not.toMatch(/for \(/);
    expect(source.match(/policyFor\(/g)).toHaveLength(1);
  });

  it('a fetch against a dependency that resets every connection fails within a bounded time', async () => {
    fake.respond(reset);
    const [outcome] = await drive(dist, 'product', env);
    expect(outcome).toMatchObject({ ok: false, error: { name: 'TransientError' } });
    expect(outcome!.elapsedMs).toBeLessThan(5000);
    expect(fake.count('GET', '/products/')).toBe(3);
  });

  it('repeated 503s from fetch open the breaker: later calls fail fast with DependencyDownError without reaching the fake', async () => {
    fake.respond(status(503));
    const outcomes = await drive(dist, 'product', env, 4);
    // 3 attempts of the first call open the breaker (3 consecutive failures)
    expect(outcomes[0]).toMatchObject({
      ok: false,
      error: { name: 'TransientError', message: expect.stringContaining('answered 503') },
    });
    for (const later of outcomes.slice(1)) {
      expect(later).toMatchObject({ ok: false, error: { name: 'DependencyDownError' } });
      expect(later.elapsedMs).toBeLessThan(100);
    }
    expect(fake.count('GET', '/products/')).toBe(3);
  });

  it('a 404 from fetch is neither retried nor counted by the breaker', async () => {
    fake.respond(status(404));
    const outcomes = await drive(dist, 'product', env, 4);
    for (const o of outcomes)
      expect(o).toMatchObject({ ok: false, error: { name: 'PermanentError', message: 'catalog answered 404' } });
    expect(fake.count('GET', '/products/')).toBe(4);
  });

  it('a Retry-After is the shortest wait before the next attempt', async () => {
    fake.respond((_req, i) => (i === 0 ? status(503, { 'retry-after': '1' }) : ok({ id: 'p', name: 'P' })));
    const [outcome] = await drive(dist, 'product', env);
    expect(outcome).toMatchObject({ ok: true, value: { id: 'p' } });
    const [first, second] = fake.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });
});

describe('the fixed policy-service with idempotencyKeys: true', () => {
  let dist: string;
  let fake: FakeDependency;

  beforeAll(async () => {
    dist = buildService(
      fixedCopy(
        SERVICE,
        [...POLICY_RULES, '--config', path.join(SERVICE, 'harden-codemod.keys.json')],
        'hc-policy-keys-',
      ),
    );
    fake = await startFake();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('a POST that had no key gets one made per logical call, the same on every attempt of that call', async () => {
    fake.respond((_req, i) => (i % 3 < 2 ? status(503) : ok({ captureId: 'c' })));
    const outcomes = await drive(dist, 'capture', { PAYMENTS_URL: fake.url }, 2);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    const keys = fake.requests.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(6);
    expect(new Set(keys.slice(0, 3)).size).toBe(1);
    expect(new Set(keys.slice(3)).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[0]).not.toBe(keys[3]);
  });
});
