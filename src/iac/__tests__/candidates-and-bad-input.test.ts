import { describe, expect, it } from 'vitest';
import { isIacCandidate } from '../scan-iac';
import { scanTexts, spots } from './scan-fixture';

describe('isIacCandidate', () => {
  const invalid: Array<[string, string]> = [
    ['serverless.yml', 'service: x\n'],
    ['serverless.prod.yaml', 'service: x\n'],
    ['infra/template.yaml', "AWSTemplateFormatVersion: '2010-09-09'\n"],
    ['template.yml', 'Transform: AWS::Serverless-2016-10-31\nResources: {}\n'],
    ['stack/queues.yml', 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n'],
    ['cfn/template.json', '{ "AWSTemplateFormatVersion": "2010-09-09", "Resources": {} }'],
    ['lib/stack.ts', "import * as sqs from 'aws-cdk-lib/aws-sqs';\n"],
    ['main.tf', 'resource "aws_sqs_queue" "q" {}\n'],
    ['sst.config.ts', 'export default {}\n'],
  ];
  it.each(invalid)('%s is a candidate', (path, text) => expect(isIacCandidate(path, text)).toBe(true));

  const valid: Array<[string, string]> = [
    ['.github/workflows/deploy.yml', 'on: push\njobs: {}\n# AWSTemplateFormatVersion\n'],
    ['.gitlab-ci.yml', 'stages: [test]\n'],
    ['docker-compose.yml', 'services:\n  db:\n    image: postgres\n'],
    ['openapi.yaml', 'openapi: 3.0.0\npaths: {}\n'],
    ['k8s/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\n'],
    ['config/app.yml', 'queues:\n  orders:\n    Type: AWS::SQS::Queue\n'],
    ['package.json', '{ "name": "x", "Resources": { "Type": "AWS::SQS::Queue" } }'],
    ['src/client.ts', "// we used aws-cdk-lib once\nimport { SQSClient } from '@aws-sdk/client-sqs';\n"],
    ['types/cdk.d.ts', "import type { Stack } from 'aws-cdk-lib';\n"],
  ];
  it.each(valid)('%s is not a candidate', (path, text) => expect(isIacCandidate(path, text)).toBe(false));
});

describe('bad input', () => {
  it('malformed YAML gives a note with file and line, and the other files are still scanned', () => {
    const result = scanTexts({
      'broken/serverless.yml': 'service: x\nfunctions:\n  a:\n    handler: a.handler\n   events: [\n',
      'ok/template.yaml': "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n",
    });
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toMatchObject({ file: 'broken/serverless.yml', kind: 'parse-error' });
    expect(result.notes[0]!.line).toBeGreaterThanOrEqual(4);
    expect(spots(result)).toEqual(['no-dlq@ok/template.yaml:3']);
  });

  it('malformed JSON gives a note', () => {
    const result = scanTexts({
      'template.json': '{ "AWSTemplateFormatVersion": "2010-09-09", "Resources": { "Q": { "Type": "AWS::SQS::Queue" } ',
    });
    expect(result.notes.map((n) => [n.file, n.kind])).toEqual([['template.json', 'parse-error']]);
    expect(result.findings).toEqual([]);
  });

  it('refuses an alias bomb', () => {
    const bomb = [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'Resources:',
      '  Q:',
      '    Type: AWS::SQS::Queue',
      '    Properties: { Tags: *e }',
      '',
    ].join('\n');
    const result = scanTexts({ 'template.yaml': bomb });
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]!.message).toMatch(/refused/);
    expect(result.findings).toEqual([]);
  });

  it('unknown tags still parse, and CDK with a syntax error is a note', () => {
    const result = scanTexts({
      'template.yaml':
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Vendor thing\n",
      'lib/stack.ts': "import * as cdk from 'aws-cdk-lib';\nconst x = new cdk.Stack(;\n",
    });
    expect(spots(result)).toEqual(['no-dlq@template.yaml:3']);
    expect(result.notes.map((n) => [n.file, n.kind])).toEqual([['lib/stack.ts', 'parse-error']]);
  });

  it('terraform and SST are recognised and noted as skipped', () => {
    const result = scanTexts({
      'main.tf': 'resource "aws_sqs_queue" "q" {}\n',
      'sst.config.ts': 'export default {}\n',
    });
    expect(result.kinds).toEqual(['sst', 'terraform']);
    expect(result.notes.map((n) => n.kind)).toEqual(['skipped', 'skipped']);
  });
});

describe('DLQ references', () => {
  const template = (extra: string) =>
    `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Source:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy:\n        deadLetterTargetArn: ${extra}\n        maxReceiveCount: 3\n  Dead:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: dead\n`;
  it.each([
    ['!GetAtt Dead.Arn'],
    ['!GetAtt [Dead, Arn]'],
    ['{ "Fn::GetAtt": [Dead, Arn] }'],
    ["!Sub '${Dead.Arn}'"],
    ["!Sub 'arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:dead'"],
    ['arn:aws:sqs:eu-west-1:123456789012:dead'],
  ])('%s marks the target as a DLQ (exempt from no-dlq, needs alarm and redrive)', (ref) => {
    expect(spots(scanTexts({ 'template.yaml': template(ref) }))).toEqual([
      'dlq-without-alarm@template.yaml:9',
      'dlq-without-redrive@template.yaml:9',
    ]);
  });

  it('a queue named like a DLQ is not exempt', () => {
    const text =
      "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  OrdersDLQ:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: orders-dlq.fifo\n      FifoQueue: true\n";
    expect(spots(scanTexts({ 'template.yaml': text }))).toEqual(['no-dlq@template.yaml:3']);
  });

  it('a redrive workflow in the repository satisfies dlq-without-redrive', () => {
    const files = { 'template.yaml': template('!GetAtt Dead.Arn') };
    expect(spots(scanTexts(files, ['.github/workflows/dlq-redrive.yml']))).toEqual([
      'dlq-without-alarm@template.yaml:9',
    ]);
    expect(spots(scanTexts(files, ['scripts/redrive-dlq.sh']))).toEqual(['dlq-without-alarm@template.yaml:9']);
    expect(spots(scanTexts(files, ['src/redrive.ts']))).toHaveLength(2);
  });

  it('an archive with RetentionDays 0 (indefinite) is enough; 13 days is not', () => {
    const bus = (days: string) =>
      `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bus:\n    Type: AWS::Events::EventBus\n    Properties:\n      Name: b\n  A:\n    Type: AWS::Events::Archive\n    Properties:\n      SourceArn: !GetAtt Bus.Arn\n${days}`;
    expect(spots(scanTexts({ 't.yaml': bus('      RetentionDays: 0\n') }))).toEqual([]);
    expect(spots(scanTexts({ 't.yaml': bus('') }))).toEqual([]);
    expect(spots(scanTexts({ 't.yaml': bus('      RetentionDays: 14\n') }))).toEqual([]);
    expect(spots(scanTexts({ 't.yaml': bus('      RetentionDays: 13\n') }))).toEqual(['no-event-replay@t.yaml:7']);
  });
});
