import type { SQSEvent, SQSHandler } from 'aws-lambda';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { dynamo } from './db';
import { logger } from './resilience/logger';

interface CaptureMessage {
  orderId: string;
  amountCents: number;
}

export const handler: SQSHandler = async (event: SQSEvent) => {
  for (const record of event.Records) {
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
    }
  }
};
