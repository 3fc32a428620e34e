import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { policyFor } from './resilience/policies';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const ddb = new DynamoDBClient({ region: process.env.AWS_REGION, maxAttempts: 1 });
const doc = DynamoDBDocumentClient.from(ddb);
const s3 = new S3Client();

export async function load(id: string) {
  const item = await policyFor('dynamodb').execute(({ signal }) => ddb.send(new GetItemCommand({ TableName: 'items', Key: { id: { S: id } } }), { abortSignal: signal }));
  const { Item } = await policyFor('dynamodb').execute(({ signal }) => doc.send(new GetCommand({ TableName: 'items', Key: { id } }), { abortSignal: signal }));
  return { item, Item };
}

export async function save(key: string, body: string): Promise<void> {
  const command = new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: body });
  await policyFor('s3', { retry: false }).execute(({ signal }) => s3.send(command, { abortSignal: signal }));
}

export async function download(key: string) {
  // a streamed body: skipped, the policy would abort it on return
  const out = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: key }));
  return out.Body;
}
