import got from 'got';
import ky from 'ky';
import https from 'node:https';
import { request } from 'node:http';

export const client = got.extend({ prefixUrl: 'https://inventory.example.com' });

export async function stock(sku) {
  const direct = await got(`https://stock.example.com/${sku}`).json();
  const posted = await got.post('https://stock.example.com', { json: { sku } });
  const slow = await ky.get('https://reports.example.com', { timeout: false }).json();
  return { direct, posted, slow };
}

export function ping(host) {
  const req = https.request({ host, path: '/health', method: 'GET' }, (res) => {
    res.resume();
  });
  req.end();
  https.get('https://status.example.com', (res) => res.resume());
  request('http://localhost:8080/metrics', (res) => res.resume()).end();
}
