import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import { errorTaxonomySource } from '../generators/error-taxonomy-source';
import { loggerSource } from '../generators/logger-source';
import { policiesSource } from '../generators/policies-source';

/**
 * Behaviour of the generated policies module: the TypeScript variant is written with the real
 * errors and logger modules and imported, then driven with small delays.
 */
const DIR = path.resolve(__dirname, '../../test/tmp/policies-module');

interface Settings {
  timeoutMs: number;
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  consecutiveFailures: number;
  halfOpenAfterMs: number;
}
interface CallOptions {
  idempotent?: boolean;
  retry?: boolean;
  maxAttempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}
interface PoliciesModule {
  policyFor(
    name: string,
    options?: CallOptions,
  ): { execute<T>(fn: (c: { signal: AbortSignal; attempt: number }) => Promise<T> | T): Promise<T> };
  throwOnTransientStatus<T>(answer: T): T;
  dependencySettings: Record<string, Partial<Settings>>;
  defaultSettings: Settings;
}
interface ErrorsModule {
  TransientError: new (m: string) => Error;
  PermanentError: new (m: string) => Error;
  DependencyDownError: new (m: string) => Error;
}
interface LoggerModule {
  logger: { warn(...a: unknown[]): void; error(...a: unknown[]): void; info(...a: unknown[]): void };
}

let policies: PoliciesModule;
let errors: ErrorsModule;
let logger: LoggerModule['logger'];

const FAST: Settings = {
  timeoutMs: 100,
  maxAttempts: 2,
  initialDelayMs: 1,
  maxDelayMs: 5,
  consecutiveFailures: 3,
  halfOpenAfterMs: 60_000,
};
const socketError = (): Error => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

/** A dependency name with fast settings (each test gets its own, so breakers do not leak). */
function fast(name: string, overrides: Partial<Settings> = {}): string {
  policies.dependencySettings[name] = { ...FAST, ...overrides };
  return name;
}

beforeAll(async () => {
  fs.mkdirSync(DIR, { recursive: true });
  const opts = { typescript: true, esm: true, config: defaultConfig() };
  fs.writeFileSync(path.join(DIR, 'policies.ts'), policiesSource(opts));
  fs.writeFileSync(path.join(DIR, 'errors.ts'), errorTaxonomySource(opts));
  fs.writeFileSync(path.join(DIR, 'logger.ts'), loggerSource(opts));
  process.env.LOG_LEVEL = 'SILENT';
  policies = (await import(path.join(DIR, 'policies.ts'))) as PoliciesModule;
  errors = (await import(path.join(DIR, 'errors.ts'))) as ErrorsModule;
  logger = ((await import(path.join(DIR, 'logger.ts'))) as LoggerModule).logger;
});

