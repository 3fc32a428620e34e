import { describe, expect, it } from 'vitest';
import { scanTexts } from './scan-fixture';

/*
 * no-dlq on asynchronous invokes: scheduled warm-up pings are not jobs, a rule target and its
 * function are one finding (at the rule), and the function-level on-failure settings of every
 * format are recognised.
 */

const noDlq = (files: Record<string, string>) => scanTexts(files).findings.filter((f) => f.ruleId === 'no-dlq');

const cfnRule = (targetExtra: string, fnExtra = '', ruleName = 'Nightly') =>
  [
    'Resources:',
    '  Report:',
    '    Type: AWS::Lambda::Function',
    '    Properties:',
    '      Handler: index.handler',
    fnExtra,
    `  ${ruleName}:`,
    '    Type: AWS::Events::Rule',
    '    Properties:',
    "      ScheduleExpression: 'rate(10 minutes)'",
    '      Targets:',
    '        - Id: report',
    '          Arn: !GetAtt Report.Arn',
    targetExtra,
  ]
    .filter((l) => l !== '')
    .join('\n');

const API_PERMISSION =
  '  ReportApi:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Principal: apigateway.amazonaws.com\n      FunctionName: !Ref Report\n      Action: lambda:InvokeFunction\n';

describe('no-dlq: scheduled warmers', () => {
  const valid: Array<{ name: string; files: Record<string, string> }> = [
    {
      name: 'a rule that pings with {"source": "warmer"}',
      files: { 'template.yaml': cfnRule('          Input: \'{"source":"warmer"}\'\n') },
    },
    { name: 'a rule named for warming', files: { 'template.yaml': cfnRule('', '', 'KeepWarmRule') } },
    {
      name: 'a schedule on an API-fronted function (any input)',
      files: {
        'template.yaml': `${cfnRule('          Input: \'{"queryStringParameters":{"q":"a"}}\'\n')}\n${API_PERMISSION}`,
      },
    },
    {
      name: 'a serverless schedule with a warm-up input',
      files: {
        'serverless.yml':
          'service: s\nfunctions:\n  list:\n    handler: l.handler\n    events:\n      - schedule:\n          rate: rate(5 minutes)\n          input:\n            warmer: true\n',
      },
    },
    {
      name: 'a serverless schedule on an HTTP function',
      files: {
        'serverless.yml':
          'service: s\nfunctions:\n  list:\n    handler: l.handler\n    events:\n      - http: GET /items\n      - schedule: rate(5 minutes)\n',
      },
    },
    {
      name: 'a CDK scheduled rule targeting a LambdaRestApi handler',
      files: {
        'lib/s.ts': [
          "import * as lambda from 'aws-cdk-lib/aws-lambda';",
          "import * as apigw from 'aws-cdk-lib/aws-apigateway';",
          "import * as events from 'aws-cdk-lib/aws-events';",
          "import * as targets from 'aws-cdk-lib/aws-events-targets';",
          "const api = new lambda.Function(this, 'Api', { handler: 'a.handler' });",
          "new apigw.LambdaRestApi(this, 'R', { handler: api });",
          "new events.Rule(this, 'Ping', { schedule: events.Schedule.rate(cdk.Duration.minutes(5)), targets: [new targets.LambdaFunction(api)] });",
          '',
        ].join('\n'),
      },
    },
  ];
  it.each(valid)('silent: $name', ({ files }) => {
    expect(noDlq(files)).toEqual([]);
  });

  it('a scheduled job is still reported: once, at the rule, naming the function', () => {
    const found = noDlq({ 'template.yaml': cfnRule('') });
    expect(found.map((f) => [f.line, f.column])).toEqual([[6, 3]]);
    expect(found[0]!.message).toBe(
      'EventBridge rule Nightly has 1 target(s) without DeadLetterConfig: events that cannot be delivered are dropped. Its target function Report has no on-failure destination either: events it fails on are lost after two retries.',
    );
  });

  it('a serverless schedule job without destinations is reported at the function', () => {
    const found = noDlq({
      'serverless.yml':
        'service: s\nfunctions:\n  cleanup:\n    handler: c.handler\n    events:\n      - schedule: rate(1 day)\n',
    });
    expect(found.map((f) => [f.line, f.column])).toEqual([[3, 3]]);
    expect(found[0]!.message).toBe(
      'Function cleanup is invoked asynchronously (schedule) with no on-failure destination (destinations.onFailure): events that fail after the retries are lost.',
    );
  });
});

