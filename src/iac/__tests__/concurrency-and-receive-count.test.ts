import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../config/config-schema';
import { scanTexts } from './scan-fixture';

/*
 * unbounded-concurrency judged by what invokes the function, and maxReceiveCount judged by what
 * reads the queue: valid/invalid tables with message and position.
 */

const concurrency = (files: Record<string, string>, config = defaultConfig()) =>
  scanTexts(files, [], config).findings.filter((f) => f.ruleId === 'unbounded-concurrency');

const SAM_HEAD = 'Transform: AWS::Serverless-2016-10-31\nResources:\n';

describe('unbounded-concurrency', () => {
  const valid: Array<{ name: string; files: Record<string, string> }> = [
    {
      name: 'a CloudFormation custom resource handler',
      files: {
        'template.yaml': `${SAM_HEAD}  SeedFn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.handler\n  Seed:\n    Type: Custom::Seed\n    Properties:\n      ServiceToken: !GetAtt SeedFn.Arn\n`,
      },
    },
    {
      name: 'a serverless function used as a custom resource',
      files: {
        'serverless.yml':
          'service: s\nfunctions:\n  seed-data:\n    handler: a.handler\nresources:\n  Resources:\n    Seed:\n      Type: AWS::CloudFormation::CustomResource\n      Properties:\n        ServiceToken: !GetAtt SeedDashdataLambdaFunction.Arn\n',
      },
    },
    {
      name: 'a CDK provider-framework handler',
      files: {
        'lib/s.ts':
          "import * as lambda from 'aws-cdk-lib/aws-lambda';\nimport * as cr from 'aws-cdk-lib/custom-resources';\nconst onEvent = new lambda.Function(this, 'OnEvent', { handler: 'i.handler' });\nnew cr.Provider(this, 'P', { onEventHandler: onEvent });\n",
      },
    },
    {
      name: 'a scheduled warmer',
      files: {
        'serverless.yml':
          'service: s\nfunctions:\n  warmer:\n    handler: w.handler\n    events:\n      - schedule: rate(5 minutes)\n',
      },
    },
    {
      name: 'a Kinesis consumer (shards bound it)',
      files: {
        'serverless.yml':
          'service: s\nfunctions:\n  c:\n    handler: c.handler\n    events:\n      - stream:\n          type: kinesis\n          arn: arn:aws:kinesis:eu-west-1:1:stream/s\n',
      },
    },
    {
      name: 'an SQS consumer whose event source has maximumConcurrency',
      files: {
        'serverless.yml':
          'service: s\nfunctions:\n  c:\n    handler: c.handler\n    events:\n      - sqs:\n          arn: arn:aws:sqs:eu-west-1:1:q\n          maximumConcurrency: 5\n',
      },
    },
    {
      name: 'an SQS consumer with reserved concurrency (bounded by it, its source included)',
      files: {
        'serverless.yml':
          'service: s\nfunctions:\n  c:\n    handler: c.handler\n    reservedConcurrency: 2\n    events:\n      - sqs: arn:aws:sqs:eu-west-1:1:q\n',
        'lib/s.ts':
          "import * as lambda from 'aws-cdk-lib/aws-lambda';\nimport * as sqs from 'aws-cdk-lib/aws-sqs';\nimport { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';\nconst q = new sqs.Queue(this, 'Q', { deadLetterQueue: { queue: dlq, maxReceiveCount: 5 } });\nconst fn = new lambda.Function(this, 'Work', { handler: 'w.handler', reservedConcurrentExecutions: 2 });\nfn.addEventSource(new SqsEventSource(q));\n",
      },
    },
    {
      name: 'an SQS consumer of a FIFO queue named by its ARN (the message groups bound it)',
      files: {
        'serverless.yml':
          'service: s\nfunctions:\n  c:\n    handler: c.handler\n    events:\n      - sqs:\n          arn: arn:aws:sqs:${aws:region}:${aws:accountId}:${sls:stage}-updates.fifo\n',
      },
    },
    {
      name: 'an SQS consumer of a queue declared FifoQueue: true (serverless resources, SAM, CloudFormation mapping)',
      files: {
        'serverless.yml':
          'service: s\nfunctions:\n  c:\n    handler: c.handler\n    events:\n      - sqs:\n          arn: !GetAtt Orders.Arn\nresources:\n  Resources:\n    Orders:\n      Type: AWS::SQS::Queue\n      Properties:\n        FifoQueue: true\n',
        'template.yaml': `${SAM_HEAD}  Jobs:\n    Type: AWS::SQS::Queue\n    Properties:\n      FifoQueue: true\n  Worker:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: w.handler\n      Events:\n        Q:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Jobs.Arn\n  Mapper:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: m.handler\n  Mapping:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      FunctionName: !Ref Mapper\n      EventSourceArn: !GetAtt Jobs.Arn\n`,
      },
    },
    {
      name: 'a CDK SqsEventSource on a fifo: true queue, and on a queue named .fifo',
      files: {
        'lib/s.ts':
          "import * as lambda from 'aws-cdk-lib/aws-lambda';\nimport * as sqs from 'aws-cdk-lib/aws-sqs';\nimport { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';\nconst q = new sqs.Queue(this, 'Q', { fifo: true, deadLetterQueue: { queue: dlq, maxReceiveCount: 5 } });\nconst n = new sqs.Queue(this, 'N', { queueName: 'orders.fifo' });\nconst fn = new lambda.Function(this, 'Work', { handler: 'w.handler' });\nfn.addEventSource(new SqsEventSource(q));\nfn.addEventSource(new SqsEventSource(n));\n",
      },
    },
    {
      name: 'a function with reserved concurrency',
      files: {
        'serverless.yml':
          'service: s\nfunctions:\n  c:\n    handler: c.handler\n    reservedConcurrency: 3\n    events:\n      - sns: t\n',
      },
    },
  ];
  it.each(valid)('silent: $name', ({ files }) => {
    expect(concurrency(files)).toEqual([]);
  });

  it('a standard queue is reported whatever its name says, FifoQueue: false included', () => {
    const files = {
      'serverless.yml':
        'service: s\nfunctions:\n  c:\n    handler: c.handler\n    events:\n      - sqs: arn:aws:sqs:eu-west-1:1:fifo-orders\n      - sqs:\n          arn: !GetAtt Plain.Arn\nresources:\n  Resources:\n    Plain:\n      Type: AWS::SQS::Queue\n      Properties:\n        FifoQueue: false\n        QueueName: orders-fifo\n',
      'lib/s.ts':
        "import * as lambda from 'aws-cdk-lib/aws-lambda';\nimport * as sqs from 'aws-cdk-lib/aws-sqs';\nimport { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';\nconst q = new sqs.Queue(this, 'Q', { fifo: false, queueName: 'fifo' });\nconst fn = new lambda.Function(this, 'Work', { handler: 'w.handler' });\nfn.addEventSource(new SqsEventSource(q));\n",
    };
    expect(concurrency(files).map((f) => [f.file, f.line, f.data?.fix])).toEqual([
      ['lib/s.ts', 6, 'add-max-concurrency'],
      ['serverless.yml', 6, 'add-max-concurrency'],
      ['serverless.yml', 7, 'add-max-concurrency'],
    ]);
  });

  it('an API-fronted function: guidance at the function, no fix, even with a blanket configured value', () => {
    const files = {
      'template.yaml': `${SAM_HEAD}  Api:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.handler\n      Events:\n        Get:\n          Type: Api\n          Properties:\n            Path: /x\n            Method: get\n`,
    };
    const config = defaultConfig();
    config.concurrency.reserved = 10;
    const [f] = concurrency(files, config);
    expect(f).toMatchObject({ line: 3, column: 3, data: { fix: null, fixable: false, userFacing: true } });
    expect(f!.message).toBe(
      'Function Api (behind an API or load balancer) has no concurrency limit: throttle at the API and size reserved concurrency from peak load, never a blanket limit.',
    );
    // a value set for that function by name is not a blanket limit
    config.concurrency.reserved = { Api: 20 };
    expect(concurrency(files, config)[0]!.data).toMatchObject({ fix: 'add-reserved', reserved: 20 });
  });

  it('functions behind an authorizer, a function URL or a LambdaRestApi count as API-fronted', () => {
    const cdk = [
      "import * as lambda from 'aws-cdk-lib/aws-lambda';",
      "import * as apigw from 'aws-cdk-lib/aws-apigateway';",
      "const authFn = new lambda.Function(this, 'Auth', { handler: 'a.handler' });",
      "const urlFn = new lambda.Function(this, 'Url', { handler: 'u.handler' });",
      "const apiFn = new lambda.Function(this, 'Api', { handler: 'b.handler' });",
      "new apigw.TokenAuthorizer(this, 'T', { handler: authFn });",
      'urlFn.addFunctionUrl();',
      "new apigw.LambdaRestApi(this, 'R', { handler: apiFn });",
      '',
    ].join('\n');
    expect(concurrency({ 'lib/s.ts': cdk }).map((f) => [f.line, f.data?.userFacing])).toEqual([
      [3, true],
      [4, true],
      [5, true],
    ]);
  });

  it('an asynchronous function: reported, fixed only with a configured value; an SQS source gets maximumConcurrency', () => {
    const files = {
      'serverless.yml':
        'service: s\nfunctions:\n  notify:\n    handler: n.handler\n    events:\n      - sns: orders\n  work:\n    handler: w.handler\n    events:\n      - sqs: arn:aws:sqs:eu-west-1:1:q\n',
    };
    const plain = concurrency(files);
    expect(plain.map((f) => [f.line, f.column, f.data?.fix ?? null])).toEqual([
      [3, 3, null],
      [10, 9, 'add-max-concurrency'],
    ]);
    expect(plain[0]!.message).toBe(
      'Function notify has no reserved concurrency: a burst of sns events scales it without limit and exhausts downstream connections. Size a limit from its load and set concurrency.reserved in the harden-codemod config to add it (an account keeps 100 executions unreserved).',
    );
    expect(plain[1]!.data).toMatchObject({ maximumConcurrency: 5, shorthand: true });
    const config = defaultConfig();
    config.concurrency.reserved = 4;
    expect(concurrency(files, config)[0]!.data).toMatchObject({ fix: 'add-reserved', reserved: 4 });
  });
});

