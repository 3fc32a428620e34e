import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { ledger } from './ledger.js';

const processor = new BatchProcessor(EventType.SQS);

// keyed on the SQS message id: a redelivered message is processed once
const idempotencyConfig = new IdempotencyConfig({ eventKeyJmesPath: 'messageId' });

const persistenceStore = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE });

// one record at a time: a record that throws is reported back to SQS as a batch item failure
const recordHandler = makeIdempotent(async (record) => {
  await ledger.append(JSON.parse(record.body));
}, { persistenceStore, config: idempotencyConfig });

export const handler = async (event, context) => {
  idempotencyConfig.registerLambdaContext(context);
  return processPartialResponse(event, recordHandler, processor, { context });
};
