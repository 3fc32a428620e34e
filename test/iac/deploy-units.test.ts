import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import { computeChanges, type ComputedChanges } from '../../src/engine/compute-changes';
import { scan } from '../../src/scan/scan';

/*
 * Generated modules and dependencies land inside the deployable unit of the function that runs
 * the code (a CDK asset directory, a SAM CodeUri, a serverless service, a bundled project), and a
 * fix that needs a dependency is not made where nothing would ship it.
 */

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-units-'));
  for (const [f, t] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), t);
  }
  return dir;
}

async function fix(dir: string): Promise<ComputedChanges> {
  const config = defaultConfig();
  return computeChanges(scan({ root: dir, config, paths: [dir] }), config);
}

const SWALLOW = [
  'exports.handler = async (event) => {',
  '  try {',
  '    return await compute(event);',
  '  } catch (err) {',
  "    console.log('failed', err);",
  '    return null;',
  '  }',
  '};',
  'async function compute(event) {',
  "  const res = await fetch('https://api.example.com/x', { method: 'POST', body: JSON.stringify(event) });",
  '  return res.status;',
  '}',
  '',
].join('\n');

const CDK_APP = (v1: boolean) =>
  [
    v1 ? "import * as cdk from '@aws-cdk/core';" : "import * as cdk from 'aws-cdk-lib';",
    v1 ? "import * as lambda from '@aws-cdk/aws-lambda';" : "import * as lambda from 'aws-cdk-lib/aws-lambda';",
    v1 ? "import * as cr from '@aws-cdk/custom-resources';" : "import * as cr from 'aws-cdk-lib/custom-resources';",
    '',
    'export class StatsStack extends cdk.Stack {',
    '  constructor(scope: cdk.Construct, id: string) {',
    '    super(scope, id);',
    "    const average = new lambda.Function(this, 'Average', {",
    '      runtime: lambda.Runtime.NODEJS_18_X,',
    "      code: lambda.Code.fromAsset('lambda/average'),",
    "      handler: 'index.handler',",
    '    });',
    "    const seed = new lambda.Function(this, 'Seed', {",
    '      runtime: lambda.Runtime.NODEJS_18_X,',
    "      code: lambda.Code.fromAsset('lambda/seed'),",
    "      handler: 'index.handler',",
    '    });',
    "    const provider = new cr.Provider(this, 'SeedProvider', { onEventHandler: seed });",
    "    new cdk.CustomResource(this, 'SeedData', { serviceToken: provider.serviceToken });",
    '    void average;',
    '  }',
    '}',
    '',
  ].join('\n');

describe("generated modules and dependencies go inside the function's deployable unit", () => {
  it.each([false, true])(
    'CDK asset directories (v1: %s): modules inside the asset, dependencies in its package.json; none where nothing ships them',
    async (v1) => {
      const dir = tree({
        'cdk.json': '{ "app": "npx ts-node bin/app.ts" }\n',
        'package.json': JSON.stringify(
          { name: 'stats-app', dependencies: v1 ? { '@aws-cdk/core': '1.204.0' } : { 'aws-cdk-lib': '^2.150.0' } },
          null,
          2,
        ),
        'lib/stats-stack.ts': CDK_APP(v1),
        'lambda/average/index.js': SWALLOW,
        'lambda/average/package.json': JSON.stringify({ name: 'average', version: '1.0.0' }, null, 2),
        'lambda/seed/index.js': SWALLOW,
      });
      const computed = await fix(dir);
      const files = computed.changes.map((c) => `${c.kind} ${c.file}`);
      expect(files).toEqual(
        expect.arrayContaining([
          'create lambda/average/resilience/errors.js',
          'create lambda/average/resilience/logger.js',
          'modify lambda/average/package.json',
        ]),
      );
      expect(
        files.filter(
          (f) =>
            !f.includes('lambda/average/') &&
            !f.startsWith('modify lib/') &&
            f !== 'modify lambda/seed/index.js' &&
            !f.includes('lambda/seed/resilience/errors.js'),
        ),
      ).toEqual([]);
      expect(computed.changes.find((c) => c.file === 'lambda/average/index.js')!.after).toContain(
        "require('./resilience/errors')",
      );
      expect(
        JSON.parse(computed.changes.find((c) => c.file === 'lambda/average/package.json')!.after).dependencies,
      ).toHaveProperty('@aws-lambda-powertools/logger');
      // the custom resource has no package.json and is not bundled: no Powertools import, said why
      const seed = computed.changes.find((c) => c.file === 'lambda/seed/index.js');
      expect(seed?.after ?? '').not.toContain('powertools');
      expect(seed?.after ?? '').not.toContain('resilience/logger');
      expect(
        computed.left
          .filter((l) => l.finding.file === 'lambda/seed/index.js' && l.finding.ruleId === 'unstructured-logging')
          .map((l) => l.reason),
      ).toEqual([
        expect.stringMatching(
          /function Seed \(Code\.fromAsset\('lambda\/seed'\)\) has no package.json and is not bundled/,
        ),
      ]);
      // the custom resource's concurrency is left alone; the stack itself is not rewritten as a service
      expect(computed.changes.find((c) => c.file === 'lib/stats-stack.ts')?.after ?? '').not.toContain(
        'reservedConcurrentExecutions',
      );
    },
  );

  it('a SAM CodeUri: modules inside it, dependencies in its own package.json', async () => {
    const dir = tree({
      'template.yaml':
        'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: functions/report/\n      Handler: app.handler\n      Runtime: nodejs20.x\n',
      'package.json': JSON.stringify({ name: 'root-tools', private: true }, null, 2),
      'functions/report/app.js': SWALLOW,
      'functions/report/package.json': JSON.stringify({ name: 'report' }, null, 2),
    });
    const files = (await fix(dir)).changes.map((c) => `${c.kind} ${c.file}`);
    expect(files).toEqual(
      expect.arrayContaining(['create functions/report/resilience/errors.js', 'modify functions/report/package.json']),
    );
    expect(files).not.toContain('modify package.json');
  });

  it('Lambda code whose IaC is not read (Terraform) and no package.json anywhere: no library import, said why', async () => {
    const dir = tree({
      'main.tf': 'resource "aws_lambda_function" "f" {\n  filename = "lambda.zip"\n  handler  = "index.handler"\n}\n',
      'src/index.js':
        "exports.handler = async (event, context) => {\n  console.log('got', event.id);\n  return { statusCode: 200 };\n};\n",
    });
    const computed = await fix(dir);
    expect(computed.changes.filter((c) => c.file.startsWith('src/'))).toEqual([]);
    expect(computed.left.map((l) => l.reason)).toEqual([
      'not fixed: Lambda code with no package.json at or above it: @aws-lambda-powertools/logger would not be deployed with it',
    ]);
  });

  it('serverless package patterns that would leave a generated module out: the fix is not made', async () => {
    const dir = tree({
      'serverless.yml':
        'service: s\nprovider:\n  name: aws\n  runtime: nodejs20.x\npackage:\n  patterns:\n    - "!./**"\n    - handler.js\nfunctions:\n  a:\n    handler: handler.handler\n',
      'package.json': JSON.stringify({ name: 's' }, null, 2),
      'handler.js': SWALLOW,
    });
    const computed = await fix(dir);
    expect(computed.changes.filter((c) => c.kind === 'create' && c.file.includes('resilience'))).toEqual([]);
    expect(computed.left.map((l) => l.reason)).toContain(
      'not fixed: the serverless package patterns leave resilience/errors.js out of the deployed package: include it, then run again',
    );
  });
});
