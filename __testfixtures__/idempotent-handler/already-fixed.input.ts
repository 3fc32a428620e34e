import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { ship } from './shipping';

const processor = new BatchProcessor(EventType.SQS);
const idempotencyConfig = new IdempotencyConfig({ eventKeyJmesPath: 'messageId' });
const persistenceStore = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE! });

const recordHandler = makeIdempotent(async (record: SQSRecord) => {
  await ship(JSON.parse(record.body));
}, { persistenceStore, config: idempotencyConfig });

export const handler = async (event: SQSEvent, context: Context) => {
  idempotencyConfig.registerLambdaContext(context);
  return processPartialResponse(event, recordHandler, processor, { context });
};
