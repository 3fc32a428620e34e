import { describe, expect, it } from 'vitest';
import detector from '../timeouts';
import { detect } from '../../test/helpers/detect';
import { testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';

const invalid: InvalidCase[] = [
  {
    name: 'default axios calls without a timeout (TS)',
    code: `
import axios from 'axios';
export async function charge(id: string, body: unknown) {
  await axios.get('https://api.stripe.com/v1/charges/' + id);
  await axios.post('https://api.stripe.com/v1/charges', body, { headers: { a: '1' } });
  await axios({ url: '/x', method: 'get' });
}`,
    errors: [
      { messageId: 'callWithoutTimeout', line: 3, column: 9 },
      { messageId: 'callWithoutTimeout', line: 4, column: 9 },
      { messageId: 'callWithoutTimeout', line: 5, column: 9 },
    ],
  },
  {
    name: 'axios through require (CommonJS)',
    filename: 'src/client.js',
    code: `
const axios = require('axios');
module.exports.load = async (url) => {
  const { data } = await axios.get(url);
  return data;
};`,
    errors: [{ messageId: 'callWithoutTimeout', line: 3, column: 26 }],
  },
  {
    name: 'axios instance without timeout is reported once, where it is made',
    code: `
import axios from 'axios';
const paymentsClient = axios.create({ baseURL: process.env.PAYMENTS_SERVICE_URL });
export const pay = (b: unknown) => paymentsClient.post('/pay', b);
export const refund = (b: unknown) => paymentsClient.post('/refund', b);`,
    errors: [{ messageId: 'clientWithoutTimeout', line: 2, column: 24 }],
  },
  {
    name: 'axios instance on this, and a call that turns its timeout off',
    code: `
import axios from 'axios';
class Billing {
  private http = axios.create({ timeout: 2000 });
  constructor() { this.client = axios.create({ baseURL: 'https://billing.internal' }); }
  load() { return this.http.get('/a', { timeout: 0 }); }
  save() { return this.client.put('/b', {}); }
}`,
    errors: [
      { messageId: 'clientWithoutTimeout', line: 4, column: 33 },
      { messageId: 'callTimeoutOff', line: 5, column: 19 },
    ],
  },
  {
    name: 'axios.defaults.timeout = 0 is reported at the assignment only',
    filename: 'src/setup.js',
    code: `
const axios = require('axios').default;
axios.defaults.timeout = 0;
exports.ping = () => axios.get('https://status.example.com');`,
    errors: [{ messageId: 'axiosDefaultsTimeoutOff', line: 2, column: 1 }],
  },
  {
    name: 'global fetch without a signal; fetch timeout is not an option',
    code: `
export async function ask(prompt: string) {
  const a = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', body: prompt });
  const b = await fetch('https://example.com', { timeout: 5000 });
  const c = await globalThis.fetch(\`\${process.env.USERS_SERVICE_URL}/users\`);
  return [a, b, c];
}`,
    errors: [
      { messageId: 'callWithoutSignal', line: 2, column: 19 },
      { messageId: 'callWithoutSignal', line: 3, column: 19 },
      { messageId: 'callWithoutSignal', line: 4, column: 19 },
    ],
  },
  {
    name: 'undici request and fetch',
    filename: 'src/u.mjs',
    code: `
import { request, fetch } from 'undici';
export const a = () => request('https://a.example.com');
export const b = () => fetch('https://b.example.com', { method: 'POST' });`,
    errors: [
      { messageId: 'callWithoutSignal', line: 2, column: 24 },
      { messageId: 'callWithoutSignal', line: 3, column: 24 },
    ],
  },
  {
    name: 'got calls and instances without timeout; ky with timeout: false',
    code: `
import got from 'got';
import ky from 'ky';
const github = got.extend({ prefixUrl: 'https://api.github.com' });
export const repos = () => github.get('repos');
export const post = () => got.post('https://hooks.example.com', { json: {} });
export const slow = () => ky.get('https://slow.example.com', { timeout: false });
const api = ky.create({ prefixUrl: 'https://x.example.com', timeout: false });`,
    errors: [
      { messageId: 'clientWithoutTimeout', line: 3, column: 16 },
      { messageId: 'callWithoutTimeout', line: 5, column: 27 },
      { messageId: 'callTimeoutOff', line: 6, column: 27 },
      { messageId: 'clientTimeoutOff', line: 7, column: 13 },
    ],
  },
  {
    name: 'http/https request without timeout or setTimeout',
    filename: 'src/raw.js',
    code: `
const https = require('node:https');
const { get } = require('http');
function call(body) {
  const req = https.request({ host: 'api.example.com', method: 'POST' }, (res) => res.resume());
  req.end(body);
  get('http://localhost:8080/health', (res) => res.resume());
}`,
    errors: [
      { messageId: 'callWithoutTimeout', line: 4, column: 15 },
      { messageId: 'callWithoutTimeout', line: 6, column: 3 },
    ],
  },
  {
    name: 'AWS SDK v3 clients without requestHandler timeouts (once per construction)',
    code: `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const s3 = new S3Client();
const sqs = new SQSClient({ requestHandler: new NodeHttpHandler({ maxSockets: 50 }) });
export const get = async () => { await ddb.send(new GetCommand({ TableName: 't', Key: {} })); await ddb.send(new GetCommand({ TableName: 'u', Key: {} })); };`,
    errors: [
      { messageId: 'clientWithoutTimeout', line: 6, column: 41 },
      { messageId: 'clientWithoutTimeout', line: 7, column: 12 },
      { messageId: 'clientWithoutTimeout', line: 8, column: 13 },
    ],
  },
  {
    name: 'database drivers without connect/query timeouts',
    filename: 'src/db.js',
    code: `
const { Pool } = require('pg');
const mysql = require('mysql2/promise');
const Redis = require('ioredis');
const mongoose = require('mongoose');
const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const my = mysql.createPool({ host: 'db', user: 'app' });
const redis = new Redis(process.env.REDIS_URL);
mongoose.connect(process.env.MONGO_URI);`,
    errors: [
      { messageId: 'clientWithoutTimeout', line: 5, column: 14 },
      { messageId: 'clientWithoutTimeout', line: 6, column: 12 },
      { messageId: 'clientWithoutTimeout', line: 7, column: 15 },
      { messageId: 'clientWithoutTimeout', line: 8, column: 1 },
    ],
  },
  {
    name: 'the deployed AWS client beside a local-emulator one; endpoints that are not the local machine',
    filename: 'src/clients.js',
    code: `
const AWS = require('aws-sdk');
const { SQSClient } = require('@aws-sdk/client-sqs');
function topic() {
  if (process.env.IS_OFFLINE) return new AWS.SNS({ endpoint: 'http://localhost:4002' });
  return new AWS.SNS();
}
const queue = new SQSClient({ endpoint: process.env.SQS_ENDPOINT });
const table = new AWS.DynamoDB({ endpoint: 'https://dynamodb.eu-west-1.amazonaws.com' });
const bucket = new AWS.S3({ endpoint: 'http://minio:9000' });`,
    errors: [
      { messageId: 'clientWithoutTimeout', line: 5, column: 10 },
      { messageId: 'clientWithoutTimeout', line: 7, column: 15 },
      { messageId: 'clientWithoutTimeout', line: 8, column: 15 },
      { messageId: 'clientWithoutTimeout', line: 9, column: 16 },
    ],
  },
];

const valid: DetectorTestCase[] = [
  {
    name: 'AWS clients pointed at a local emulator (loopback or Docker-host endpoint)',
    code: `
import AWS from 'aws-sdk';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
const LOCAL_DYNAMO = 'http://127.0.0.1:8000';
const port = process.env.LOCALSTACK_PORT ?? 4566;
export const sns = new AWS.SNS({ endpoint: 'http://localhost:4002' });
export const docs = new AWS.DynamoDB.DocumentClient({ region: 'localhost', endpoint: LOCAL_DYNAMO });
export const ses = new AWS.SESV2({ endpoint: new AWS.Endpoint('http://[::1]:8005') });
export const ddb = new DynamoDBClient({ endpoint: \`http://localhost:\${port}\` });
export const s3 = new S3Client({ endpoint: 'http://host.docker.internal:4566', forcePathStyle: true });
export const sqs = new AWS.SQS({ endpoint: 'http://0.0.0.0:9324' });
export const kinesis = new AWS.Kinesis({ endpoint: 'http://localstack:4566' });
export const table = new DynamoDBClient({ endpoint: 'http://dynamodb-local:8000' });`,
  },
  {
    name: 'axios with per-call, instance and defaults timeouts',
    code: `
import axios from 'axios';
axios.defaults.timeout = 5000;
const users = axios.create({ baseURL: 'https://users.internal', timeout: 3000 });
const orders = axios.create({ baseURL: 'https://orders.internal' });
export async function load(id: string) {
  await axios.get('https://api.example.com/a');
  await users.get('/u/' + id);
  await orders.get('/o', { timeout: 1000 });
  await axios.post('https://api.example.com/b', {}, { signal: AbortSignal.timeout(2000) });
}`,
  },
  {
    name: 'axios config out of sight is not guessed',
    code: `
import axios, { type AxiosRequestConfig } from 'axios';
export async function load(url: string, opts: AxiosRequestConfig, base: AxiosRequestConfig, config: AxiosRequestConfig) {
  const api = axios.create(config);
  await api.get(url);
  await axios.get(url, opts);
  await axios.get(url, { ...base });
  await axios(config);
}`,
  },
  {
    name: 'fetch look-alikes and fetch with a signal',
    code: `
import { fetchUser } from './users';
function fetch(key: string) { return cache[key]; }
export async function run(this: any, cache: any, key: string, signal: AbortSignal) {
  await this.fetch(key);
  await cache.fetch(key);
  await fetch(key);
  await fetchUser(key);
}
export const withSignal = (signal: AbortSignal) => globalThis.fetch('https://a.example.com', { signal });`,
  },
  {
    name: 'fetch shadowed by a parameter; fetch with AbortSignal.timeout (CommonJS)',
    filename: 'src/f.js',
    code: `
function make(fetch) {
  return (url) => fetch(url);
}
async function load(url) {
  return fetch(url, { signal: AbortSignal.timeout(3000) });
}
module.exports = { make, load };`,
  },
  {
    name: 'ky default timeout, got with timeout, http with setTimeout',
    code: `
import ky from 'ky';
import got from 'got';
import https from 'https';
import pTimeout from 'p-timeout';
export async function run() {
  await ky.get('https://a.example.com').json();
  await got('https://b.example.com', { timeout: { request: 5000 } });
  const req = https.request({ host: 'c.example.com' }, () => {});
  req.setTimeout(5000);
  https.get('https://d.example.com', { timeout: 2000 }, () => {});
  https.get({ host: 'e.example.com', agent: keepAliveAgent }, () => {});
  await pTimeout(fetch('https://f.example.com'), { milliseconds: 2000 });
  await Promise.race([got('https://g.example.com'), sleep(1000)]);
}`,
  },
  {
    name: 'AWS clients with timeouts or a config out of sight',
    code: `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { clientConfig } from './aws';
const ddb = new DynamoDBClient({ requestHandler: { requestTimeout: 3000, connectionTimeout: 1000 } });
const s3 = new S3Client({ requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 5000 }) });
const sqs = new SQSClient(clientConfig);
const cmd = new GetObjectCommand({ Bucket: 'b', Key: 'k' });`,
  },
  {
    name: 'database drivers with timeouts; look-alike modules',
    filename: 'src/db.js',
    code: `
const { Pool } = require('pg');
const mysql = require('mysql2');
const Redis = require('ioredis');
const mongoose = require('mongoose');
const axios = require('./lib/axios-stub');
const pool = new Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5000 });
const my = mysql.createConnection({ host: 'db', connectTimeout: 5000 });
const redis = new Redis({ host: 'r', commandTimeout: 1000 });
mongoose.connect(process.env.MONGO_URI, { serverSelectionTimeoutMS: 5000 });
axios.get('https://x.example.com');
const routes = new Map(); routes.get('x');`,
  },
  {
    name: 'jose remote key set has its own default timeout',
    code: `
import { createRemoteJWKSet, jwtVerify } from 'jose';
const jwks = createRemoteJWKSet(new URL('https://idp.example.com/.well-known/jwks.json'));
export const verify = (t: string) => jwtVerify(t, jwks);`,
  },
];

testDetector('timeouts detector (no-timeout)', detector, { valid, invalid });

describe('timeouts detector (no-timeout)', () => {
  it('describes the dependency and the fix form', () => {
    const [f] = detect(
      detector,
      `import axios from 'axios';\nconst paymentsClient = axios.create({ baseURL: process.env.PAYMENTS_SERVICE_URL });\n`,
    );
    expect(f).toMatchObject({
      ruleId: 'no-timeout',
      line: 2,
      dependency: { name: 'payments API', category: 'internal-api' },
      data: { client: 'axios', form: 'instance', variable: 'paymentsClient' },
    });
    const [g] = detect(
      detector,
      `import { SQSClient } from '@aws-sdk/client-sqs';\nexport const sqs = new SQSClient({});\n`,
    );
    expect(g).toMatchObject({
      dependency: { name: 'SQS', category: 'event-bus' },
      data: { client: 'aws-sdk', form: 'client' },
    });
  });
});
