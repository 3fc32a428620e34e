import { logger } from './resilience/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

const client = new EventBridgeClient({});

export const publish = async (detail, source) => {
  logger.info('Publishing', { source });
  logger.info('publish', { source, detailType: detail.type, details: 42 });
  logger.info('Payload:', { detail });
  logger.info('detail', { detail });
  logger.info("plain message");
  console.table(detail);
  console.log('User %s published', source);
  return client;
};

export const handlers = [1, 2].map((n) => () => logger.debug(`step ${n} of ${compute(n)}`));

function compute(n) {
  return n * 2;
}
