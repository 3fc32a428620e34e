import { describe, expect, it } from 'vitest';
import { scanTexts } from './scan-fixture';

/* DLQ alarms made by a helper: in another file of the app, or a method of the same file. */

const stack = (call: string, imports = "import { alarmOnDepth } from './monitoring';") =>
  [
    "import * as cdk from 'aws-cdk-lib';",
    "import * as sqs from 'aws-cdk-lib/aws-sqs';",
    imports,
    "const dlq = new sqs.Queue(this, 'OrdersDlq');",
    "new sqs.Queue(this, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });",
    call,
    '',
  ].join('\n');

const monitoring = (metric: string) =>
  [
    "import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';",
    "import * as sqs from 'aws-cdk-lib/aws-sqs';",
    'export function alarmOnDepth(scope: any, queue: sqs.IQueue) {',
    `  return new cloudwatch.Alarm(scope, 'DepthAlarm', { metric: queue.${metric}(), threshold: 0, evaluationPeriods: 1 });`,
    '}',
    'export class Monitoring {',
    '  static watch(scope: any, name: string, queue: sqs.IQueue) {',
    `    queue.${metric}().createAlarm(scope, name, { threshold: 0, evaluationPeriods: 1 });`,
    '  }',
    '}',
    '',
  ].join('\n');

const alarmFindings = (files: Record<string, string>) =>
  scanTexts(files)
    .findings.filter((f) => f.ruleId === 'dlq-without-alarm')
    .map((f) => `${f.file}:${f.line}`);

describe('dlq-without-alarm: alarms made by helpers', () => {
  it.each([
    ['an imported function', 'alarmOnDepth(this, dlq);', undefined],
    [
      'a static method of an imported class',
      "Monitoring.watch(this, 'Dlq', dlq);",
      "import { Monitoring } from './monitoring';",
    ],
    ['a namespace import', 'mon.alarmOnDepth(this, dlq);', "import * as mon from './monitoring';"],
  ])('the DLQ handed to %s is watched', (_name, call, imports) => {
    expect(
      alarmFindings({
        'lib/stack.ts': stack(call, imports),
        'lib/monitoring.ts': monitoring('metricApproximateNumberOfMessagesVisible'),
      }),
    ).toEqual([]);
  });

  it('a method of the same file', () => {
    const text = [
      "import * as sqs from 'aws-cdk-lib/aws-sqs';",
      'class S {',
      '  build() {',
      "    const dlq = new sqs.Queue(this, 'OrdersDlq');",
      "    new sqs.Queue(this, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });",
      '    this.watch(dlq);',
      '  }',
      '  watch(q: sqs.Queue) {',
      "    q.metricApproximateNumberOfMessagesVisible().createAlarm(this, 'A', { threshold: 0, evaluationPeriods: 1 });",
      '  }',
      '}',
      '',
    ].join('\n');
    expect(alarmFindings({ 'lib/stack.ts': text })).toEqual([]);
  });

  it('look-alikes: a helper that watches another metric, another queue, or is never given the DLQ', () => {
    const other = monitoring('metricNumberOfMessagesSent');
    expect(alarmFindings({ 'lib/stack.ts': stack('alarmOnDepth(this, dlq);'), 'lib/monitoring.ts': other })).toEqual([
      'lib/stack.ts:4',
    ]);
    const mon = monitoring('metricApproximateNumberOfMessagesVisible');
    expect(
      alarmFindings({
        'lib/stack.ts': stack("const work = new sqs.Queue(this, 'W');\nalarmOnDepth(this, work);"),
        'lib/monitoring.ts': mon,
      }),
    ).toEqual(['lib/stack.ts:4']);
    expect(alarmFindings({ 'lib/stack.ts': stack('alarmOnDepth;'), 'lib/monitoring.ts': mon })).toEqual([
      'lib/stack.ts:4',
    ]);
  });
});
