import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../config/config-schema';
import { fixIacFile } from '../fix-iac';
import { scanTexts } from './scan-fixture';

/*
 * CDK constructs made by helper methods and factory functions of the same file (v1 and v2):
 * one construct per call with a literal id, reported at the call; the fix is left to the helper.
 */

const v1 = (body: string) =>
  [
    "import * as cdk from '@aws-cdk/core';",
    "import * as lambda from '@aws-cdk/aws-lambda';",
    "import * as sqs from '@aws-cdk/aws-sqs';",
    'export class Stack extends cdk.Stack {',
    '  constructor(scope: cdk.Construct, id: string) {',
    '    super(scope, id);',
    body,
    '  }',
    '  private createQueue(name: string) {',
    '    return new sqs.Queue(this, `${name}Queue`, { visibilityTimeout: cdk.Duration.seconds(30) });',
    '  }',
    '}',
    'function makeWorker(scope: cdk.Construct, id: string) {',
    "  const fn = new lambda.Function(scope, id, { handler: 'w.handler', runtime: lambda.Runtime.NODEJS_14_X, code: lambda.Code.fromAsset('lambda') });",
    '  return fn;',
    '}',
    '',
  ].join('\n');

describe('CDK helpers and factories', () => {
  it('each call with a literal id is a construct, reported at the call', () => {
    const text = v1(
      "    const orders = this.createQueue('Orders');\n    const audit = this.createQueue('Audit');\n    makeWorker(this, 'Worker');",
    );
    const found = scanTexts({ 'lib/stack.ts': text }).findings;
    expect(found.map((f) => [f.ruleId, f.line, f.column, f.data?.resource])).toEqual([
      ['no-dlq', 7, 20, 'OrdersQueue'],
      ['no-dlq', 8, 19, 'AuditQueue'],
      ['unbounded-concurrency', 9, 5, 'Worker'],
    ]);
    expect(found[0]!.message).toBe(
      'SQS queue OrdersQueue has no dead-letter queue (no RedrivePolicy): messages that keep failing are lost when they expire.',
    );
    expect(found[0]!.data).toMatchObject({ fix: null, fixable: false, helper: 'createQueue' });
  });

  it("a binding of the call is the construct: a queue made by a helper can be another queue's DLQ", () => {
    const text = v1(
      "    const dlq = this.createQueue('Failed');\n    new sqs.Queue(this, 'Work', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });",
    );
    const found = scanTexts({ 'lib/stack.ts': text }).findings.map((f) => [f.ruleId, f.data?.resource]);
    expect(found).toContainEqual(['dlq-without-alarm', 'FailedQueue']);
    expect(found.filter(([rule]) => rule === 'no-dlq')).toEqual([]);
  });

  it('the fix leaves a helper-made construct alone and says why', () => {
    const text = v1("    this.createQueue('Orders');");
    const file = { path: 'lib/stack.ts', absPath: '/project/lib/stack.ts', text };
    const out = fixIacFile(file, scanTexts({ [file.path]: text }).findings, defaultConfig());
    expect(out.after).toBe(text);
    expect(out.skipped.map((s) => s.reason)).toEqual([
      'no automatic fix: made by createQueue(), which every call shares; change the helper (or pass the setting in) by hand',
    ]);
  });

  it('look-alike: a helper called only with a computed id makes no construct it can name', () => {
    const text = v1("    const names = ['A'];\n    names.forEach((n) => this.createQueue(n));");
    expect(scanTexts({ 'lib/stack.ts': text }).findings).toEqual([]);
  });
});
