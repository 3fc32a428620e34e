import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../config/config-schema';
import { STREAM_NO_FIX } from '../checks/no-dlq';
import { fixIacFile } from '../fix-iac';
import { scanTexts } from './scan-fixture';

/*
 * The stream form of no-dlq: a Kinesis/DynamoDB stream event source with no retry limit, no
 * bisection and no on-failure destination retries a poison record until it expires, blocking
 * its shard. Reported at the event source, in every format; look-alikes stay silent.
 */

const SAM_HEAD = 'Transform: AWS::Serverless-2016-10-31\nResources:\n';
const CDK_HEAD = [
  "import * as lambda from 'aws-cdk-lib/aws-lambda';",
  "import * as sqs from 'aws-cdk-lib/aws-sqs';",
  "import { DynamoEventSource, KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';",
  "const fn = new lambda.Function(this, 'Consumer', { handler: 'c.handler' });",
].join('\n');

const esm = (extra: string) =>
  [
    'Resources:',
    '  Orders:',
    '    Type: AWS::DynamoDB::Table',
    '  Consumer:',
    '    Type: AWS::Lambda::Function',
    '    Properties:',
    '      Handler: index.handler',
    '  OrdersStream:',
    '    Type: AWS::Lambda::EventSourceMapping',
    '    Properties:',
    '      EventSourceArn: !GetAtt Orders.StreamArn',
    '      FunctionName: !GetAtt Consumer.Arn',
    '      StartingPosition: TRIM_HORIZON',
    extra,
  ].join('\n');

const sam = (extra: string) =>
  `${SAM_HEAD}  Consumer:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.handler\n      Events:\n        Changes:\n          Type: DynamoDB\n          Properties:\n            Stream: arn:aws:dynamodb:eu-west-1:1:table/t/stream/x\n            StartingPosition: LATEST\n${extra}`;

const sls = (event: string) => `service: s\nfunctions:\n  consumer:\n    handler: c.handler\n    events:\n${event}`;

const noDlq = (files: Record<string, string>) => scanTexts(files).findings.filter((f) => f.ruleId === 'no-dlq');

