import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import { computeChanges, type ComputedChanges } from '../../src/engine/compute-changes';
import { writeChanges } from '../../src/engine/write-changes';
import { scan } from '../../src/scan/scan';
import type { Finding } from '../../src/types';
import { copyTree, REPO } from '../helpers/cli';
import { templateProblems } from '../helpers/template-structure';

/*
 * A code fix that needs infrastructure comes with it in the same run, in every IaC format: the
 * idempotent SQS consumer gets its table (TTL on `expiration`, key `id`), access to it, its name
 * in IDEMPOTENCY_TABLE and ReportBatchItemFailures on its event source, in the file that declares
 * the function running the handler. Each case's IaC output is compared whole with expected/.
 */

const FIXTURES = path.join(REPO, 'test/fixtures/iac-needs');

const cases = [
  { name: 'serverless', handler: 'src/ship.js', iac: 'serverless.yml', pkg: 'package.json' },
  { name: 'sam-yaml', handler: 'src/consumer/app.mjs', iac: 'template.yaml', pkg: 'src/consumer/package.json' },
  { name: 'cfn-json', handler: 'handlers/index.js', iac: 'template.json', pkg: 'handlers/package.json' },
  { name: 'cdk-ts', handler: 'src/capture.ts', iac: 'lib/stack.ts', pkg: 'package.json' },
];

const onlyIdempotency = (f: Finding): boolean => f.ruleId === 'no-idempotency';

async function fixCopy(
  name: string,
  select: (f: Finding) => boolean = onlyIdempotency,
): Promise<{ dir: string; computed: ComputedChanges }> {
  const dir = copyTree(path.join(FIXTURES, name, 'input'), `hc-needs-${name}-`);
  const config = defaultConfig();
  const result = scan({ root: dir, config, paths: [dir] });
  return { dir, computed: await computeChanges(result, config, select) };
}

describe('a code fix that needs infrastructure gets it in the same run, per format', () => {
  it.each(cases)(
    '$name: the handler rewrite, its dependencies and the complete IaC counterpart',
    async ({ name, handler, iac, pkg }) => {
      const { dir, computed } = await fixCopy(name);
      expect(computed.left).toEqual([]);
      expect(computed.fixed.map((f) => `${f.ruleId} ${f.file}`)).toEqual([`no-idempotency ${handler}`]);
      const byFile = new Map(computed.changes.map((c) => [c.file, c]));
      expect(byFile.get(handler)?.after).toContain('processPartialResponse');
      expect(byFile.get(handler)?.after).toContain('process.env.IDEMPOTENCY_TABLE');

      const expectedFile = path.join(FIXTURES, name, 'expected', path.basename(iac));
      const after = byFile.get(iac)?.after;
      if (process.env.UPDATE_FIXTURES && after) {
        fs.mkdirSync(path.dirname(expectedFile), { recursive: true });
        fs.writeFileSync(expectedFile, after);
      }
      expect(after).toBe(fs.readFileSync(expectedFile, 'utf8'));
      expect(templateProblems(iac, after!)).toEqual([]);

      // the dependencies go to the package that ships with the function
      const manifest = JSON.parse(byFile.get(pkg)!.after) as { dependencies: Record<string, string> };
      expect(Object.keys(manifest.dependencies)).toEqual(
        expect.arrayContaining(['@aws-lambda-powertools/batch', '@aws-lambda-powertools/idempotency']),
      );

      // written and scanned again: nothing left to do
      await writeChanges(dir, computed.changes, { allowDirty: true });
      const again = scan({ root: dir, config: defaultConfig(), paths: [dir] });
      expect(again.findings.filter(onlyIdempotency)).toEqual([]);
      expect((await computeChanges(again, defaultConfig(), onlyIdempotency)).changes).toEqual([]);
    },
  );

  it('the example service: every code change that needs IaC has it (the whole fix run)', async () => {
    const dir = copyTree(path.join(REPO, 'examples/orders-service'), 'hc-needs-example-');
    const config = defaultConfig();
    const computed = await computeChanges(scan({ root: dir, config, paths: [dir] }), config);
    const handler = computed.changes.find((c) => c.file === 'src/handlers/process-payment.ts')!;
    expect(handler.fixes).toContain('no-idempotency');
    const yml = computed.changes.find((c) => c.file === 'serverless.yml')!.after;
    expect(yml).toMatch(
      /processPayment:[\s\S]*functionResponseType: ReportBatchItemFailures[\s\S]*IDEMPOTENCY_TABLE: !Ref IdempotencyTable/,
    );
    expect(yml).toMatch(
      /IdempotencyTable:\n\s+Type: AWS::DynamoDB::Table[\s\S]*AttributeName: expiration\n\s+Enabled: true/,
    );
    expect(templateProblems('serverless.yml', yml)).toEqual([]);
  });
});

