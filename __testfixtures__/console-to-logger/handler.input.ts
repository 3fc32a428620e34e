import type { SQSEvent } from 'aws-lambda';

interface Order {
  id: string;
  total: number;
}

export async function handler(event: SQSEvent): Promise<void> {
  console.log('Received batch');
  for (const record of event.Records) {
    const order = JSON.parse(record.body) as Order;
    console.info(`Processing order ${order.id} for ${order.total}`);
    try {
      await save(order);
    } catch (err) {
      console.error('Failed to save order', err);
      throw err;
    }
  }
  console.warn('Batch size', event.Records.length);
  console.debug('raw event', { event });
}

async function save(order: Order): Promise<void> {
  if (!order.id) console.error(new Error('missing id'));
}
