import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import { errorTaxonomySource } from '../generators/error-taxonomy-source';

/**
 * The generated errors module is written to test/tmp, imported (TypeScript, ESM) and required
 * (CommonJS), and both must classify the same table of real-world error shapes.
 */
const TMP = path.resolve(__dirname, '../../test/tmp/error-taxonomy');
const config = defaultConfig();

interface ErrorsModule {
  TransientError: new (message: string) => Error;
  DependencyDownError: new (message: string) => Error;
  PermanentError: new (message: string) => Error;
  classify(err: unknown, dependency?: string): Error & { dependency?: string; status?: number; retryAfterMs?: number };
  retryAfterMsOf(value: unknown): number | undefined;
  wasNeverSent(err: unknown): boolean;
  isInfraFailure(err: unknown): boolean;
  httpStatusFor(err: unknown): number;
}

function withProps(base: Error, props: Record<string, unknown>): Error {
  return Object.assign(base, props);
}
class BrokenCircuitError extends Error {
  isBrokenCircuitError = true;
}
class TaskCancelledError extends Error {
  isTaskCancelledError = true;
}

const table: Array<[string, () => unknown, 'TransientError' | 'DependencyDownError' | 'PermanentError', number]> = [
  [
    'axios 503',
    () =>
      withProps(new Error('Request failed with status code 503'), { isAxiosError: true, response: { status: 503 } }),
    'TransientError',
    503,
  ],
  [
    'axios 502',
    () => withProps(new Error('Request failed with status code 502'), { response: { status: 502 } }),
    'TransientError',
    502,
  ],
  [
    'axios 404',
    () =>
      withProps(new Error('Request failed with status code 404'), { isAxiosError: true, response: { status: 404 } }),
    'PermanentError',
    500,
  ],
  [
    'axios 429',
    () => withProps(new Error('Request failed with status code 429'), { response: { status: 429 } }),
    'TransientError',
    503,
  ],
  [
    'axios timeout',
    () => withProps(new Error('timeout of 5000ms exceeded'), { code: 'ECONNABORTED' }),
    'TransientError',
    504,
  ],
  [
    'ETIMEDOUT',
    () => withProps(new Error('connect ETIMEDOUT 10.0.0.1:443'), { code: 'ETIMEDOUT' }),
    'TransientError',
    504,
  ],
  ['ECONNREFUSED', () => withProps(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'TransientError', 503],
  [
    'DNS ENOTFOUND',
    () => withProps(new Error('getaddrinfo ENOTFOUND api.example.com'), { code: 'ENOTFOUND' }),
    'TransientError',
    503,
  ],
  [
    'fetch failed (undici cause)',
    () =>
      new TypeError('fetch failed', { cause: withProps(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }),
    'TransientError',
    503,
  ],
  [
    'TimeoutError DOMException',
    () => new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
    'TransientError',
    504,
  ],
  [
    'AbortError DOMException',
    () => new DOMException('This operation was aborted', 'AbortError'),
    'TransientError',
    503,
  ],
  ['fetch-style status 504', () => withProps(new Error('Gateway Timeout'), { status: 504 }), 'TransientError', 504],
  [
    'AWS ThrottlingException (400)',
    () => withProps(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }),
    'TransientError',
    503,
  ],
  [
    'AWS ProvisionedThroughputExceededException',
    () =>
      withProps(new Error('x'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } }),
    'TransientError',
    503,
  ],
  [
    'AWS $retryable',
    () =>
      withProps(new Error('x'), {
        name: 'SomethingElse',
        $retryable: { throttling: false },
        $metadata: { httpStatusCode: 400 },
      }),
    'TransientError',
    503,
  ],
  [
    'AWS 500 by $metadata',
    () => withProps(new Error('x'), { name: 'SomeServerFault', $metadata: { httpStatusCode: 500 } }),
    'TransientError',
    502,
  ],
  [
    'AWS ConditionalCheckFailedException',
    () =>
      withProps(new Error('The conditional request failed'), {
        name: 'ConditionalCheckFailedException',
        $metadata: { httpStatusCode: 400 },
      }),
    'PermanentError',
    500,
  ],
  [
    'cockatiel BrokenCircuitError',
    () => new BrokenCircuitError('Execution prevented because the circuit breaker is open'),
    'DependencyDownError',
    503,
  ],
  ['cockatiel TaskCancelledError', () => new TaskCancelledError('Operation timed out'), 'TransientError', 504],
  [
    'jose ERR_JWT_EXPIRED',
    () => withProps(new Error('"exp" claim timestamp check failed'), { name: 'JWTExpired', code: 'ERR_JWT_EXPIRED' }),
    'PermanentError',
    401,
  ],
  [
    'jose ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    () => withProps(new Error('signature verification failed'), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' }),
    'PermanentError',
    401,
  ],
  [
    'jose ERR_JWKS_TIMEOUT',
    () => withProps(new Error('request timed out'), { name: 'JWKSTimeout', code: 'ERR_JWKS_TIMEOUT' }),
    'TransientError',
    504,
  ],
  [
    'jose JWKS non-200',
    () => withProps(new Error('Expected 200 OK from the JSON Web Key Set HTTP response'), { code: 'ERR_JOSE_GENERIC' }),
    'TransientError',
    503,
  ],
  [
    'http-errors 404 of our own',
    () => withProps(new Error('Not Found'), { status: 404, statusCode: 404, expose: true }),
    'PermanentError',
    404,
  ],
  ['validation error', () => withProps(new Error('bad input'), { name: 'ValidationError' }), 'PermanentError', 400],
  [
    'plain TypeError (a bug)',
    () => new TypeError("Cannot read properties of undefined (reading 'id')"),
    'PermanentError',
    500,
  ],
  ['a thrown string', () => 'boom', 'PermanentError', 500],
  ['socket hang up', () => new Error('socket hang up'), 'TransientError', 503],
  // a service's own error classes, by name and by the classes they extend
  [
    "the service's own DependencyDownError",
    () => new (class DependencyDownError extends Error {})('payments down'),
    'DependencyDownError',
    503,
  ],
  [
    "the service's own ServiceUnavailableError",
    () => new (class ServiceUnavailableError extends Error {})('try later'),
    'TransientError',
    503,
  ],
  [
    'a subclass of a service TimeoutError',
    () => new (class PaymentsTimeout extends class TimeoutError extends Error {} {})('slow'),
    'TransientError',
    504,
  ],
  [
    'a subclass of a service UpstreamUnavailableError with a 4xx status',
    () =>
      withProps(new (class LedgerDown extends class UpstreamUnavailableError extends Error {} {})('ledger'), {
        status: 409,
      }),
    'TransientError',
    503,
  ],
  [
    "the service's own NotFoundError",
    () => new (class NotFoundError extends Error {})('no such order'),
    'PermanentError',
    500,
  ],
  [
    'a NonRetryableError is not transient',
    () => new (class NonRetryableError extends Error {})('stop'),
    'PermanentError',
    500,
  ],
  [
    'a 501 answer is a server error',
    () => withProps(new Error('Not Implemented'), { response: { status: 501 } }),
    'TransientError',
    503,
  ],
];

