import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyHandler } from 'aws-lambda';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { chargeCard } from '../clients/payments-client';
import { dynamo, ORDERS_TABLE } from '../lib/db';
import { parseOrderRequest } from '../util/parse';

const jwks = createRemoteJWKSet(new URL(process.env.JWKS_URL!));
const eventBridge = new EventBridgeClient({});
const sqs = new SQSClient({ region: process.env.AWS_REGION });

export const handler: APIGatewayProxyHandler = async (event) => {
  const token = (event.headers.Authorization ?? event.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
  let customerId: string;
  try {
    const { payload } = await jwtVerify(token, jwks, { issuer: process.env.JWT_ISSUER, audience: 'orders-api' });
    customerId = String(payload.sub);
  } catch (err) {
    console.warn('rejected token', err);
    return { statusCode: 401, body: JSON.stringify({ message: 'Unauthorized' }) };
  }

  const request = parseOrderRequest(event.body);
  if (!request.ok) return { statusCode: 400, body: JSON.stringify({ message: request.error }) };
  const { currency, lines, totalCents } = request.value;

  const orderId = randomUUID();
  const charge = await chargeCard({ orderId, customerId, amountCents: totalCents, currency });
  if (charge.status === 'declined') return { statusCode: 402, body: JSON.stringify({ orderId, message: 'payment declined' }) };

  await dynamo.send(
    new PutItemCommand({
      TableName: ORDERS_TABLE,
      Item: {
        orderId: { S: orderId },
        customerId: { S: customerId },
        status: { S: 'PENDING_PAYMENT' },
        totalCents: { N: String(totalCents) },
        currency: { S: currency },
        lines: { S: JSON.stringify(lines) },
        createdAt: { S: new Date().toISOString() },
      },
      ConditionExpression: 'attribute_not_exists(orderId)',
    }),
  );

  // Capture happens asynchronously in processPayment.
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: process.env.PAYMENTS_QUEUE_URL,
      MessageBody: JSON.stringify({ orderId, paymentId: charge.paymentId, amountCents: totalCents, currency }),
    }),
  );

  await eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: process.env.EVENT_BUS_NAME,
          Source: 'orders-service',
          DetailType: 'OrderCreated',
          Detail: JSON.stringify({ orderId, customerId, totalCents, currency }),
        },
      ],
    }),
  );

  console.log(`order ${orderId} created for customer ${customerId}`);
  return { statusCode: 201, body: JSON.stringify({ orderId, status: 'PENDING_PAYMENT' }) };
};
