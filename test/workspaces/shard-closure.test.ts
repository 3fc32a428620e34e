import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan, scanAsync } from '../../src/scan/scan';
import type { Finding } from '../../src/types';
import { shardOf } from '../../src/workspaces/shard';

/**
 * Shards split per-file detection only: which files run in Lambda (IaC handlers, handlers found
 * by their signature, the import closure) is a fact about the whole tree. A monorepo whose Lambda
 * handlers import modules that land in another shard must give, over all shards, exactly the
 * findings of the full run.
 */

const BREAKER = `import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';
export const breaker = circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(5) });
`;

/** The first `stem-<i>.ts` in `dir` whose shard of `n` differs from the given file's. */
function nameInOtherShard(dir: string, stem: string, other: string, n: number): string {
  for (let i = 0; ; i++) {
    const rel = `${dir}/${stem}-${i}.ts`;
    if (shardOf(rel, n) !== shardOf(other, n)) return rel;
  }
}

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function monorepo(n: number): { root: string; iacLib: string; codeLib: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-shard-closure-'));
  roots.push(root);
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('package.json', JSON.stringify({ name: 'mono', private: true, workspaces: ['services/*', 'libs/*'] }, null, 2));
  // a handler declared in serverless.yml, importing a module-scope breaker from another shard
  const iacHandler = 'services/orders/src/handler.ts';
  const iacLib = nameInOtherShard('services/orders/src/lib', 'breaker', iacHandler, n);
  write(
    'services/orders/package.json',
    JSON.stringify({ name: '@mono/orders', dependencies: { cockatiel: '^3.2.1' } }),
  );
  write(
    'services/orders/serverless.yml',
    'service: orders\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  get:\n    handler: src/handler.handler\n    events:\n      - http: { path: /orders, method: get }\n',
  );
  write(
    iacHandler,
    `import { breaker } from './lib/${path.basename(iacLib, '.ts')}';\nimport { shared } from '../../../libs/shared/src/shared-breaker';\nexport const handler = async () => shared.execute(() => breaker.execute(async () => ({ statusCode: 200, body: 'ok' })));\n`,
  );
  write(iacLib, BREAKER);
  // a library package imported across packages by that handler
  write('libs/shared/package.json', JSON.stringify({ name: '@mono/shared', dependencies: { cockatiel: '^3.2.1' } }));
  write('libs/shared/src/shared-breaker.ts', BREAKER.replace('breaker =', 'shared ='));
  // a handler known only by its signature (no IaC in this package), importing through a re-export
  const codeHandler = 'services/billing/src/consumer.ts';
  const codeLib = nameInOtherShard('services/billing/src', 'state', codeHandler, n);
  write(
    'services/billing/package.json',
    JSON.stringify({ name: '@mono/billing', dependencies: { cockatiel: '^3.2.1' } }),
  );
  write(
    codeHandler,
    `import type { SQSEvent } from 'aws-lambda';\nimport { breaker } from './${path.basename(codeLib, '.ts')}';\nexport const handler = async (event: SQSEvent) => {\n  for (const r of event.Records) await breaker.execute(async () => r.body);\n};\n`,
  );
  write(codeLib, BREAKER);
  // the same module shape imported by nothing that runs in Lambda: silent in every run
  write('services/billing/src/unused-breaker.ts', BREAKER);
  return { root, iacLib, codeLib };
}

const key = (f: Finding): string => `${f.ruleId} ${f.file}:${f.line}:${f.column} ${f.message}`;

describe('shards and the Lambda closure', () => {
  it.each([2, 3])('with %i shards: disjoint, and their union is the full run exactly', async (n) => {
    const { root, iacLib, codeLib } = monorepo(n);
    const full = scan({ root, paths: [root] });
    const closure = full.findings
      .filter((f) => f.ruleId === 'shared-mutable-state')
      .map((f) => f.file)
      .sort();
    // the premise: both modules are reported, in a shard other than their handler's
    expect(closure).toEqual([codeLib, iacLib, 'libs/shared/src/shared-breaker.ts'].sort());
    expect(full.findings.some((f) => f.file.endsWith('unused-breaker.ts'))).toBe(false);

    const parts = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        scanAsync({ root, paths: [root], shard: { index: i + 1, count: n }, cache: false }),
      ),
    );
    const union = parts.flatMap((p) => p.findings.map(key)).sort();
    expect(union).toEqual(full.findings.map(key).sort());
    expect(new Set(union).size).toBe(union.length);
    // each file is scanned in exactly one shard
    expect(parts.reduce((sum, p) => sum + p.filesScanned, 0)).toBe(full.filesScanned);
  });

  it('--package keeps the Lambda facts of the other packages and reports only its own files', () => {
    const { root } = monorepo(2);
    const shared = scan({ root, paths: [root], packages: ['@mono/shared'] });
    expect(shared.findings.map((f) => `${f.ruleId} ${f.file}`)).toEqual([
      'shared-mutable-state libs/shared/src/shared-breaker.ts',
    ]);
    expect(shared.findings.every((f) => f.package === '@mono/shared')).toBe(true);
  });
});
