import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import { computeChanges } from '../../src/engine/compute-changes';
import { iacFileKind } from '../../src/iac/iac-files';
import { serverlessScriptYaml } from '../../src/iac/serverless-script';
import { scan } from '../../src/scan/scan';
import { copyTree, REPO } from '../helpers/cli';

/*
 * A Serverless configuration written as a TypeScript module (the aws-nodejs-typescript template):
 * functions defined in their own modules, imported through a tsconfig alias and a re-export, the
 * handler path built from `__dirname`. It is read like a serverless.yml, its findings point where
 * each value is written, and it is never edited.
 */

const FIXTURE = path.join(REPO, 'test/fixtures/serverless-script');

describe('serverless.ts', () => {
  it('is recognised as a Serverless configuration module, not as code only', () => {
    expect(iacFileKind('serverless.ts', "const c = { provider: { name: 'aws' }, functions: {} };")).toBe(
      'serverless-script',
    );
    expect(iacFileKind('src/serverless.ts', 'export const handler = () => 1;')).toBeNull();
    expect(iacFileKind('serverless.js', "module.exports = { provider: { name: 'aws' }, functions: {} };")).toBe(
      'serverless-script',
    );
  });

  it('reports each finding where its value is written: the queue in serverless.ts, the event in the function module', () => {
    const result = scan({ root: FIXTURE, config: defaultConfig(), paths: [FIXTURE] });
    const iac = result.findings
      .filter((f) => ['no-dlq', 'unbounded-concurrency', 'all-at-once-deployment'].includes(f.ruleId))
      .map((f) => `${f.file}:${f.line}:${f.column} ${f.ruleId}`);
    expect(iac).toEqual([
      'serverless.ts:20:7 no-dlq',
      'src/functions/ship/index.ts:3:16 all-at-once-deployment',
      'src/functions/ship/index.ts:7:7 unbounded-concurrency',
    ]);
    // reservedConcurrency of the status function is read from its module: no finding for it
    expect(
      result.findings.some((f) => f.file.startsWith('src/functions/status/') && f.ruleId === 'unbounded-concurrency'),
    ).toBe(false);
    // the handler path `${handlerPath(__dirname)}/handler.main` is resolved: the consumer is known
    expect(result.findings.map((f) => `${f.file} ${f.ruleId}`)).toContain(
      'src/functions/ship/handler.ts no-idempotency',
    );
  });

  it('is never edited: IaC fixes are left with the reason, and a code fix that needs IaC is not made', async () => {
    const dir = copyTree(FIXTURE, 'hc-sls-ts-');
    const config = defaultConfig();
    const computed = await computeChanges(scan({ root: dir, config, paths: [dir] }), config);
    const changed = computed.changes.map((c) => c.file);
    expect(changed).not.toContain('serverless.ts');
    expect(changed.filter((f) => f.startsWith('src/functions/'))).toEqual([]);
    const left = new Map(computed.left.map((l) => [`${l.finding.file} ${l.finding.ruleId}`, l.reason]));
    expect(left.get('serverless.ts no-dlq')).toMatch(/serverless\.ts\) is read, not edited/);
    expect(left.get('src/functions/ship/handler.ts no-idempotency')).toMatch(/serverless\.ts.*read, not edited/);
  });
});

/** A throwaway project: its files, the serverless.ts input and the repository's file set. */
function project(files: Record<string, string>): { dir: string; read: () => ReturnType<typeof serverlessScriptYaml> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-sls-script-'));
  for (const [f, t] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), t);
  }
  const repoFiles = new Set(Object.keys(files));
  const text = files['serverless.ts']!;
  return {
    dir,
    read: () =>
      serverlessScriptYaml({ path: 'serverless.ts', absPath: path.join(dir, 'serverless.ts'), text }, repoFiles),
  };
}

describe('reading a serverless.ts', () => {
  it('stops at a cycle between constants instead of expanding it', () => {
    const { read } = project({
      'serverless.ts': `const a: any = { p: b, q: b, r: b };\nconst b: any = { p: a, q: a, r: a };\nexport default { service: 'c', provider: { name: 'aws' }, functions: { f: { handler: 'h.main', cfg: a } } };\n`,
    });
    const started = Date.now();
    const out = read();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(out?.yaml).toContain('"handler": "h.main"');
  });

  it('keeps a setting written with a value known only at deploy time (it is set, not missing)', () => {
    const { read } = project({
      'serverless.ts': `export default {\n  service: 's',\n  provider: { name: 'aws', timeout: 5 * 60 },\n  functions: { f: { handler: 'h.main', destinations: { onFailure: process.env.DLQ_ARN } } },\n};\n`,
    });
    const yaml = read()!.yaml;
    expect(yaml).toMatch(/"onFailure": "\$\{\?\}"/);
    expect(yaml).toMatch(/"timeout": "\$\{\?\}"/);
  });

  it('reads aliases from a tsconfig with comments, globs and a BOM, and a config wrapped in a helper call', () => {
    const { read } = project({
      'tsconfig.json':
        '\uFEFF{\n  // aliases\n  "compilerOptions": { "baseUrl": ".", "paths": { "@functions/*": ["src/functions/*"] } },\n  "include": ["src/**/*.ts", "serverless.ts"],\n}\n',
      'src/functions/hello/index.ts': `export default { handler: 'src/functions/hello/handler.main' };\n`,
      'serverless.ts': `import hello from '@functions/hello';\nexport default defineConfig({ service: 's', provider: { name: 'aws' }, functions: { hello } });\n`,
    });
    const out = read()!;
    expect(out.yaml).toContain('"handler": "src/functions/hello/handler.main"');
    const line = out.yaml.split('\n').findIndex((l) => l.includes('"hello":'));
    expect(out.origins[line]).toEqual({ file: 'src/functions/hello/index.ts', line: 1, column: 16 });
  });
});