describe('no-dlq: stream event sources without failure handling', () => {
  const invalid: Array<{ name: string; file: string; text: string; line: number; column: number; message: string }> = [
    {
      name: 'an event source mapping on a DynamoDB table stream (GetAtt StreamArn)',
      file: 'template.yaml',
      text: esm(''),
      line: 8,
      column: 3,
      message:
        "DynamoDB stream event source of Consumer has no MaximumRetryAttempts, BisectBatchOnFunctionError or DestinationConfig.OnFailure: a record that keeps failing is retried until it expires (24 hours by default, up to the stream's retention), blocking its shard for that time.",
    },
    {
      name: 'an event source mapping whose retry limit is -1 (until the record expires)',
      file: 'template.yaml',
      text: esm('      MaximumRetryAttempts: -1\n'),
      line: 8,
      column: 3,
      message:
        "DynamoDB stream event source of Consumer has no MaximumRetryAttempts, BisectBatchOnFunctionError or DestinationConfig.OnFailure: a record that keeps failing is retried until it expires (24 hours by default, up to the stream's retention), blocking its shard for that time.",
    },
    {
      name: 'a SAM DynamoDB event',
      file: 'template.yaml',
      text: sam(''),
      line: 8,
      column: 9,
      message:
        "DynamoDB stream event source of Consumer has no MaximumRetryAttempts, BisectBatchOnFunctionError or DestinationConfig.OnFailure: a record that keeps failing is retried until it expires (24 hours by default, up to the stream's retention), blocking its shard for that time.",
    },
    {
      name: 'a serverless stream event given as a bare ARN',
      file: 'serverless.yml',
      text: sls('      - stream: arn:aws:kinesis:eu-west-1:1:stream/clicks\n'),
      line: 6,
      column: 9,
      message:
        "Kinesis stream event source of consumer has no maximumRetryAttempts, bisectBatchOnFunctionError or destinations.onFailure: a record that keeps failing is retried until it expires (24 hours by default, up to the stream's retention), blocking its shard for that time.",
    },
    {
      name: 'a CDK DynamoEventSource with only a starting position',
      file: 'lib/stack.ts',
      text: `${CDK_HEAD}\nfn.addEventSource(new DynamoEventSource(table, { startingPosition: lambda.StartingPosition.LATEST }));\n`,
      line: 5,
      column: 19,
      message:
        "DynamoDB stream event source of Consumer has no retryAttempts, bisectBatchOnError or onFailure: a record that keeps failing is retried until it expires (24 hours by default, up to the stream's retention), blocking its shard for that time.",
    },
  ];
  it.each(invalid)('reported at the event source: $name', ({ file, text, line, column, message }) => {
    const found = noDlq({ [file]: text });
    expect(found.map((f) => [f.line, f.column])).toEqual([[line, column]]);
    expect(found[0]!.message).toBe(message);
    expect(found[0]!.data).toMatchObject({ fix: null, fixable: false, reason: STREAM_NO_FIX });
  });

  const valid: Array<{ name: string; file: string; text: string }> = [
    { name: 'a mapping with a retry limit', file: 'template.yaml', text: esm('      MaximumRetryAttempts: 3\n') },
    {
      name: 'a mapping that bisects failing batches',
      file: 'template.yaml',
      text: esm('      BisectBatchOnFunctionError: true\n'),
    },
    {
      name: 'a SAM event with a retry limit given by a parameter',
      file: 'template.yaml',
      text: sam('            MaximumRetryAttempts: !Ref Retries\n'),
    },
    {
      name: 'a serverless stream event with an on-failure destination',
      file: 'serverless.yml',
      text: sls(
        '      - stream:\n          type: dynamodb\n          arn: arn:aws:dynamodb:eu-west-1:1:table/t/stream/x\n          destinations:\n            onFailure: arn:aws:sqs:eu-west-1:1:failed\n',
      ),
    },
    {
      name: 'a serverless stream event with maximumRetryAttempts',
      file: 'serverless.yml',
      text: sls(
        '      - stream:\n          type: kinesis\n          arn: arn:aws:kinesis:eu-west-1:1:stream/clicks\n          maximumRetryAttempts: 2\n',
      ),
    },
    {
      name: 'a CDK KinesisEventSource with retryAttempts',
      file: 'lib/stack.ts',
      text: `${CDK_HEAD}\nfn.addEventSource(new KinesisEventSource(stream, { startingPosition: lambda.StartingPosition.LATEST, retryAttempts: 5 }));\n`,
    },
    {
      name: 'an SQS mapping (the queue form is judged at the queue)',
      file: 'template.yaml',
      text: 'Resources:\n  Work:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy:\n        deadLetterTargetArn: arn:aws:sqs:eu-west-1:1:dlq\n        maxReceiveCount: 3\n  Map:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      EventSourceArn: !GetAtt Work.Arn\n      FunctionName: f\n      ScalingConfig:\n        MaximumConcurrency: 2\n',
    },
  ];
  it.each(valid)('silent: $name', ({ file, text }) => {
    expect(noDlq({ [file]: text })).toEqual([]);
  });

  it('a CDK stream on-failure queue (SqsDlq or SqsDestination) is a DLQ: it needs an alarm, no DLQ and no queue redrive', () => {
    for (const dest of ['SqsDlq', 'SqsDestination']) {
      const text = `${CDK_HEAD}\nconst failed = new sqs.Queue(this, 'Failed');\nfn.addEventSource(new KinesisEventSource(stream, { startingPosition: lambda.StartingPosition.LATEST, onFailure: new ${dest}(failed) }));\n`;
      const found = scanTexts({ 'lib/stack.ts': text }).findings.filter(
        (f) => f.ruleId.startsWith('dlq') || f.ruleId === 'no-dlq',
      );
      expect(found.map((f) => `${f.ruleId}:${f.line}`)).toEqual(['dlq-without-alarm:5']);
    }
  });

  it('a stream consumer wired through a mapping is shard-bounded: no unbounded-concurrency', () => {
    expect(
      scanTexts({ 'template.yaml': esm('') }).findings.filter((f) => f.ruleId === 'unbounded-concurrency'),
    ).toEqual([]);
  });

  it('the fix leaves the stream source as it is and says why, in YAML and in CDK', () => {
    const yaml = { path: 'template.yaml', absPath: '/project/template.yaml', text: esm('') };
    const found = scanTexts({ [yaml.path]: yaml.text }).findings;
    const out = fixIacFile(
      yaml,
      found.filter((f) => f.ruleId === 'no-dlq'),
      defaultConfig(),
    );
    expect(out.after).toBe(yaml.text);
    expect(out.skipped.map((s) => s.reason)).toEqual([STREAM_NO_FIX]);
    const cdk = {
      path: 'lib/stack.ts',
      absPath: '/project/lib/stack.ts',
      text: `${CDK_HEAD}\nfn.addEventSource(new DynamoEventSource(table, {}));\n`,
    };
    const cdkOut = fixIacFile(cdk, noDlq({ [cdk.path]: cdk.text }), defaultConfig());
    expect(cdkOut.after).toBe(cdk.text);
    expect(cdkOut.skipped.map((s) => s.reason)).toEqual([STREAM_NO_FIX]);
  });
});
