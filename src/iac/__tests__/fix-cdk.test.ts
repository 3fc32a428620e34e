import fs from 'node:fs';
import path from 'node:path';
import { diffArrays } from 'diff';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../config/config-schema';
import { fixIacFile } from '../fix-iac';
import { scanTexts } from './scan-fixture';
import { templateProblems } from '../../../test/helpers/template-structure';

const DIR = path.resolve(__dirname, '../../../__testfixtures__/iac-fixes');

describe('fixIacFile on a CDK stack', () => {
  it('adds the props and statements, keeps everything else, and is idempotent', () => {
    const text = fs.readFileSync(path.join(DIR, 'cdk-stack.input.ts'), 'utf8');
    const outputPath = path.join(DIR, 'cdk-stack.output.ts');
    const as = 'lib/stack.ts';
    const scan = scanTexts({ [as]: text });
    const out = fixIacFile({ path: as, absPath: `/project/${as}`, text }, scan.findings, defaultConfig());
    if (process.env.UPDATE_FIXTURES) fs.writeFileSync(outputPath, out.after);
    expect(out.after).toBe(fs.readFileSync(outputPath, 'utf8'));
    expect(out.skipped.map((s) => s.finding.ruleId)).toEqual(['dlq-without-redrive']);
    const removed = diffArrays(text.split('\n'), out.after.split('\n'))
      .filter((p) => p.removed)
      .flatMap((p) => p.value);
    // maxReceiveCount 5 on Work stays: the queue triggers Worker (throttled receives count)
    expect(removed).toEqual([
      "    const intake = new sqs.Queue(this, 'Intake');",
      '      new SqsEventSource(work, { batchSize: 10 }),',
    ]);
    expect(out.deployInputs).toEqual([
      'lib/stack.ts: the SNS topic the dead-letter-queue alarms notify (cdk deploy -c alarmTopicArn=arn:aws:sns:…); until it is given, the alarms only change state',
    ]);
    const again = scanTexts({ [as]: out.after });
    // the added DLQ (14 days, with its alarm) and the existing one only lack the redrive workflow, which is not in the stack
    expect(again.findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual([
      'dlq-without-redrive@15',
      'dlq-without-redrive@29',
    ]);
    expect(
      fixIacFile({ path: as, absPath: `/project/${as}`, text: out.after }, again.findings, defaultConfig()).after,
    ).toBe(out.after);
  });
});

describe('CDK stacks written with named aws-cdk-lib imports', () => {
  const text = [
    "import { Stack, StackProps, Duration } from 'aws-cdk-lib';",
    "import { aws_sqs as sqs } from 'aws-cdk-lib';",
    "import { aws_sns as sns } from 'aws-cdk-lib';",
    "import { Construct } from 'constructs';",
    '',
    'export class S extends Stack {',
    '  constructor(scope: Construct, id: string, props?: StackProps) {',
    '    super(scope, id, props);',
    "    const topic = new sns.Topic(this, 'topic');",
    "    const one = new sqs.Queue(this, 'One');",
    "    const two = new sqs.Queue(this, 'Two', { visibilityTimeout: Duration.seconds(30) });",
    '    void topic; void one; void two;',
    '  }',
    '}',
    '',
  ].join('\n');

  it("reuses the file's imports (no second Duration, the existing sns alias) and its quotes; the result parses", () => {
    const scan = scanTexts({ 'lib/s.ts': text });
    expect(scan.findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(['no-dlq@10', 'no-dlq@11']);
    const out = fixIacFile({ path: 'lib/s.ts', absPath: '/project/lib/s.ts', text }, scan.findings, defaultConfig());
    expect(out.fixed).toHaveLength(2);
    expect(out.after.match(/Duration[,\s}]/g)?.length).toBeGreaterThan(0);
    expect(out.after).toContain("import { Stack, StackProps, Duration } from 'aws-cdk-lib';");
    expect(out.after).toContain("import * as cloudwatch_actions from 'aws-cdk-lib/aws-cloudwatch-actions';");
    expect(out.after).not.toContain('aws-cdk-lib/aws-sns');
    expect(out.after).toContain('new cloudwatch_actions.SnsAction(sns.Topic.fromTopicArn(this, ');
    expect(templateProblems('lib/s.ts', out.after)).toEqual([]);
    expect(scanTexts({ 'lib/s.ts': out.after }).findings.filter((f) => f.ruleId !== 'dlq-without-redrive')).toEqual([]);
  });
});