describe('no-dlq: a rule target and its function are one finding', () => {
  const eventRule = (fnExtra: string, targetExtra = '', more = '') =>
    [
      'Resources:',
      '  Audit:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Handler: index.handler',
      fnExtra,
      '  AuditRule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern:',
      '        source: [orders]',
      '      Targets:',
      '        - Id: audit',
      '          Arn: !GetAtt Audit.Arn',
      targetExtra,
      more,
    ]
      .filter((l) => l !== '')
      .join('\n');

  it('the function has an on-failure destination: the rule alone, without the function sentence', () => {
    const text = eventRule(
      '',
      '',
      '  AuditInvoke:\n    Type: AWS::Lambda::EventInvokeConfig\n    Properties:\n      FunctionName: !Ref Audit\n      Qualifier: $LATEST\n      DestinationConfig:\n        OnFailure:\n          Destination: arn:aws:sqs:eu-west-1:1:failed\n',
    );
    const found = noDlq({ 'template.yaml': text });
    expect(found.map((f) => [f.line, f.message])).toEqual([
      [
        6,
        'EventBridge rule AuditRule has 1 target(s) without DeadLetterConfig: events that cannot be delivered are dropped.',
      ],
    ]);
  });

  it('the target has a DeadLetterConfig: the function alone is reported', () => {
    const found = noDlq({
      'template.yaml': eventRule(
        '',
        '          DeadLetterConfig:\n            Arn: arn:aws:sqs:eu-west-1:1:undelivered',
      ),
    });
    expect(found.map((f) => [f.line, f.data?.resource])).toEqual([[2, 'Audit']]);
  });

  it('a function also invoked by SNS is reported at the function too', () => {
    const sns =
      '  Sub:\n    Type: AWS::SNS::Subscription\n    Properties:\n      Protocol: lambda\n      Endpoint: !GetAtt Audit.Arn\n      TopicArn: arn:aws:sns:eu-west-1:1:t\n';
    expect(noDlq({ 'template.yaml': eventRule('', '', sns) }).map((f) => f.data?.resource)).toEqual([
      'Audit',
      'AuditRule',
    ]);
  });

  it('CDK: rule.addTarget(new LambdaFunction(fn)) is one finding; configureAsyncInvoke with onFailure protects the function', () => {
    const cdk = (extra: string) =>
      [
        "import * as lambda from 'aws-cdk-lib/aws-lambda';",
        "import * as sqs from 'aws-cdk-lib/aws-sqs';",
        "import * as events from 'aws-cdk-lib/aws-events';",
        "import * as targets from 'aws-cdk-lib/aws-events-targets';",
        "import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';",
        "const fn = new lambda.Function(this, 'Load', { handler: 'l.handler' });",
        "const rule = new events.Rule(this, 'LoadRule', { eventPattern: { source: ['etl'] } });",
        'rule.addTarget(new targets.LambdaFunction(fn));',
        extra,
      ].join('\n');
    const bare = noDlq({ 'lib/s.ts': cdk('') });
    expect(bare.map((f) => [f.line, f.data?.resource])).toEqual([[7, 'LoadRule']]);
    expect(bare[0]!.message).toContain('Its target function Load has no on-failure destination either');
    const configured = cdk(
      "const failed = new sqs.Queue(this, 'Failed');\nfn.configureAsyncInvoke({ onFailure: new SqsDestination(failed) });\n",
    );
    const all = scanTexts({ 'lib/s.ts': configured }).findings;
    expect(all.filter((f) => f.ruleId === 'no-dlq').map((f) => f.message)).toEqual([
      'EventBridge rule LoadRule has 1 target(s) without DeadLetterConfig: events that cannot be delivered are dropped.',
    ]);
    expect(all.filter((f) => f.ruleId === 'dlq-without-alarm').map((f) => f.data?.resource)).toEqual(['Failed']);
  });
});

describe('editor-generated local-invoke templates', () => {
  it('a `___vsctk___` template is not a source: nothing is reported in it', () => {
    const text =
      'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n';
    expect(scanTexts({ 'functions/x/app___vsctk___template.yaml': text }).findings).toEqual([]);
    expect(scanTexts({ 'functions/x/template.yaml': text }).findings.map((f) => f.ruleId)).toEqual([
      'unbounded-concurrency',
    ]);
  });
});