describe('no-dlq: maxReceiveCount', () => {
  const queue = (count: number, consumer: string) =>
    `service: s\nfunctions:\n  c:\n    handler: c.handler\n    events:\n      - sqs:\n          arn: !GetAtt Work.Arn\n${consumer}resources:\n  Resources:\n    Work:\n      Type: AWS::SQS::Queue\n      Properties:\n        RedrivePolicy:\n          deadLetterTargetArn: !GetAtt WorkDLQ.Arn\n          maxReceiveCount: ${count}\n    WorkDLQ:\n      Type: AWS::SQS::Queue\n`;
  const noDlq = (text: string, config = defaultConfig()) =>
    scanTexts({ 'serverless.yml': text }, [], config).findings.filter((f) => f.ruleId === 'no-dlq');

  it.each([4, 5])('%i on a queue that triggers a Lambda function is not too high', (n) => {
    expect(noDlq(queue(n, ''))).toEqual([]);
  });

  it('above 5 it is lowered to 5 without maximumConcurrency, to 3 with it', () => {
    const [without] = noDlq(queue(10, ''));
    expect(without).toMatchObject({ line: 10, data: { fix: 'lower-max-receive', current: 10, maxReceiveCount: 5 } });
    expect(without!.message).toBe(
      'SQS queue Work has maxReceiveCount 10 (> 5, for a queue that triggers a Lambda function): a poison message is retried 10 times before it reaches the DLQ.',
    );
    expect(noDlq(queue(10, '          maximumConcurrency: 5\n'))[0]!.data).toMatchObject({ maxReceiveCount: 3 });
  });

  it('a queue no function reads keeps the plain limit, and the values come from the config', () => {
    const text = queue(4, '').replace(
      '          arn: !GetAtt Work.Arn\n',
      '          arn: arn:aws:sqs:eu-west-1:1:other\n',
    );
    expect(noDlq(text)[0]).toMatchObject({ data: { fix: 'lower-max-receive', maxReceiveCount: 3 } });
    const config = defaultConfig();
    config.dlq = { maxReceiveCount: 4, lambdaMaxReceiveCount: 8 };
    expect(noDlq(text, config)).toEqual([]);
    expect(noDlq(queue(10, ''), config)[0]!.data).toMatchObject({ maxReceiveCount: 8 });
  });
});

