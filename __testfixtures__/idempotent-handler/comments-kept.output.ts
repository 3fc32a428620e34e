// Consumes refund requests.
import type { SQSHandler, SQSRecord } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { refund } from './payments';

const processor = new BatchProcessor(EventType.SQS);

// keyed on the SQS message id: a redelivered message is processed once
const idempotencyConfig = new IdempotencyConfig({ eventKeyJmesPath: 'messageId' });

const persistenceStore = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE! });

// one message per refund
// one record at a time: a record that throws is reported back to SQS as a batch item failure
const recordHandler = makeIdempotent(async (record: SQSRecord) => {
  // the body is the refund request as JSON
  const request = JSON.parse(record.body);
  await refund(request); // calls the payments API
}, { persistenceStore, config: idempotencyConfig });

export const handler: SQSHandler = async (event, context) => {
  idempotencyConfig.registerLambdaContext(context);
  return processPartialResponse(event, recordHandler, processor, { context });
};