describe.each(['typescript', 'commonjs'] as const)('generated errors module (%s)', (flavour) => {
  let mod: ErrorsModule;
  beforeAll(async () => {
    fs.mkdirSync(TMP, { recursive: true });
    if (flavour === 'typescript') {
      const file = path.join(TMP, 'errors.ts');
      fs.writeFileSync(file, errorTaxonomySource({ typescript: true, esm: true, config }));
      mod = (await import(file)) as ErrorsModule;
    } else {
      const file = path.join(TMP, 'errors.cjs');
      fs.writeFileSync(file, errorTaxonomySource({ typescript: false, esm: false, config }));
      mod = createRequire(__filename)(file) as ErrorsModule;
    }
  });

  it.each(table)('%s', (_label, make, expected, status) => {
    const err = make();
    const classified = mod.classify(err, 'payments');
    expect(classified.name).toBe(expected);
    expect(classified.cause).toBe(err);
    expect(classified.dependency).toBe('payments');
    expect(mod.isInfraFailure(err)).toBe(expected !== 'PermanentError');
    expect(mod.httpStatusFor(err)).toBe(status);
  });

  it('reads Retry-After in seconds or as an HTTP date, from an answer or from the response an error carries', () => {
    expect(mod.retryAfterMsOf({ headers: new Headers({ 'Retry-After': '3' }) })).toBe(3000);
    expect(
      mod.retryAfterMsOf(withProps(new Error('x'), { response: { status: 503, headers: { 'retry-after': '1' } } })),
    ).toBe(1000);
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(mod.retryAfterMsOf({ headers: { 'Retry-After': inTenSeconds } })).toBeGreaterThan(8000);
    expect(mod.retryAfterMsOf({ headers: { 'retry-after': 'soon' } })).toBeUndefined();
    expect(mod.retryAfterMsOf(new Error('no answer'))).toBeUndefined();
    expect(
      mod.classify(withProps(new Error('x'), { response: { status: 429, headers: { 'retry-after': '2' } } }))
        .retryAfterMs,
    ).toBe(2000);
  });

  it('tells the failures that prove a request was never sent', () => {
    const refused = withProps(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', syscall: 'connect' });
    expect(mod.wasNeverSent(new TypeError('fetch failed', { cause: refused }))).toBe(true);
    expect(mod.wasNeverSent(withProps(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }))).toBe(true);
    expect(mod.wasNeverSent(withProps(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT', syscall: 'connect' }))).toBe(
      true,
    );
    expect(mod.wasNeverSent(new AggregateError([refused, refused]))).toBe(true);
    expect(mod.wasNeverSent(new AggregateError([refused, withProps(new Error('reset'), { code: 'ECONNRESET' })]))).toBe(
      false,
    );
    expect(mod.wasNeverSent(withProps(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(false);
    expect(mod.wasNeverSent(withProps(new Error('read ETIMEDOUT'), { code: 'ETIMEDOUT', syscall: 'read' }))).toBe(
      false,
    );
    expect(mod.wasNeverSent(new TaskCancelledError('Operation timed out'))).toBe(false);
    expect(mod.wasNeverSent(withProps(new Error('503'), { response: { status: 503 } }))).toBe(false);
  });

  it('returns an already classified error as it is', () => {
    const err = new mod.DependencyDownError('down');
    expect(mod.classify(err)).toBe(err);
    expect(mod.classify(mod.classify(new Error('x')))).toBeInstanceOf(mod.PermanentError);
  });
});

// JavaScript output is checked for syntax only (allowJs without checkJs), as a JS project compiles it
describe('generated errors module compiles', () => {
  it.each([
    ['errors.ts', true, true],
    ['errors-esm.js', false, true],
  ] as const)('%s under strict TypeScript with exactOptionalPropertyTypes', (name, typescript, esm) => {
    fs.mkdirSync(TMP, { recursive: true });
    const file = path.join(TMP, name);
    fs.writeFileSync(file, errorTaxonomySource({ typescript, esm, config }));
    const program = ts.createProgram([file], {
      noEmit: true,
      strict: true,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
      types: [],
      allowJs: true,
      checkJs: false,
      exactOptionalPropertyTypes: true,
      noImplicitOverride: true,
      noUncheckedIndexedAccess: true,
      module: ts.ModuleKind.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});

describe('generated errors module on an older TypeScript lib', () => {
  it('compiles with lib ES2020 (no Error `cause` in the lib), as services targeting es2020 have it', () => {
    fs.mkdirSync(TMP, { recursive: true });
    const file = path.join(TMP, 'errors-es2020.ts');
    fs.writeFileSync(file, errorTaxonomySource({ typescript: true, esm: true, config }));
    const program = ts.createProgram([file], {
      noEmit: true,
      strict: true,
      target: ts.ScriptTarget.ES2020,
      lib: ['lib.es2020.d.ts'],
      skipLibCheck: true,
      types: [],
      module: ts.ModuleKind.ES2020,
      moduleResolution: ts.ModuleResolutionKind.Node10,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});
