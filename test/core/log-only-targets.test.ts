import { parse } from '@babel/parser';
import type { Node } from '@babel/types';
import { tempTrees } from '../helpers/temp-tree';
import { describe, expect, it } from 'vitest';
import { onlyLogs } from '../../detectors/lib/log-only';
import { emptyFacts } from '../../src/detect/detect-file';
import { fromPlainFacts, toPlainFacts } from '../../src/detect/plain-facts';
import { scan, scanAsync } from '../../src/scan/scan';

/*
 * no-dlq on an asynchronous trigger whose function only logs the event (a central-logging or
 * demo consumer): a lost event loses a log line, so no dead-letter queue is asked for. The
 * handler is joined to its function through the IaC; one real side effect keeps the finding.
 */

const tree = tempTrees('log-only-targets');
const project = (files: Record<string, string>): string =>
  tree({ 'package.json': JSON.stringify({ name: 'svc' }), ...files });

const noDlq = (root: string) =>
  scan({ root, paths: [root] })
    .findings.filter((f) => f.ruleId === 'no-dlq')
    .map((f) => `${f.file}:${f.line}`);

const SLS = `service: s
provider:
  name: aws
functions:
  observe:
    handler: src/observe.handler
    events:
      - eventBridge:
          pattern:
            source: [orders]
  notify:
    handler: src/notify.handler
    events:
      - eventBridge:
          pattern:
            source: [orders]
`;
const LOGS = `export const handler = async (event: unknown) => {\n  try {\n    console.log('order event', JSON.stringify(event));\n    return { statusCode: 200 };\n  } catch (err) {\n    throw new Error((err as Error).message);\n  }\n};\n`;
const WRITES = `import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';\nconst sns = new SNSClient({});\nexport const handler = async (event: unknown) => {\n  console.log(event);\n  await sns.send(new PublishCommand({ TopicArn: process.env.TOPIC, Message: JSON.stringify(event) }));\n};\n`;

const CDK = `import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';

export class Stack extends cdk.Stack {
  constructor(scope: cdk.App, id: string) {
    super(scope, id);
    const observe = new lambda.Function(this, 'Observe', {
      runtime: lambda.Runtime.NODEJS_20_X,
      code: lambda.Code.fromAsset('lambda/observe'),
      handler: 'observe.handler',
      reservedConcurrentExecutions: 2,
    });
    const rule = new events.Rule(this, 'ObserveRule', { eventPattern: { source: ['etl'] } });
    rule.addTarget(new targets.LambdaFunction(observe));
  }
}
`;

describe('no-dlq on targets that only log', () => {
  it('a Serverless eventBridge function that only logs: not reported; its sibling that publishes: reported', () => {
    const root = project({ 'serverless.yml': SLS, 'src/observe.ts': LOGS, 'src/notify.ts': WRITES });
    expect(noDlq(root)).toEqual(['serverless.yml:11']);
  });

  it('the same from the on-disk detection cache (the fact survives as plain data)', async () => {
    const root = project({ 'serverless.yml': SLS, 'src/observe.ts': LOGS, 'src/notify.ts': WRITES });
    const lines = async () =>
      (await scanAsync({ root, paths: [root], cache: true })).findings
        .filter((f) => f.ruleId === 'no-dlq')
        .map((f) => `${f.file}:${f.line}`);
    expect(await lines()).toEqual(['serverless.yml:11']);
    expect(await lines()).toEqual(['serverless.yml:11']);
    expect(fromPlainFacts(toPlainFacts({ ...emptyFacts(), logOnlyExports: ['handler'] })).logOnlyExports).toEqual([
      'handler',
    ]);
  });

  it('a CDK rule whose only target function only logs: not reported', () => {
    const root = project({
      'lib/stack.ts': CDK,
      'lambda/observe/observe.js':
        'exports.handler = async (event) => {\n  console.log(JSON.stringify(event, null, 2));\n};\n',
    });
    expect(noDlq(root)).toEqual([]);
  });

  it('the CDK rule is reported once its target writes something', () => {
    const root = project({
      'lib/stack.ts': CDK,
      'lambda/observe/observe.js':
        "const { DynamoDB } = require('aws-sdk');\nconst db = new DynamoDB.DocumentClient();\nexports.handler = async (event) => {\n  console.log(event);\n  await db.put({ TableName: 'events', Item: event.detail }).promise();\n};\n",
    });
    expect(noDlq(root)).toEqual(['lib/stack.ts:15']);
  });

  it('a function whose handler is not in the scanned code keeps its finding', () => {
    const root = project({ 'serverless.yml': SLS });
    expect(noDlq(root)).toEqual(['serverless.yml:5', 'serverless.yml:11']);
  });
});

describe('no-event-replay on a bus whose consumers here only log', () => {
  const BUS = SLS.replace(/source: \[orders\]/g, 'source: [orders]\n          eventBus: orders-bus');
  const replay = (root: string) =>
    scan({ root, paths: [root] })
      .findings.filter((f) => f.ruleId === 'no-event-replay')
      .map((f) => `${f.file}:${f.line}`);

  it('still asks for the archive: other services may read the bus', () => {
    const root = project({ 'serverless.yml': BUS, 'src/observe.ts': LOGS, 'src/notify.ts': LOGS });
    expect(replay(root)).toHaveLength(1);
    expect(noDlq(root)).toEqual([]);
  });
});

describe('onlyLogs', () => {
  const fn = (src: string): Node => {
    const body = parse(src, { sourceType: 'module', plugins: ['typescript'] }).program.body[0] as unknown as {
      declarations: Array<{ init: Node }>;
    };
    return body.declarations[0]!.init;
  };
  const cases: Array<[string, string, boolean]> = [
    ['console.log of the event', 'const h = async (e) => { console.log(e); }', true],
    ['a logger and JSON.stringify', 'const h = (e) => { logger.info(JSON.stringify(e)); return { ok: true }; }', true],
    [
      'embedded metrics written as a console line',
      'const h = (e) => { console.log(JSON.stringify({ _aws: {}, Orders: 1 })); }',
      false,
    ],
    [
      'a catch that rethrows a new Error',
      'const h = async (e) => { try { console.log(e); } catch (x) { throw new Error(String(x)); } }',
      true,
    ],
    ['no log at all (a stub is not "only logs")', 'const h = async (e) => { return e; }', false],
    ['an awaited call', 'const h = async (e) => { console.log(e); await save(e); }', false],
    ['a call in a callback', 'const h = (e) => { e.Records.forEach((r) => { console.log(r); send(r); }); }', false],
    ['a write to an object', 'const h = (e) => { console.log(e); cache.last = e; }', false],
    ['a client created', 'const h = (e) => { console.log(e); new Client(); }', false],
    ['a method of another object named like a level', 'const h = (e) => { console.log(e); queue.error(e); }', false],
  ];
  it.each(cases)('%s', (_name, src, expected) => {
    expect(onlyLogs(fn(src), { namedLoggers: true })).toBe(expected);
  });

  it('a logger in a file importing no logging package may be anything (a chat or database poster)', () => {
    expect(onlyLogs(fn('const h = (e) => { logger.info(e); }'))).toBe(false);
    expect(onlyLogs(fn('const h = (e) => { console.info(e); }'))).toBe(true);
  });
});
