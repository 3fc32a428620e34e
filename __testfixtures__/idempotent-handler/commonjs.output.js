'use strict';

const { logger } = require('./resilience/logger');
const { BatchProcessor, EventType, processPartialResponse } = require('@aws-lambda-powertools/batch');
const { IdempotencyConfig, makeIdempotent } = require('@aws-lambda-powertools/idempotency');
const { DynamoDBPersistenceLayer } = require('@aws-lambda-powertools/idempotency/dynamodb');
const { charge } = require('./payments');

const processor = new BatchProcessor(EventType.SQS);

// keyed on the SQS message id: a redelivered message is processed once
const idempotencyConfig = new IdempotencyConfig({ eventKeyJmesPath: 'messageId' });

const persistenceStore = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE });

// one record at a time: a record that throws is reported back to SQS as a batch item failure
const recordHandler = makeIdempotent(async ({ body, messageId }) => {
  try {
    await charge(JSON.parse(body));
  } catch (error) {
    logger.error('charge failed', { messageId });
    throw error;
  }
}, { persistenceStore, config: idempotencyConfig });

exports.handler = async (event, context) => {
  idempotencyConfig.registerLambdaContext(context);
  return processPartialResponse(event, recordHandler, processor, { context });
};
