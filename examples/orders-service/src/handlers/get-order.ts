import type { APIGatewayProxyHandler } from 'aws-lambda';
import { GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { dynamo, ORDERS_TABLE } from '../lib/db';

type OrderItem = Record<string, AttributeValue>;

function toOrder(item: OrderItem) {
  return {
    orderId: item.orderId?.S,
    status: item.status?.S,
    totalCents: Number(item.totalCents?.N ?? 0),
    currency: item.currency?.S,
    createdAt: item.createdAt?.S,
  };
}

export const handler: APIGatewayProxyHandler = async (event) => {
  const orderId = event.pathParameters?.id;
  if (!orderId) return { statusCode: 400, body: JSON.stringify({ message: 'order id is required' }) };

  let item: OrderItem | undefined;
  try {
    const result = await dynamo.send(new GetItemCommand({ TableName: ORDERS_TABLE, Key: { orderId: { S: orderId } } }));
    item = result.Item;
  } catch {
    // The store is down or throttling: tell the client to come back rather than that the order is gone.
    return { statusCode: 503, headers: { 'Retry-After': '5' }, body: JSON.stringify({ message: 'orders are temporarily unavailable' }) };
  }

  if (!item) return { statusCode: 404, body: JSON.stringify({ message: 'order not found' }) };
  return { statusCode: 200, body: JSON.stringify(toOrder(item)) };
};