describe('a code fix whose infrastructure cannot be added is not made, and says why', () => {
  const write = (dir: string, file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };

  async function fixTree(files: Record<string, string>): Promise<ComputedChanges> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-needs-refused-'));
    try {
      for (const [f, t] of Object.entries(files)) write(dir, f, t);
      const config = defaultConfig();
      return await computeChanges(scan({ root: dir, config, paths: [dir] }), config, onlyIdempotency);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const consumer = fs.readFileSync(path.join(FIXTURES, 'sam-yaml/input/src/consumer/app.mjs'), 'utf8');
  const sam = fs.readFileSync(path.join(FIXTURES, 'sam-yaml/input/template.yaml'), 'utf8');
  const pkg = fs.readFileSync(path.join(FIXTURES, 'sam-yaml/input/src/consumer/package.json'), 'utf8');

  const refused: Array<{ name: string; files: Record<string, string>; reason: RegExp }> = [
    {
      name: 'no function in the IaC runs the handler',
      files: { 'src/consumer/app.mjs': consumer, 'src/consumer/package.json': pkg },
      reason: /no function in the IaC runs src\/consumer\/app\.mjs \(export handler\)/,
    },
    {
      name: 'the function has no SQS event source in its template',
      files: {
        'template.yaml': sam.replace(/ {6}Events:[\s\S]*BatchSize: 10\n/, ''),
        'src/consumer/app.mjs': consumer,
        'src/consumer/package.json': pkg,
      },
      reason: /template\.yaml: the SQS event source of ConsumerFunction is not in this template/,
    },
    {
      name: 'the runtime is older than Powertools v2 needs',
      files: {
        'template.yaml': sam.replace('nodejs20.x', 'nodejs14.x'),
        'src/consumer/app.mjs': consumer,
        'src/consumer/package.json': pkg,
      },
      reason: /function ConsumerFunction runs nodejs14\.x; @aws-lambda-powertools\/batch needs Node\.js 18 or later/,
    },
    {
      name: 'the CodeUri has no package.json and is not bundled',
      files: { 'template.yaml': sam, 'src/consumer/app.mjs': consumer },
      reason:
        /the code of function ConsumerFunction \(CodeUri: src\/consumer\/\) has no package.json and is not bundled: @aws-lambda-powertools\/batch would not be deployed with it/,
    },
  ];
  it.each(refused)('$name', async ({ files, reason }) => {
    const computed = await fixTree(files);
    expect(computed.changes).toEqual([]);
    expect(computed.fixed).toEqual([]);
    expect(computed.left.map((l) => `${l.finding.ruleId}: ${l.reason}`)).toEqual([expect.stringMatching(reason)]);
  });

  it('a package pinned to TypeScript 3.7 gets no Powertools code', async () => {
    const computed = await fixTree({
      'template.yaml': sam,
      'src/consumer/app.ts': consumer.replace('async (event)', 'async (event: { Records: Array<{ body: string }> })'),
      'src/consumer/package.json': JSON.stringify({ name: 'c', devDependencies: { typescript: '~3.7.2' } }),
    });
    expect(computed.changes).toEqual([]);
    expect(computed.left.map((l) => l.reason)).toEqual([
      expect.stringMatching(
        /TypeScript ~3\.7\.2; the type declarations of @aws-lambda-powertools\/batch need TypeScript 4\.5 or later/,
      ),
    ]);
  });
});
