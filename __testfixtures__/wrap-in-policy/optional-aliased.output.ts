import httpClient from 'axios';
import { policyFor } from './resilience/policies';
import { PutObjectCommand as Put, S3Client as Storage } from '@aws-sdk/client-s3';

interface Row { id: string }

const storage = new Storage({ region: 'eu-west-1', maxAttempts: 1 });

export async function upload(key: string, client?: Storage) {
  await policyFor('s3', { retry: false }).execute(({ signal }) => client?.send(new Put({ Bucket: 'b', Key: key }), { abortSignal: signal }));
  await policyFor('s3').execute(({ signal }) => storage.send(new Put({ Bucket: 'b', Key: key }), { abortSignal: signal }));
  const rows = await policyFor('rows.example.com').execute(({ signal }) => httpClient.get<Row[]>('https://rows.example.com/rows', { signal }));
  return rows.data;
}
