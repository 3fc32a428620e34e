import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export const ddb = new DynamoDBClient({});
