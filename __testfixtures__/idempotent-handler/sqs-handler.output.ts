import type { SQSEvent, SQSHandler, SQSRecord } from 'aws-lambda';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamo } from './db';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { logger } from './resilience/logger';

interface CaptureMessage {
  orderId: string;
  amountCents: number;
}

const processor = new BatchProcessor(EventType.SQS);

// keyed on the SQS message id: a redelivered message is processed once
const idempotencyConfig = new IdempotencyConfig({ eventKeyJmesPath: 'messageId' });

const persistenceStore = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE! });

// one record at a time: a record that throws is reported back to SQS as a batch item failure
const recordHandler = makeIdempotent(async (record: SQSRecord) => {
  try {
    const message = JSON.parse(record.body) as CaptureMessage;
    await dynamo.send(
      new PutItemCommand({
        TableName: 'orders',
        Item: { orderId: { S: message.orderId }, totalCents: { N: String(message.amountCents) } },
      }),
    );
  } catch (err) {
    logger.error('could not process message', { messageId: record.messageId, error: err });
    throw err;
  }
}, { persistenceStore, config: idempotencyConfig });

export const handler: SQSHandler = async (event: SQSEvent, context) => {
  idempotencyConfig.registerLambdaContext(context);
  return processPartialResponse(event, recordHandler, processor, { context });
};
