import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import { computeChanges } from '../../src/engine/compute-changes';
import { generatedTemplateReason, isHarnessScript } from '../../src/files/artifacts';
import { scan } from '../../src/scan/scan';

/* Generated artifacts are never edited nor checked as sources; local harness scripts are not rewritten. */

const QUEUE_NO_DLQ = '  Jobs:\n    Type: AWS::SQS::Queue\n';

describe('generated artifacts and harness scripts', () => {
  it.each([
    [
      'a CDK-synthesized template',
      'infra/Stack.template.yaml',
      `Resources:\n${QUEUE_NO_DLQ}    Metadata:\n      aws:cdk:path: Stack/Jobs/Resource\n`,
      /synthesized by the CDK/,
    ],
    [
      'a sam package output',
      'packaged.yaml',
      `Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: s3://bucket/abc123\n      Handler: a.handler\n${QUEUE_NO_DLQ}`,
      /packaged by `sam package`/,
    ],
    ['build output', '.aws-sam/build/template.yaml', `Resources:\n${QUEUE_NO_DLQ}`, /build or deploy output/],
  ])('%s is recognised', (_name, file, text, reason) => {
    expect(generatedTemplateReason(file, text)).toMatch(reason);
  });

  it('a source template is not an artifact, whatever its CodeUri mix', () => {
    expect(
      generatedTemplateReason(
        'template.yaml',
        `Resources:\n  A:\n    Properties:\n      CodeUri: src/\n  B:\n    Properties:\n      CodeUri: s3://b/k\n`,
      ),
    ).toBeNull();
  });

  it.each(['localTest.js', 'src/testharness.ts', 'scripts/seed.js', 'local-invoke.mjs'])(
    '%s is a harness script',
    (f) => {
      expect(isHarnessScript(f)).toBe(true);
    },
  );
  it.each(['src/handler.js', 'src/scriptsRunner.ts', 'lib/test-utils.js'])('%s is not', (f) => {
    expect(isHarnessScript(f)).toBe(false);
  });

  it('a fix run leaves them untouched and says why', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-artifacts-'));
    const files: Record<string, string> = {
      'template.yaml': `Transform: AWS::Serverless-2016-10-31\nResources:\n${QUEUE_NO_DLQ}`,
      'cdk.out.copy/Stack.template.yaml': `Resources:\n${QUEUE_NO_DLQ}    Metadata:\n      aws:cdk:path: Stack/Jobs/Resource\n`,
      'packaged.yaml': `Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: s3://bucket/abc123\n      Handler: a.handler\n${QUEUE_NO_DLQ}`,
      'localTest.js':
        "const { handler } = require('./src/app');\nhandler({}).then(() => {}).catch((err) => { console.log(err); return null; });\nasync function run() {\n  try {\n    await handler({});\n  } catch (err) {\n    console.log('failed', err);\n    return null;\n  }\n}\nrun();\n",
      'package.json': '{ "name": "svc" }\n',
    };
    for (const [f, t] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), t);
    }
    // scripts are reported only when asked for: then their findings are still never rewritten
    const config = { ...defaultConfig(), includeScripts: true };
    const result = scan({ root: dir, config, paths: [dir] });
    expect(
      result.notes
        .filter((n) => n.kind === 'skipped')
        .map((n) => n.file)
        .sort(),
    ).toEqual(['cdk.out.copy/Stack.template.yaml', 'packaged.yaml']);
    expect(result.findings.filter((f) => f.file !== 'template.yaml' && f.file !== 'localTest.js')).toEqual([]);
    const computed = await computeChanges(result, config);
    const touched = computed.changes.map((c) => c.file);
    expect(touched).toContain('template.yaml');
    expect(
      touched.filter((f) => ['cdk.out.copy/Stack.template.yaml', 'packaged.yaml', 'localTest.js'].includes(f)),
    ).toEqual([]);
    expect(computed.left.filter((l) => l.finding.file === 'localTest.js').map((l) => l.reason)).toContain(
      'a local harness script, not deployed code: not rewritten',
    );
  });
});
