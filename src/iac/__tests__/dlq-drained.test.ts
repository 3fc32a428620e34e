import { describe, expect, it } from 'vitest';
import { scanTexts } from './scan-fixture';

/* dlq-without-redrive: a dead-letter queue that a function reads is drained, not parked. */

const sls = (dlqConsumer: boolean) => `service: s
provider:
  name: aws
functions:
  worker:
    handler: w.handler
    reservedConcurrency: 2
    events:
      - sqs:
          arn: !GetAtt Jobs.Arn
          maximumConcurrency: 2
${dlqConsumer ? '  drain:\n    handler: d.handler\n    reservedConcurrency: 1\n    events:\n      - sqs:\n          arn: !GetAtt JobsDlq.Arn\n          maximumConcurrency: 2\n' : ''}resources:
  Resources:
    Jobs:
      Type: AWS::SQS::Queue
      Properties:
        RedrivePolicy:
          deadLetterTargetArn: !GetAtt JobsDlq.Arn
          maxReceiveCount: 3
    JobsDlq:
      Type: AWS::SQS::Queue
`;

const redrive = (text: string) =>
  scanTexts({ 'serverless.yml': text })
    .findings.filter((f) => f.ruleId === 'dlq-without-redrive')
    .map((f) => f.line);

describe('dlq-without-redrive on drained dead-letter queues', () => {
  it('a dead-letter queue nothing reads: reported', () => {
    expect(redrive(sls(false))).toEqual([20]);
  });
  it('a dead-letter queue a function consumes: not reported', () => {
    expect(redrive(sls(true))).toEqual([]);
  });
});
