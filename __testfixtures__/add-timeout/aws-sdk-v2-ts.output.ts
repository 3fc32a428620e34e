import { DynamoDB, Kinesis } from 'aws-sdk';
import * as AWS from 'aws-sdk';
import Stripe from 'stripe';

// the shared client: one per container
const ddb = new DynamoDB.DocumentClient({
  // region from the environment
  region: process.env.AWS_REGION,
  httpOptions: { connectTimeout: 1000, timeout: 5000 },
});
const kinesis: Kinesis = new Kinesis({
  apiVersion: '2013-12-02', /* pinned */
  httpOptions: { connectTimeout: 1000, timeout: 5000 },
});
const stripe = new Stripe(process.env.STRIPE_KEY as string, { timeout: 6000 });
const tuned = new AWS.Lambda({ httpOptions: { timeout: 3000, connectTimeout: 500 } });

export async function handler(id: string): Promise<unknown> {
  await kinesis.putRecord({ StreamName: 's', PartitionKey: id, Data: id }).promise();
  await tuned.invoke({ FunctionName: 'f' }).promise();
  await stripe.customers.retrieve(id);
  return ddb.get({ TableName: 't', Key: { id } }).promise();
}
