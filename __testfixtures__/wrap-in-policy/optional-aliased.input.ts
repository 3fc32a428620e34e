import httpClient from 'axios';
import { PutObjectCommand as Put, S3Client as Storage } from '@aws-sdk/client-s3';

interface Row { id: string }

const storage = new Storage({ region: 'eu-west-1', maxAttempts: 1 });

export async function upload(key: string, client?: Storage) {
  await client?.send(new Put({ Bucket: 'b', Key: key }));
  await storage.send(new Put({ Bucket: 'b', Key: key }), {});
  const rows = await httpClient.get<Row[]>('https://rows.example.com/rows');
  return rows.data;
}
