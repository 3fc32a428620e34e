import got from 'got';
import ky from 'ky';
import https from 'node:https';
import { request } from 'node:http';

export const client = got.extend({ prefixUrl: 'https://inventory.example.com', timeout: { request: 6000 } });

export async function stock(sku) {
  const direct = await got(`https://stock.example.com/${sku}`, { timeout: { request: 6000 } }).json();
  const posted = await got.post('https://stock.example.com', { json: { sku }, timeout: { request: 6000 } });
  const slow = await ky.get('https://reports.example.com', { timeout: 6000 }).json();
  return { direct, posted, slow };
}

export function ping(host) {
  const req = https.request({ host, path: '/health', method: 'GET', signal: AbortSignal.timeout(6000) }, (res) => {
    res.resume();
  });
  req.end();
  https.get('https://status.example.com', { signal: AbortSignal.timeout(6000) }, (res) => res.resume());
  request('http://localhost:8080/metrics', { signal: AbortSignal.timeout(6000) }, (res) => res.resume()).end();
}
