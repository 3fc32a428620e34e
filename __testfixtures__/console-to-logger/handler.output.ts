import { logger } from './resilience/logger';
import type { SQSEvent } from 'aws-lambda';

interface Order {
  id: string;
  total: number;
}

export async function handler(event: SQSEvent): Promise<void> {
  logger.info('Received batch');
  for (const record of event.Records) {
    const order = JSON.parse(record.body) as Order;
    logger.info('Processing order for', { orderId: order.id, orderTotal: order.total });
    try {
      await save(order);
    } catch (err) {
      logger.error('Failed to save order', err as Error);
      throw err;
    }
  }
  logger.warn('Batch size', { recordsLength: event.Records.length });
  logger.debug('raw event', { event });
}

async function save(order: Order): Promise<void> {
  if (!order.id) logger.error('Unexpected error', new Error('missing id'));
}