describe("no-dlq: a queue that is an event source's on-failure destination is a DLQ", () => {
  it.each([
    [
      'a SAM stream event',
      `${SAM_HEAD}  Failed:\n    Type: AWS::SQS::Queue\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.handler\n      Events:\n        S:\n          Type: Kinesis\n          Properties:\n            Stream: arn:aws:kinesis:eu-west-1:1:stream/s\n            StartingPosition: LATEST\n            DestinationConfig:\n              OnFailure:\n                Destination: !GetAtt Failed.Arn\n`,
      'template.yaml',
    ],
    [
      'an event source mapping',
      `Resources:\n  Failed:\n    Type: AWS::SQS::Queue\n  Map:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      FunctionName: f\n      EventSourceArn: arn:aws:kinesis:eu-west-1:1:stream/s\n      DestinationConfig:\n        OnFailure:\n          Destination: !GetAtt Failed.Arn\n`,
      'template.yaml',
    ],
    [
      'a serverless stream event',
      `service: s\nfunctions:\n  f:\n    handler: f.handler\n    events:\n      - stream:\n          type: kinesis\n          arn: arn:aws:kinesis:eu-west-1:1:stream/s\n          destinations:\n            onFailure:\n              arn: !GetAtt Failed.Arn\n              type: sqs\nresources:\n  Resources:\n    Failed:\n      Type: AWS::SQS::Queue\n`,
      'serverless.yml',
    ],
  ])('%s', (_name, text, file) => {
    const findings = scanTexts({ [file]: text }).findings;
    expect(findings.filter((f) => f.ruleId === 'no-dlq')).toEqual([]);
    expect(findings.filter((f) => f.ruleId === 'dlq-without-alarm').map((f) => f.data?.resource)).toEqual(['Failed']);
  });
});
