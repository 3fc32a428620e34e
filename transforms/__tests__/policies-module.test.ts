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

interface Settings { timeoutMs: number; maxAttempts: number; initialDelayMs: number; maxDelayMs: number; consecutiveFailures: number; halfOpenAfterMs: number }
interface PoliciesModule {
  policyFor(name: string): { execute<T>(fn: (c: { signal: AbortSignal; attempt: number }) => Promise<T> | T): Promise<T> };
  dependencySettings: Record<string, Partial<Settings>>;
  defaultSettings: Settings;
}
interface ErrorsModule {
  TransientError: new (m: string) => Error;
  PermanentError: new (m: string) => Error;
  DependencyDownError: new (m: string) => Error;
}
interface LoggerModule { logger: { warn(...a: unknown[]): void; error(...a: unknown[]): void; info(...a: unknown[]): void } }

let policies: PoliciesModule;
let errors: ErrorsModule;
let logger: LoggerModule['logger'];

const FAST: Settings = { timeoutMs: 100, maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 5, consecutiveFailures: 3, halfOpenAfterMs: 60_000 };
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
    expect(policies.defaultSettings).toEqual({ timeoutMs: 5000, maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 5000, consecutiveFailures: 5, halfOpenAfterMs: 30000 });
  });

  it('type-checks in strict mode against cockatiel 3 and the Powertools logger', () => {
    const files = ['policies.ts', 'errors.ts', 'logger.ts'].map((f) => path.join(DIR, f));
    const program = ts.createProgram(files, {
      strict: true, noUncheckedIndexedAccess: true, esModuleInterop: true, skipLibCheck: true, noEmit: true,
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, types: ['node'],
    });
    const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(messages).toEqual([]);
  });

  it.each([['CommonJS', false], ['ES module', true]] as const)('runs as plain JavaScript (%s)', async (_, esm) => {
    const dir = path.join(DIR, esm ? 'js-esm' : 'js-cjs');
    fs.mkdirSync(dir, { recursive: true });
    const opts = { typescript: false, esm, config: defaultConfig() };
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: esm ? 'module' : 'commonjs' }));
    fs.writeFileSync(path.join(dir, 'policies.js'), policiesSource(opts));
    fs.writeFileSync(path.join(dir, 'errors.js'), errorTaxonomySource(opts));
    fs.writeFileSync(path.join(dir, 'logger.js'), loggerSource(opts));
    const mod = (esm ? await import(path.join(dir, 'policies.js')) : createRequire(__filename)(path.join(dir, 'policies.js'))) as PoliciesModule;
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
    expect(warn).toHaveBeenCalledWith('Retrying dependency call', expect.objectContaining({ dependency: 'flaky', attempt: 1 }));
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
    const failing = (): Promise<never> => policy.execute(() => {
      calls++;
      throw socketError();
    });
    for (let i = 0; i < 3; i++) await expect(failing()).rejects.toThrow('socket hang up');
    const fastFail = failing();
    await expect(fastFail).rejects.toBeInstanceOf(errors.DependencyDownError);
    await expect(fastFail).rejects.toMatchObject({ dependency: 'down', cause: expect.objectContaining({ isBrokenCircuitError: true }) });
    expect(calls).toBe(3);
    expect(error).toHaveBeenCalledWith('Circuit breaker opened: failing fast', expect.objectContaining({ dependency: 'down' }));
    error.mockRestore();
  });

  it('does not open the breaker on permanent errors', async () => {
    const policy = policies.policyFor(fast('bad-requests', { consecutiveFailures: 2 }));
    for (let i = 0; i < 3; i++) {
      await expect(policy.execute(() => Promise.reject(new errors.PermanentError('422')))).rejects.toBeInstanceOf(errors.PermanentError);
    }
    await expect(policy.execute(() => 'still closed')).resolves.toBe('still closed');
  });

  it('times out a slow attempt, aborts its signal and retries it', async () => {
    const signals: AbortSignal[] = [];
    const started = Date.now();
    const run = policies.policyFor(fast('slow', { timeoutMs: 50, maxAttempts: 1, consecutiveFailures: 100 })).execute(({ signal }) => {
      signals.push(signal);
      return new Promise((resolve) => setTimeout(resolve, 1000));
    });
    await expect(run).rejects.toMatchObject({ isTaskCancelledError: true });
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
