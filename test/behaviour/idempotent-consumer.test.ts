import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from '../helpers/cli';
import {
  awsEnvFor,
  dynamoOperation,
  ok,
  startFake,
  status,
  type Behaviour,
  type FakeDependency,
  type RecordedRequest,
} from '../helpers/fake-dependency';
import { fixedCopy, invokeHandler } from '../helpers/run-service';

/*
 * The idempotent SQS consumer, run as Lambda would run it with the environment its fixed
 * serverless.yml gives it: it finds its table through the variable the IaC sets, reports only the
 * failed record back to SQS (partial batch response), and a redelivered message does not repeat
 * the side effect.
 */

const FIXTURE = path.join(REPO, 'test/fixtures/iac-needs/serverless/input');

const tableOf = (req: RecordedRequest): string | undefined =>
  (JSON.parse(req.body || '{}') as { TableName?: string }).TableName;
const record = (messageId: string, id: string) => ({
  messageId,
  body: JSON.stringify({ id }),
  receiptHandle: 'r',
  attributes: {},
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:shipments',
  awsRegion: 'eu-west-1',
});

describe('the fixed idempotent consumer, with the environment its IaC now sets', () => {
  let aws: FakeDependency;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = fixedCopy(FIXTURE, ['--only', 'no-idempotency'], 'hc-idem-');
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    aws = await startFake();
    const sls = parse(fs.readFileSync(path.join(dir, 'serverless.yml'), 'utf8').replace(/!Ref (\w+)/g, 'ref:$1')) as {
      functions: { ship: { environment: Record<string, string> } };
    };
    // the deployed value of `!Ref IdempotencyTable` is the table's name
    env = {
      ...awsEnvFor(aws),
      ...Object.fromEntries(
        Object.entries(sls.functions.ship.environment).map(([k, v]) => [
          k,
          v === 'ref:IdempotencyTable' ? 'shipments-idempotency' : v,
        ]),
      ),
    };
  });
  afterAll(async () => {
    await aws?.close();
  });

  it('the IaC names the table in the variable the code reads', () => {
    expect(env.IDEMPOTENCY_TABLE).toBe('shipments-idempotency');
    expect(fs.readFileSync(path.join(dir, 'src/ship.js'), 'utf8')).toContain('process.env.IDEMPOTENCY_TABLE');
  });

  it('reports only the failed record, and records the processed one in the table the IaC names', async () => {
    aws.clear();
    aws.respond((req) => (tableOf(req) === 'shipments' && req.body.includes('"s-2"') ? status(500) : ok({})));
    const run = await invokeHandler(
      path.join(dir, 'src/ship.js'),
      'handler',
      { Records: [record('m-1', 's-1'), record('m-2', 's-2')] },
      env,
      60_000,
    );
    expect(run.error, run.output).toBeUndefined();
    expect(run.exitCode, run.output).toBe(0);
    expect(run.result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }] });
    const idem = aws.requests.filter((r) => tableOf(r) === 'shipments-idempotency').map((r) => dynamoOperation(r));
    expect(idem).toEqual(expect.arrayContaining(['PutItem', 'UpdateItem']));
  });

  it('a redelivered message that was processed does not write its shipment again', async () => {
    aws.clear();
    aws.respond((req): Behaviour => {
      if (tableOf(req) === 'shipments-idempotency' && dynamoOperation(req) === 'PutItem') {
        const key = (JSON.parse(req.body) as { Item: { id: { S: string } } }).Item.id.S;
        // the record the first delivery completed, as DynamoDB returns it with ReturnValuesOnConditionCheckFailure
        return {
          kind: 'json',
          status: 400,
          body: {
            __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
            message: 'The conditional request failed',
            Item: {
              id: { S: key },
              status: { S: 'COMPLETED' },
              expiration: { N: String(Math.floor(Date.now() / 1000) + 3600) },
              data: { S: 'null' },
            },
          },
          headers: { 'x-amzn-errortype': 'ConditionalCheckFailedException' },
        };
      }
      return ok({});
    });
    const run = await invokeHandler(
      path.join(dir, 'src/ship.js'),
      'handler',
      { Records: [record('m-1', 's-1')] },
      env,
      60_000,
    );
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual({ batchItemFailures: [] });
    expect(aws.requests.filter((r) => tableOf(r) === 'shipments')).toEqual([]);
  });
});