describe('generated policies module', () => {
  it('takes its defaults from the config', () => {
    expect(policies.defaultSettings).toEqual({
      timeoutMs: 5000,
      maxAttempts: 3,
      initialDelayMs: 200,
      maxDelayMs: 5000,
      consecutiveFailures: 5,
      halfOpenAfterMs: 30000,
    });
  });

  it('type-checks in strict mode against cockatiel 3 and the Powertools logger', () => {
    const files = ['policies.ts', 'errors.ts', 'logger.ts'].map((f) => path.join(DIR, f));
    const program = ts.createProgram(files, {
      strict: true,
      noUncheckedIndexedAccess: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      types: ['node'],
    });
    const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(messages).toEqual([]);
  });

  it.each([
    ['CommonJS', false],
    ['ES module', true],
  ] as const)('runs as plain JavaScript (%s)', async (_, esm) => {
    const dir = path.join(DIR, esm ? 'js-esm' : 'js-cjs');
    fs.mkdirSync(dir, { recursive: true });
    const opts = { typescript: false, esm, config: defaultConfig() };
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: esm ? 'module' : 'commonjs' }));
    fs.writeFileSync(path.join(dir, 'policies.js'), policiesSource(opts));
    fs.writeFileSync(path.join(dir, 'errors.js'), errorTaxonomySource(opts));
    fs.writeFileSync(path.join(dir, 'logger.js'), loggerSource(opts));
    const mod = (
      esm ? await import(path.join(dir, 'policies.js')) : createRequire(__filename)(path.join(dir, 'policies.js'))
    ) as PoliciesModule;
    mod.dependencySettings.js = FAST;
    let calls = 0;
    const result = await mod.policyFor('js').execute(() => (++calls === 1 ? Promise.reject(socketError()) : 'ok'));
    expect([result, calls]).toEqual(['ok', 2]);
  });

  it('memoises one policy per dependency name', () => {
    expect(policies.policyFor(fast('memo'))).toBe(policies.policyFor('memo'));
    expect(policies.policyFor('memo')).not.toBe(policies.policyFor(fast('memo-other')));
  });

  it('retries a transient failure, then succeeds, and logs the retry', async () => {
    const warn = vi.spyOn(logger, 'warn');
    let calls = 0;
    const result = await policies.policyFor(fast('flaky')).execute(async ({ attempt }) => {
      calls++;
      if (attempt === 0) throw socketError();
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(calls).toBe(2);
    expect(warn).toHaveBeenCalledWith(
      'Retrying dependency call',
      expect.objectContaining({ dependency: 'flaky', attempt: 1 }),
    );
    warn.mockRestore();
  });

  it('surfaces the last error when retries run out (maxAttempts counts retries)', async () => {
    let calls = 0;
    const run = policies.policyFor(fast('exhausted', { consecutiveFailures: 100 })).execute(() => {
      calls++;
      throw socketError();
    });
    await expect(run).rejects.toThrow('socket hang up');
    expect(calls).toBe(3);
  });

  it('does not retry a permanent error', async () => {
    let calls = 0;
    const run = policies.policyFor(fast('permanent')).execute(() => {
      calls++;
      throw new errors.PermanentError('404 not found');
    });
    await expect(run).rejects.toBeInstanceOf(errors.PermanentError);
    expect(calls).toBe(1);
  });

  it('opens the breaker after N consecutive transient failures and then fails fast with DependencyDownError', async () => {
    const error = vi.spyOn(logger, 'error');
    const policy = policies.policyFor(fast('down', { maxAttempts: 0, consecutiveFailures: 3 }));
    let calls = 0;
    const failing = (): Promise<never> =>
      policy.execute(() => {
        calls++;
        throw socketError();
      });
    for (let i = 0; i < 3; i++) await expect(failing()).rejects.toThrow('socket hang up');
    const fastFail = failing();
    await expect(fastFail).rejects.toBeInstanceOf(errors.DependencyDownError);
    await expect(fastFail).rejects.toMatchObject({
      dependency: 'down',
      cause: expect.objectContaining({ isBrokenCircuitError: true }),
    });
    expect(calls).toBe(3);
    expect(error).toHaveBeenCalledWith(
      'Circuit breaker opened: failing fast',
      expect.objectContaining({ dependency: 'down' }),
    );
    error.mockRestore();
  });

  it('does not open the breaker on permanent errors', async () => {
    const policy = policies.policyFor(fast('bad-requests', { consecutiveFailures: 2 }));
    for (let i = 0; i < 3; i++) {
      await expect(policy.execute(() => Promise.reject(new errors.PermanentError('422')))).rejects.toBeInstanceOf(
        errors.PermanentError,
      );
    }
    await expect(policy.execute(() => 'still closed')).resolves.toBe('still closed');
  });

  it('times out a slow attempt, aborts its signal and retries it; the caller sees a TransientError with the timeout as cause', async () => {
    const signals: AbortSignal[] = [];
    const started = Date.now();
    const run = policies
      .policyFor(fast('slow', { timeoutMs: 50, maxAttempts: 1, consecutiveFailures: 100 }))
      .execute(({ signal }) => {
        signals.push(signal);
        return new Promise((resolve) => setTimeout(resolve, 1000));
      });
    await expect(run).rejects.toBeInstanceOf(errors.TransientError);
    await expect(run).rejects.toMatchObject({
      dependency: 'slow',
      message: 'slow did not answer within 50 ms',
      cause: expect.objectContaining({ isTaskCancelledError: true }),
    });
    expect(signals).toHaveLength(2);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('aborts the signal once the call returns (read bodies inside execute)', async () => {
    let seen: AbortSignal | undefined;
    await policies.policyFor(fast('returns')).execute(({ signal }) => {
      seen = signal;
      return 1;
    });
    expect(seen?.aborted).toBe(true);
  });
});

/** A fetch-like answer: what `fetch` resolves with, whatever the status. */
function answer(status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ status }), { status, headers });
}

