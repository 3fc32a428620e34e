import { describe, expect, it } from 'vitest';
import { scanTexts } from './scan-fixture';

/*
 * A Serverless on-failure destination written as `${self:custom.x}`: the value is followed to
 * where it is written, so the queue it names is known as a dead-letter target (no no-dlq on it,
 * and the alarm it needs is asked for).
 */

const sls = (onFailure: string) => `service: s
provider:
  name: aws
  region: eu-west-1
custom:
  failureArn: arn:aws:sqs:\${self:provider.region}:\${aws:accountId}:failures
  nested:
    arn: \${self:custom.failureArn}
functions:
  question:
    handler: q.handler
    reservedConcurrency: 2
    destinations:
      onFailure: ${onFailure}
    events:
      - sns: questions
resources:
  Resources:
    FailureQueue:
      Type: AWS::SQS::Queue
      Properties:
        QueueName: failures
`;

const rulesAt = (text: string) =>
  scanTexts({ 'serverless.yml': text })
    .findings.filter((f) => f.ruleId === 'no-dlq' || f.ruleId === 'dlq-without-alarm')
    .map((f) => `${f.ruleId}:${f.line}`);

describe('serverless ${self:} variables in on-failure destinations', () => {
  it('a destination given by ${self:custom.failureArn} marks the queue it names as a dead-letter target', () => {
    expect(rulesAt(sls("'${self:custom.failureArn}'"))).toEqual(['dlq-without-alarm:19']);
  });

  it('followed through a variable that names another variable', () => {
    expect(rulesAt(sls("'${self:custom.nested.arn}'"))).toEqual(['dlq-without-alarm:19']);
  });

  it('a variable that names nothing in the file leaves the queue an ordinary queue', () => {
    expect(rulesAt(sls("'${self:custom.missing}'"))).toEqual(['no-dlq:19']);
  });
});
