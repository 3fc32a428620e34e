import axios from 'axios';
import type { SQSEvent, SQSHandler } from 'aws-lambda';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { paymentsBreaker } from '../lib/breaker';
import { dynamo, ORDERS_TABLE } from '../lib/db';

interface CapturePaymentMessage {
  orderId: string;
  paymentId: string;
  amountCents: number;
  currency: string;
}

interface Capture {
  captureId: string;
  status: 'captured' | 'failed';
}

const PAYMENTS_URL = process.env.PAYMENTS_URL ?? 'http://localhost:4001';

export const handler: SQSHandler = async (event: SQSEvent) => {
  for (const record of event.Records) {
    try {
      const message = JSON.parse(record.body) as CapturePaymentMessage;
      const { data: capture } = await paymentsBreaker.execute(() =>
        axios.post<Capture>(`${PAYMENTS_URL}/payments/${message.paymentId}/capture`, { amountCents: message.amountCents }, { timeout: 5000 }),
      );
      await dynamo.send(
        new PutItemCommand({
          TableName: ORDERS_TABLE,
          Item: {
            orderId: { S: message.orderId },
            status: { S: capture.status === 'captured' ? 'PAID' : 'PAYMENT_FAILED' },
            captureId: { S: capture.captureId },
            totalCents: { N: String(message.amountCents) },
            currency: { S: message.currency },
            updatedAt: { S: new Date().toISOString() },
          },
        }),
      );
    } catch (err) {
      console.error(`could not process message ${record.messageId}`, err);
    }
  }
};