describe('generated policies module: what is safe to retry', () => {
  it('sends a call that is not idempotent once, even when the attempt times out', async () => {
    let calls = 0;
    const run = policies.policyFor(fast('post-timeout', { timeoutMs: 30 }), { idempotent: false }).execute(() => {
      calls++;
      return new Promise((resolve) => setTimeout(resolve, 500));
    });
    await expect(run).rejects.toBeInstanceOf(errors.TransientError);
    expect(calls).toBe(1);
  });

  it('sends a call that is not idempotent again when the connection was refused (it never left)', async () => {
    let calls = 0;
    const result = await policies.policyFor(fast('post-refused'), { idempotent: false }).execute(() => {
      calls++;
      if (calls === 1)
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
            code: 'ECONNREFUSED',
            syscall: 'connect',
          }),
        });
      return 'sent';
    });
    expect([result, calls]).toEqual(['sent', 2]);
  });

  it('does not send a call that is not idempotent again after a reset or a 503 answer', async () => {
    let calls = 0;
    await expect(
      policies.policyFor(fast('post-reset'), { idempotent: false }).execute(() => {
        calls++;
        throw socketError();
      }),
    ).rejects.toBeInstanceOf(errors.TransientError);
    expect(calls).toBe(1);
    calls = 0;
    const res = await policies.policyFor(fast('post-503'), { idempotent: false }).execute(() => {
      calls++;
      return answer(503);
    });
    expect([res.status, calls]).toEqual([503, 1]);
  });

  it('lets the client do the retrying when asked (retry: false)', async () => {
    let calls = 0;
    await expect(
      policies.policyFor(fast('sdk'), { retry: false }).execute(() => {
        calls++;
        throw socketError();
      }),
    ).rejects.toBeInstanceOf(errors.TransientError);
    expect(calls).toBe(1);
  });

  it('takes the retries of a call site from its options (a replaced loop keeps its limit)', async () => {
    let calls = 0;
    await expect(
      policies
        .policyFor(fast('loop', { maxAttempts: 5, consecutiveFailures: 100 }), { maxAttempts: 1, initialDelayMs: 1 })
        .execute(() => {
          calls++;
          throw socketError();
        }),
    ).rejects.toBeInstanceOf(errors.TransientError);
    expect(calls).toBe(2);
  });

  it('shares one breaker between the call sites of a dependency', async () => {
    const name = fast('shared', { consecutiveFailures: 2, maxAttempts: 0 });
    const failing = (): Error => socketError();
    await expect(
      policies.policyFor(name).execute(() => {
        throw failing();
      }),
    ).rejects.toBeInstanceOf(errors.TransientError);
    await expect(
      policies.policyFor(name, { idempotent: false }).execute(() => {
        throw failing();
      }),
    ).rejects.toBeInstanceOf(errors.TransientError);
    let reached = false;
    await expect(
      policies.policyFor(name, { maxAttempts: 1 }).execute(() => {
        reached = true;
        return 1;
      }),
    ).rejects.toBeInstanceOf(errors.DependencyDownError);
    expect(reached).toBe(false);
  });
});

