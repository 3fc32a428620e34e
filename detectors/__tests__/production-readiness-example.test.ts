import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan/scan';

const EXAMPLE = path.resolve(__dirname, '../../examples/orders-service');
const RULES = new Set([
  'no-graceful-shutdown',
  'timeout-too-long',
  'scattered-env-config',
  'hardcoded-secret',
  'hardcoded-url',
  'log-without-correlation-id',
  'unbounded-in-memory-queue',
  'no-rate-limit',
]);

describe('production-readiness rules on the example service', () => {
  it('find what EXPECTED.md lists for them', () => {
    const result = scan({ paths: [EXAMPLE], root: EXAMPLE, cache: false, quiet: true });
    const found = result.findings
      .filter((f) => RULES.has(f.ruleId))
      .map((f) => `${f.file}:${f.ruleId}@${f.line}`)
      .sort();
    expect(found).toEqual([
      'src/handlers/create-order.ts:scattered-env-config@19',
      'src/server.ts:no-graceful-shutdown@57',
      'src/server.ts:no-rate-limit@57',
    ]);
  });
});
