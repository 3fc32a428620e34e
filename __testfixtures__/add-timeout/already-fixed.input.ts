import axios from 'axios';
import got from 'got';
import { S3Client } from '@aws-sdk/client-s3';

const api = axios.create({ baseURL: 'https://api.example.com', timeout: 3000 });
const s3 = new S3Client({
  requestHandler: { requestTimeout: 5000, connectionTimeout: 1000, throwOnRequestTimeout: true },
});

export async function load(id: string, signal: AbortSignal) {
  const user = await api.get(`/users/${id}`);
  const prices = await fetch('https://prices.example.com', { signal: AbortSignal.any([signal, AbortSignal.timeout(5000)]) });
  const stock = await got('https://stock.example.com', { timeout: { request: 5000 } });
  const direct = await axios.get('https://direct.example.com', { timeout: 1000 });
  return { user, prices, stock, direct, s3 };
}
