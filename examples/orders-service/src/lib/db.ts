import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

// Created once per container so that warm invocations reuse its connections.
export const dynamo = new DynamoDBClient({});

export const ORDERS_TABLE = process.env.ORDERS_TABLE ?? 'orders-service-orders-dev';