describe('no-dlq: function-level dead-letter queues and on-failure destinations', () => {
  const SNS =
    '  Sub:\n    Type: AWS::SNS::Subscription\n    Properties:\n      Protocol: lambda\n      Endpoint: !GetAtt Fn.Arn\n      TopicArn: arn:aws:sns:eu-west-1:1:t\n';
  const fn = (type: string, props: string) =>
    `Resources:\n  Fn:\n    Type: ${type}\n    Properties:\n      Handler: index.handler\n${props}${SNS}`;
  const cdk = (extra: string) =>
    [
      "import * as lambda from 'aws-cdk-lib/aws-lambda';",
      "import * as sqs from 'aws-cdk-lib/aws-sqs';",
      "import * as sns from 'aws-cdk-lib/aws-sns';",
      "import { SnsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';",
      "import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';",
      "const fn = new lambda.Function(this, 'Notify', { handler: 'n.handler' });",
      'fn.addEventSource(new SnsEventSource(topic));',
      extra,
    ].join('\n');

  it.each([
    [
      'a CloudFormation DeadLetterConfig',
      {
        'template.yaml': fn(
          'AWS::Lambda::Function',
          '      DeadLetterConfig:\n        TargetArn: arn:aws:sqs:eu-west-1:1:dlq\n',
        ),
      },
    ],
    [
      'a SAM DeadLetterQueue',
      {
        'template.yaml': `Transform: AWS::Serverless-2016-10-31\n${fn('AWS::Serverless::Function', '      DeadLetterQueue:\n        Type: SQS\n        TargetArn: arn:aws:sqs:eu-west-1:1:dlq\n')}`,
      },
    ],
    [
      'a CDK EventInvokeConfig with onFailure',
      {
        'lib/s.ts': cdk(
          "const failed = new sqs.Queue(this, 'Failed');\nnew lambda.EventInvokeConfig(this, 'Invoke', { function: fn, onFailure: new SqsDestination(failed) });\n",
        ),
      },
    ],
    [
      'a CDK deadLetterQueue prop',
      { 'lib/s.ts': cdk('').replace("{ handler: 'n.handler' }", "{ handler: 'n.handler', deadLetterQueue: dlq }") },
    ],
  ])('%s protects an SNS-invoked function', (_name, files) => {
    expect(noDlq(files as Record<string, string>)).toEqual([]);
  });

  it('look-alike: an EventInvokeConfig without onFailure (retries only) does not', () => {
    const found = noDlq({
      'lib/s.ts': cdk("new lambda.EventInvokeConfig(this, 'Invoke', { function: fn, retryAttempts: 0 });\n"),
    });
    expect(found.map((f) => [f.line, f.data?.resource])).toEqual([[6, 'Notify']]);
  });
});

describe('no-dlq: CDK bucket notifications and topic subscriptions invoke a function asynchronously', () => {
  const stack = (subscribe: string, fnProps = "{ entry: 'lib/handlers/parse.ts' }") =>
    [
      "import * as s3 from 'aws-cdk-lib/aws-s3';",
      "import * as sns from 'aws-cdk-lib/aws-sns';",
      "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
      "import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';",
      "import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';",
      "const bucket = new s3.Bucket(this, 'Uploads');",
      "const topic = new sns.Topic(this, 'Orders');",
      `const parser = new NodejsFunction(this, 'Parser', ${fnProps});`,
      subscribe,
      '',
    ].join('\n');

  it.each([
    [
      'an S3 notification',
      "bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new LambdaDestination(parser), { prefix: 'uploaded/' });",
    ],
    ['an object-created shorthand', 'bucket.addObjectCreatedNotification(new LambdaDestination(parser));'],
    ['an SNS subscription', 'topic.addSubscription(new LambdaSubscription(parser));'],
  ])('%s without an on-failure destination: reported at the function', (_name, subscribe) => {
    const found = noDlq({ 'lib/s.ts': stack(subscribe) });
    expect(found.map((f) => [f.line, f.data?.resource])).toEqual([[8, 'Parser']]);
    expect(found[0]!.message).toMatch(
      /^Function Parser is invoked asynchronously \((s3|sns)\) with no on-failure destination/,
    );
  });

  it('look-alikes: a function with a dead-letter queue; a bucket notification to a queue', () => {
    expect(
      noDlq({
        'lib/s.ts': stack(
          'bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new LambdaDestination(parser));',
          "{ entry: 'lib/handlers/parse.ts', deadLetterQueue: dlq }",
        ),
      }),
    ).toEqual([]);
    expect(
      noDlq({
        'lib/s.ts': stack('bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new SqsDestination(queue));'),
      }),
    ).toEqual([]);
  });
});
