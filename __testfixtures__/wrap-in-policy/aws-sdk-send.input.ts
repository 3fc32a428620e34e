import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const ddb = new DynamoDBClient({ region: process.env.AWS_REGION });
const doc = DynamoDBDocumentClient.from(ddb);
const s3 = new S3Client();

export async function load(id: string) {
  const item = await ddb.send(new GetItemCommand({ TableName: 'items', Key: { id: { S: id } } }));
  const { Item } = await doc.send(new GetCommand({ TableName: 'items', Key: { id } }));
  return { item, Item };
}

export async function save(key: string, body: string): Promise<void> {
  const command = new PutObjectCommand({ Bucket: 'uploads', Key: key, Body: body });
  await s3.send(command);
}

export async function download(key: string) {
  // a streamed body: skipped, the policy would abort it on return
  const out = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: key }));
  return out.Body;
}
