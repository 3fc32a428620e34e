import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYaml } from '../yaml-tags';
import { addIdempotencyInfra } from '../fix-idempotency';

const EXAMPLE = fs.readFileSync(path.resolve(__dirname, '../../../examples/orders-service/serverless.yml'), 'utf8');

describe('addIdempotencyInfra (serverless.yml)', () => {
  const out = addIdempotencyInfra(EXAMPLE, 'src/handlers/process-payment', 'handler');

  const blocks = [
    ['        - Effect: Allow', '          Action:', '            - dynamodb:GetItem', '            - dynamodb:PutItem', '            - dynamodb:UpdateItem',
      '            - dynamodb:DeleteItem', '          Resource: !GetAtt IdempotencyTable.Arn'],
    ['          functionResponseType: ReportBatchItemFailures', '    environment:', '      IDEMPOTENCY_TABLE: !Ref IdempotencyTable'],
    ['    IdempotencyTable:', '      Type: AWS::DynamoDB::Table', '      Properties:', '        BillingMode: PAY_PER_REQUEST', '        AttributeDefinitions:',
      '          - AttributeName: id', '            AttributeType: S', '        KeySchema:', '          - AttributeName: id', '            KeyType: HASH',
      '        # Powertools writes the expiry time of each record here; DynamoDB deletes expired records',
      '        TimeToLiveSpecification:', '          AttributeName: expiration', '          Enabled: true'],
  ].map((lines) => lines.map((l) => `${l}\n`).join(''));

  it('adds the IAM grant, ReportBatchItemFailures, the env var and the table with TTL; every other byte kept', () => {
    expect(out.after).toContain(`          Resource: !GetAtt OrdersBus.Arn\n        - Effect: Allow\n          Action: sqs:SendMessage\n          Resource: !GetAtt PaymentsQueue.Arn\n${blocks[0]}`);
    expect(out.after).toContain(`          batchSize: 10\n${blocks[1]}`);
    expect(out.after.endsWith(`            KeyType: HASH\n${blocks[2]}`)).toBe(true);
    let back = out.after;
    for (const b of blocks) back = back.replace(b, '');
    expect(back).toBe(EXAMPLE);
    expect(parseYaml(out.after).ok).toBe(true);
    expect(out.notes).toHaveLength(2);
  });

  it('is idempotent', () => {
    expect(addIdempotencyInfra(out.after, 'src/handlers/process-payment', 'handler').after).toBe(out.after);
  });

  const left: Array<{ name: string; text: string; module: string; note: RegExp }> = [
    { name: 'no function runs the handler', text: EXAMPLE, module: 'src/handlers/other', note: /no function in serverless.yml runs/ },
    {
      name: 'a bare-ARN sqs event',
      text: 'functions:\n  worker:\n    handler: src/w.handler\n    events:\n      - sqs: arn:aws:sqs:eu-west-1:1:q\n',
      module: 'src/w',
      note: /bare ARN/,
    },
  ];
  it.each(left)('leaves the file unchanged: $name', ({ text, module, note }) => {
    const r = addIdempotencyInfra(text, module, 'handler');
    expect(r.after).toBe(text);
    expect(r.notes.join('\n')).toMatch(note);
  });
});