describe('generated policies module: answers that are failures', () => {
  it('retries a 503 answer and returns the last one when retries run out (the caller still gets its Response)', async () => {
    let calls = 0;
    const res = await policies.policyFor(fast('fetch-503', { consecutiveFailures: 100 })).execute(() => {
      calls++;
      return answer(503);
    });
    expect([res.status, calls]).toEqual([503, 3]);
  });

  it('opens the breaker on repeated 503 answers, then fails fast without calling', async () => {
    const policy = policies.policyFor(fast('fetch-down', { consecutiveFailures: 3, maxAttempts: 0 }));
    let calls = 0;
    for (let i = 0; i < 3; i++)
      expect(
        (
          await policy.execute(() => {
            calls++;
            return answer(503);
          })
        ).status,
      ).toBe(503);
    await expect(
      policy.execute(() => {
        calls++;
        return answer(200);
      }),
    ).rejects.toBeInstanceOf(errors.DependencyDownError);
    expect(calls).toBe(3);
  });

  it('counts the 503 of an axios client that resolves on every status (validateStatus) and of got (throwHttpErrors: false)', async () => {
    let calls = 0;
    const axiosLike = await policies.policyFor(fast('axios-503', { consecutiveFailures: 100 })).execute(() => {
      calls++;
      return { status: 503, statusText: 'Service Unavailable', headers: {}, data: {}, config: {} };
    });
    expect([axiosLike.status, calls]).toEqual([503, 3]);
    calls = 0;
    const gotLike = await policies.policyFor(fast('got-503', { consecutiveFailures: 100 })).execute(() => {
      calls++;
      return { statusCode: 503, url: 'https://x.example.com', headers: {}, body: '' };
    });
    expect([gotLike.statusCode, calls]).toEqual([503, 3]);
  });

  it('does not take a parsed body with a status field for an answer', async () => {
    let calls = 0;
    await policies.policyFor(fast('body-status')).execute(() => {
      calls++;
      return { status: 500, message: 'a record whose status is 500' };
    });
    expect(calls).toBe(1);
  });

  it('neither retries nor counts a 404 answer', async () => {
    const policy = policies.policyFor(fast('fetch-404', { consecutiveFailures: 1 }));
    let calls = 0;
    for (let i = 0; i < 3; i++)
      expect(
        (
          await policy.execute(() => {
            calls++;
            return answer(404);
          })
        ).status,
      ).toBe(404);
    expect(calls).toBe(3);
  });

  it('throwOnTransientStatus fails the attempt on 5xx/429 with the status and Retry-After, and passes other answers', async () => {
    expect(policies.throwOnTransientStatus(answer(404)).status).toBe(404);
    const thrown = (() => {
      try {
        policies.throwOnTransientStatus(answer(429, { 'retry-after': '2' }));
      } catch (err) {
        return err;
      }
      return null;
    })();
    expect(thrown).toBeInstanceOf(errors.TransientError);
    expect(thrown).toMatchObject({ status: 429, retryAfterMs: 2000 });
  });

  it('waits at least the Retry-After a dependency asks for before the next attempt', async () => {
    const at: number[] = [];
    const res = await policies
      .policyFor(fast('retry-after', { maxDelayMs: 1000, consecutiveFailures: 100 }))
      .execute(() => {
        at.push(Date.now());
        return at.length === 1 ? policies.throwOnTransientStatus(answer(503, { 'retry-after': '0.3' })) : answer(200);
      });
    expect(res.status).toBe(200);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(290);
  });

  it('does not hold the caller when the Retry-After is longer than the longest backoff', async () => {
    let calls = 0;
    const res = await policies
      .policyFor(fast('retry-after-long', { maxDelayMs: 100, consecutiveFailures: 100 }))
      .execute(() => {
        calls++;
        return answer(503, { 'retry-after': '120' });
      });
    expect([res.status, calls]).toEqual([503, 1]);
  });

  it('surfaces a permanent failure as PermanentError with the original as cause', async () => {
    const original = Object.assign(new Error('Request failed with status code 400'), { response: { status: 400 } });
    const run = policies.policyFor(fast('bad')).execute(() => Promise.reject(original));
    await expect(run).rejects.toBeInstanceOf(errors.PermanentError);
    await expect(run).rejects.toMatchObject({ cause: original, status: 400, dependency: 'bad' });
  });
});
