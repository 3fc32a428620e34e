import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import type { Finding } from '../../src/types';
import { breakerName, fix as externalBreakerState } from '../external-breaker-state';
import { fix as idempotentHandler } from '../idempotent-handler';
import { recastParserFor } from '../lib/recast-parser';
import { createFixContext } from '../lib/transform-api';
import type { FixStep, ServiceState } from '../../src/api/fix-context';

function run(step: FixStep, file: string, source: string, findings?: Finding[]) {
  const j = jscodeshift.withParser(recastParserFor(file));
  const state: ServiceState = { modules: new Map(), dependencies: new Map(), skipped: [] };
  const changed = step(createFixContext(j, j(source), file, defaultConfig(), state, findings));
  return { changed, skipped: state.skipped, dependencies: [...state.dependencies.keys()] };
}

const finding = (line: number, trigger: string): Finding => ({
  ruleId: 'no-idempotency',
  severity: 'high',
  file: 'h.ts',
  line,
  column: 14,
  endLine: line,
  endColumn: 21,
  message: '',
  fixable: true,
  data: { trigger },
});

const LOOP =
  'export const handler = async (event: SQSEvent) => {\n  for (const record of event.Records) {\n    await save(record.body);\n  }\n};\n';

describe('idempotent-handler: what it leaves, and why', () => {
  const cases: Array<{ name: string; source: string; findings?: Finding[]; reason: RegExp }> = [
    {
      name: 'a loop that returns',
      source:
        'export const handler = async (event: SQSEvent) => {\n  for (const r of event.Records) {\n    if (!r.body) return;\n  }\n};\n',
      reason: /returns from the handler/,
    },
    {
      name: 'a labelled break',
      source:
        'export const handler = async (event: SQSEvent) => {\n  outer: for (const r of event.Records) {\n    for (const x of [1]) break outer;\n  }\n};\n',
      reason: /not a single/,
    },
    { name: 'a Kinesis finding', source: LOOP, findings: [finding(1, 'kinesis')], reason: /not an SQS batch/ },
    {
      name: 'two handlers in one file',
      source: LOOP + LOOP.replace('handler', 'other'),
      reason: /several batch handlers/,
    },
    { name: 'a taken name', source: 'const processor = 1;\n' + LOOP, reason: /name processor is already used/ },
  ];
  it.each(cases)('$name', ({ source, findings, reason }) => {
    const r = run(idempotentHandler, '/virtual/src/h.ts', source, findings);
    expect(r.changed).toBe(false);
    expect(r.skipped.map((s) => s.reason).join('\n')).toMatch(reason);
  });

  it('fixes an SQS finding and records the libraries it needs', () => {
    const r = run(idempotentHandler, '/virtual/src/h.ts', LOOP, [finding(1, 'sqs')]);
    expect(r.changed).toBe(true);
    expect(r.dependencies).toEqual([
      '@aws-lambda-powertools/batch',
      '@aws-lambda-powertools/idempotency',
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/lib-dynamodb',
    ]);
  });

  it('leaves a handler the finding does not point at', () => {
    expect(run(idempotentHandler, '/virtual/src/h.ts', LOOP, [finding(7, 'sqs')]).changed).toBe(false);
  });
});

describe('external-breaker-state', () => {
  const BREAKER =
    "import { circuitBreaker, handleAll } from 'cockatiel';\nexport const paymentsBreaker = circuitBreaker(handleAll, { halfOpenAfter: 1000 });\n";
  it('skips a CommonJS module (no top-level await) with the steps to take', () => {
    const r = run(externalBreakerState, '/virtual/src/breaker.ts', BREAKER);
    expect(r.changed).toBe(false);
    expect(r.skipped).toEqual([
      { line: 2, reason: expect.stringMatching(/^CommonJS has no top-level await.*\/resilience\/breakers\/<name>/) },
    ]);
  });
  it('hydrates in an ES module and records the parameters library', () => {
    const r = run(externalBreakerState, '/virtual/src/breaker.mts', BREAKER);
    expect(r.changed).toBe(true);
    expect(r.dependencies).toEqual(['@aws-lambda-powertools/parameters', '@aws-sdk/client-ssm']);
  });
  it('skips options that are not an object literal', () => {
    const r = run(
      externalBreakerState,
      '/virtual/src/b.mts',
      "import { circuitBreaker, handleAll } from 'cockatiel';\nconst opts = {};\nexport const b = circuitBreaker(handleAll, opts);\n",
    );
    expect(r.skipped.map((s) => s.reason)).toEqual([
      'the breaker options are not an object literal: add initialState by hand',
    ]);
  });
  it.each([
    ['paymentsBreaker', 'payments'],
    ['inventoryCircuitBreaker', 'inventory'],
    ['tax_breaker', 'tax'],
    ['ledger', 'ledger'],
    ['shippingAPI', 'shipping-api'],
  ])('names the SSM parameter of %s: %s', (variable, name) => {
    expect(breakerName(variable)).toBe(name);
  });
});
