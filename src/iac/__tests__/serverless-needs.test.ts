import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../yaml-tags';
import { serverlessNeed } from '../needs/serverless-needs';
import type { InfraNeed } from '../needs/infra-needs';

const EXAMPLE = fs.readFileSync(path.resolve(__dirname, '../../../examples/orders-service/serverless.yml'), 'utf8');

const NEED: InfraNeed = { kind: 'idempotency-table', exportName: 'handler', envVar: 'IDEMPOTENCY_TABLE' };

function after(text: string, fn: string, need: InfraNeed = NEED): { after: string; added: string[] } {
  const out = serverlessNeed(text, fn, need);
  if ('error' in out) throw new Error(out.error);
  return out;
}

describe('serverlessNeed: the idempotency table of a function (serverless.yml)', () => {
  const out = after(EXAMPLE, 'processPayment');

  const blocks = [
    [
      '        - Effect: Allow',
      '          Action:',
      '            - dynamodb:GetItem',
      '            - dynamodb:PutItem',
      '            - dynamodb:UpdateItem',
      '            - dynamodb:DeleteItem',
      '          Resource: !GetAtt IdempotencyTable.Arn',
    ],
    [
      '          functionResponseType: ReportBatchItemFailures',
      '    environment:',
      '      IDEMPOTENCY_TABLE: !Ref IdempotencyTable',
    ],
    [
      '    IdempotencyTable:',
      '      Type: AWS::DynamoDB::Table',
      '      Properties:',
      '        BillingMode: PAY_PER_REQUEST',
      '        AttributeDefinitions:',
      '          - AttributeName: id',
      '            AttributeType: S',
      '        KeySchema:',
      '          - AttributeName: id',
      '            KeyType: HASH',
      '        # Powertools writes the expiry time of each record here; DynamoDB deletes expired records',
      '        TimeToLiveSpecification:',
      '          AttributeName: expiration',
      '          Enabled: true',
    ],
  ].map((lines) => lines.map((l) => `${l}\n`).join(''));

  it('adds the IAM grant, ReportBatchItemFailures, the env var and the table with TTL; every other byte kept', () => {
    expect(out.after).toContain(
      `          Resource: !GetAtt OrdersBus.Arn\n        - Effect: Allow\n          Action: sqs:SendMessage\n          Resource: !GetAtt PaymentsQueue.Arn\n${blocks[0]}`,
    );
    expect(out.after).toContain(`          batchSize: 10\n${blocks[1]}`);
    expect(out.after.endsWith(`            KeyType: HASH\n${blocks[2]}`)).toBe(true);
    let back = out.after;
    for (const b of blocks) back = back.replace(b, '');
    expect(back).toBe(EXAMPLE);
    expect(parseYaml(out.after).ok).toBe(true);
    expect(out.added).toEqual([
      'processPayment: its SQS event reports partial batch failures',
      'IdempotencyTable: a DynamoDB table with TTL on expiration',
      'processPayment: IDEMPOTENCY_TABLE names the table',
      'processPayment: may read and write IdempotencyTable',
    ]);
  });

  it('is idempotent', () => {
    expect(after(out.after, 'processPayment').after).toBe(out.after);
  });

  const left: Array<{ name: string; text: string; fn: string; error: RegExp }> = [
    { name: 'no such function', text: EXAMPLE, fn: 'other', error: /function other is not in this serverless.yml/ },
    { name: 'an http function has no SQS event', text: EXAMPLE, fn: 'createOrder', error: /has no sqs event/ },
    {
      name: 'a bare-ARN sqs event',
      text: 'functions:\n  worker:\n    handler: src/w.handler\n    events:\n      - sqs: arn:aws:sqs:eu-west-1:1:q\n',
      fn: 'worker',
      error: /bare ARN/,
    },
    {
      name: 'a function with a role of its own',
      text: 'functions:\n  worker:\n    handler: src/w.handler\n    role: arn:aws:iam::1:role/x\n    events:\n      - sqs:\n          arn: q\n',
      fn: 'worker',
      error: /role of its own/,
    },
  ];
  it.each(left)('says why and changes nothing: $name', ({ text, fn, error }) => {
    const r = serverlessNeed(text, fn, NEED);
    expect('error' in r && r.error).toMatch(error);
  });

  it('grants in the per-function iamRoleStatements when the service keeps them there, and creates what is missing', () => {
    const text =
      'service: s\nfunctions:\n  worker:\n    handler: w.handler\n    iamRoleStatements:\n      - Effect: Allow\n        Action: s3:GetObject\n        Resource: "*"\n    events:\n      - sqs:\n          arn: q\n';
    const r = after(text, 'worker');
    expect(r.after).toContain(
      '        Resource: "*"\n      - Effect: Allow\n        Action:\n          - dynamodb:GetItem',
    );
    expect(r.after).toContain('resources:\n  Resources:\n    IdempotencyTable:\n');
    expect(parseYaml(r.after).ok).toBe(true);
  });

  it('grants SSM parameters on the path for breaker state', () => {
    const r = after(EXAMPLE, 'processPayment', { kind: 'ssm-parameters', pathPrefix: '/resilience/breakers/' });
    expect(r.after).toContain(
      '            - ssm:GetParameter\n            - ssm:PutParameter\n          Resource: arn:aws:ssm:${aws:region}:${aws:accountId}:parameter/resilience/breakers/*\n',
    );
    expect(
      after(r.after, 'processPayment', { kind: 'ssm-parameters', pathPrefix: '/resilience/breakers/' }).after,
    ).toBe(r.after);
  });
});
