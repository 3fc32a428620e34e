import { describe, expect, it } from 'vitest';
import detector from '../dependency-policies';
import { detect, projectFacts } from '../../test/helpers/detect';
import { testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';
import { detectFile } from '../../src/detect/detect-file';

const invalid: InvalidCase[] = [
  {
    name: 'unguarded axios calls: once per dependency and function (TS)',
    code: `
import axios from 'axios';
const paymentsClient = axios.create({ baseURL: 'https://payments.internal', timeout: 2000 });
export async function pay(id: string) {
  await paymentsClient.post('/pay', { id });
  await paymentsClient.post('/audit', { id });
  await axios.get('https://api.fx.example.com/rates');
}
export const refund = (id: string) => paymentsClient.post('/refund', { id });`,
    errors: [
      { ruleId: 'no-circuit-breaker', messageId: 'callWithoutBreaker', line: 4, column: 9 },
      { ruleId: 'no-retry', messageId: 'callNotRetried', line: 4, column: 9 },
      { ruleId: 'no-circuit-breaker', messageId: 'callWithoutBreaker', line: 6, column: 9 },
      { ruleId: 'no-retry', messageId: 'callNotRetried', line: 6, column: 9 },
      { ruleId: 'no-circuit-breaker', messageId: 'callWithoutBreaker', line: 8, column: 39 },
      { ruleId: 'no-retry', messageId: 'callNotRetried', line: 8, column: 39 },
    ],
  },
  {
    name: 'unguarded fetch and https.request (CommonJS)',
    filename: 'src/client.js',
    code: `
const https = require('https');
async function load(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
  return res.json();
}
function raw() { https.request({ host: 'a.example.com', timeout: 1000 }).end(); }
module.exports = { load, raw };`,
    errors: [
      { ruleId: 'no-circuit-breaker', messageId: 'callWithoutBreaker', line: 3, column: 21 },
      { ruleId: 'no-retry', messageId: 'callNotRetried', line: 3, column: 21 },
      { ruleId: 'no-circuit-breaker', messageId: 'callWithoutBreaker', line: 6, column: 18 },
      { ruleId: 'no-retry', messageId: 'callNotRetried', line: 6, column: 18 },
    ],
  },
  {
    name: 'AWS SDK and got retry on their own; got has no breaker, the SDK (retry quota) is not flagged',
    code: `
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import got from 'got';
const ddb = new DynamoDBClient({});
const events = new EventBridgeClient({});
export async function handler() {
  await ddb.send(new GetItemCommand({ TableName: 't', Key: {} }));
  await events.send(new PutEventsCommand({ Entries: [] }));
  await got.get('https://hooks.example.com');
}`,
    errors: [{ ruleId: 'no-circuit-breaker', messageId: 'callWithoutBreaker', line: 9, column: 9 }],
  },
  {
    name: 'a hand-written retry loop counts as a retry, not a breaker',
    code: `
import axios from 'axios';
export async function get(url: string) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await axios.get(url, { timeout: 1000 });
    } catch (err) {
      await new Promise((r) => setTimeout(r, Math.random() * 100));
    }
  }
}`,
    errors: [{ ruleId: 'no-circuit-breaker', messageId: 'callWithoutBreaker', line: 5, column: 20 }],
  },
  {
    name: 'retry-only wrappers: p-retry, async-retry, cockatiel retry, axios-retry',
    code: `
import axios from 'axios';
import pRetry from 'p-retry';
import asyncRetry from 'async-retry';
import axiosRetry from 'axios-retry';
import { retry, handleAll, ExponentialBackoff } from 'cockatiel';
const retryPolicy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });
const users = axios.create({ baseURL: 'https://users.internal', timeout: 1000 });
axiosRetry(users, { retries: 3 });
export const a = () => pRetry(() => fetch('https://a.example.com'), { retries: 3 });
export const b = () => asyncRetry(async () => fetch('https://b.example.com'));
export const c = () => retryPolicy.execute(() => axios.get('https://c.example.com', { timeout: 1000 }));
export const d = () => users.get('/me');`,
    errors: [
      { ruleId: 'no-circuit-breaker', messageId: 'callWithoutBreaker', line: 9, column: 37 },
      { ruleId: 'no-circuit-breaker', messageId: 'callWithoutBreaker', line: 10, column: 47 },
      { ruleId: 'no-circuit-breaker', messageId: 'callWithoutBreaker', line: 11, column: 50 },
      { ruleId: 'no-circuit-breaker', messageId: 'callWithoutBreaker', line: 12, column: 24 },
    ],
  },
  {
    name: 'breaker-only wrappers: opossum and cockatiel circuitBreaker, wrap without retry',
    filename: 'src/breakers.js',
    code: `
const CircuitBreaker = require('opossum');
const { circuitBreaker, timeout, wrap, handleAll, ConsecutiveBreaker, TimeoutStrategy } = require('cockatiel');
const breakerPolicy = circuitBreaker(handleAll, { halfOpenAfter: 10000, breaker: new ConsecutiveBreaker(5) });
const guarded = wrap(breakerPolicy, timeout(2000, TimeoutStrategy.Aggressive));
async function callInventory(sku) { return fetch('https://inventory.example.com/' + sku); }
const inventoryBreaker = new CircuitBreaker(callInventory, { timeout: 3000 });
exports.a = (sku) => inventoryBreaker.fire(sku);
exports.b = () => breakerPolicy.execute(() => fetch('https://b.example.com'));
exports.c = () => guarded.execute(() => fetch('https://c.example.com'));`,
    errors: [
      { ruleId: 'no-retry', messageId: 'callNotRetried', line: 5, column: 44 },
      { ruleId: 'no-retry', messageId: 'callNotRetried', line: 8, column: 47 },
      { ruleId: 'no-retry', messageId: 'callNotRetried', line: 9, column: 41 },
    ],
  },
  {
    name: 'client held by a constructor parameter property',
    code: `
import axios from 'axios';
export class PaymentsGateway {
  constructor(private readonly http = axios.create({ baseURL: 'https://pay.example.com', timeout: 1000 })) {}
  charge(id: string) { return this.http.post('/charges', { id }); }
}`,
    errors: [
      { ruleId: 'no-circuit-breaker', messageId: 'callWithoutBreaker', line: 4, column: 31 },
      { ruleId: 'no-retry', messageId: 'callNotRetried', line: 4, column: 31 },
    ],
  },
  {
    name: 'cockatiel v2-style breaker policy held on this; undici request',
    code: `
import { Policy, ConsecutiveBreaker } from 'cockatiel';
import { request } from 'undici';
export class Search {
  private policy = Policy.handleAll().circuitBreaker(10_000, new ConsecutiveBreaker(5));
  find(q: string) { return this.policy.execute(() => request('https://search.example.com?q=' + q, { headersTimeout: 1000 })); }
  raw(q: string) { return request('https://search.example.com?q=' + q); }
}`,
    errors: [
      { ruleId: 'no-retry', messageId: 'callNotRetried', line: 5, column: 54 },
      { ruleId: 'no-circuit-breaker', messageId: 'callWithoutBreaker', line: 6, column: 27 },
      { ruleId: 'no-retry', messageId: 'callNotRetried', line: 6, column: 27 },
    ],
  },
  {
    name: 'a wrapper that is neither (timeout policy, middleware) protects nothing',
    code: `
import middy from '@middy/core';
import { timeout, TimeoutStrategy } from 'cockatiel';
const t = timeout(2000, TimeoutStrategy.Aggressive);
async function base() {
  return t.execute(({ signal }) => fetch('https://x.example.com', { signal }));
}
export const handler = middy(base);`,
    errors: [
      { ruleId: 'no-circuit-breaker', messageId: 'callWithoutBreaker', line: 5, column: 36 },
      { ruleId: 'no-retry', messageId: 'callNotRetried', line: 5, column: 36 },
    ],
  },
];

const valid: DetectorTestCase[] = [
  {
    name: 'generated policyFor() and a user policy module',
    code: `
import axios from 'axios';
import { policyFor } from './resilience/policy-for';
import { paymentsPolicy } from '../policies';
export async function pay(id: string) {
  await policyFor('payments').execute(() => axios.post('https://payments.internal/pay', { id }, { timeout: 2000 }));
  return paymentsPolicy.execute(({ signal }) => fetch('https://payments.internal/x', { signal }));
}`,
  },
  {
    name: 'cockatiel wrap(retry, circuitBreaker) bound in the file',
    code: `
import { wrap, retry, circuitBreaker, handleAll, ConsecutiveBreaker, ExponentialBackoff } from 'cockatiel';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
const retryPolicy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });
const breakerPolicy = circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });
const policy = wrap(retryPolicy, breakerPolicy);
const inline = wrap(retry(handleAll, { maxAttempts: 2 }), circuitBreaker(handleAll, { halfOpenAfter: 1, breaker: new ConsecutiveBreaker(2) }));
const sqs = new SQSClient({});
export const send = () => policy.execute(() => sqs.send(new SendMessageCommand({ QueueUrl: 'q', MessageBody: 'b' })));
export const get = () => inline.execute(() => fetch('https://a.example.com'));`,
  },
  {
    name: 'named functions and methods called through a policy (CommonJS)',
    filename: 'src/users.js',
    code: `
const axios = require('axios');
const { policies } = require('./resilience');
async function fetchUser(id) { return axios.get('https://users.example.com/' + id, { timeout: 1000 }); }
class Orders {
  async load(id) { return axios.get('https://orders.example.com/' + id, { timeout: 1000 }); }
  get(id) { return policies.orders.execute(() => this.load(id)); }
}
exports.user = (id) => policies.users.execute(() => fetchUser(id));
module.exports.Orders = Orders;`,
  },
  {
    name: 'opossum around p-retry; retry helper and breaker by name',
    code: `
import CircuitBreaker from 'opossum';
import pRetry from 'p-retry';
import { withRetry, breaker } from '../lib/guards';
const b = new CircuitBreaker(() => pRetry(() => fetch('https://a.example.com', { signal: AbortSignal.timeout(1000) })));
export const call = () => b.fire();
export const other = () => breaker.run(() => withRetry(() => fetch('https://b.example.com', { signal: AbortSignal.timeout(1000) })));`,
  },
  {
    name: 'look-alikes: maps, routers, database queries, local fetch methods',
    code: `
import express from 'express';
import { Pool } from 'pg';
const pool = new Pool({ connectionTimeoutMillis: 1000 });
const router = express.Router();
const cache = new Map<string, string>();
router.get('/x', async (req, res) => {
  const rows = await pool.query('select 1');
  res.json({ v: cache.get('k'), rows, f: await (this as any).fetch('k') });
});`,
  },
  {
    name: 'a retried axios default and a breaker wrapper from a policies module',
    filename: 'src/default.js',
    code: `
const axios = require('axios');
const axiosRetry = require('axios-retry').default;
const { withBreaker } = require('./policies/breakers');
axiosRetry(axios, { retries: 3 });
exports.get = () => withBreaker(() => axios.get('https://a.example.com', { timeout: 1000 }));`,
  },
];

testDetector('dependency-policies detector (no-retry, no-circuit-breaker)', detector, { valid, invalid });

describe('dependency-policies detector (no-retry, no-circuit-breaker)', () => {
  it('names the dependency and hints the fix', () => {
    const code = `import axios from 'axios';\nconst paymentsApi = axios.create({ timeout: 1 });\nexport const f = () => paymentsApi.get('/x');\n`;
    const findings = detect(detector, code);
    expect(findings.find((f) => f.ruleId === 'no-retry')).toMatchObject({
      line: 3,
      message: 'paymentsApi.get() to the payments API is not retried',
      dependency: { name: 'payments API', category: 'external-api' },
      data: { client: 'axios', form: 'call', callee: 'paymentsApi.get' },
    });
  });

  it('records dependencies and resilience libraries as file facts', () => {
    const text = [
      "import { retry, handleAll } from 'cockatiel';",
      "import { Logger } from '@aws-lambda-powertools/logger';",
      "import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';",
      "import { Pool } from 'pg';",
      'const ddb = new DynamoDBClient({});',
      'const pool = new Pool({ connectionTimeoutMillis: 1000 });',
      'const r = retry(handleAll, { maxAttempts: 2 });',
      "export const f = () => r.execute(() => ddb.send(new GetItemCommand({ TableName: 't', Key: {} })));",
    ].join('\n');
    const result = detectFile(
      { path: 'src/a.ts', absPath: '/project/src/a.ts', text, lang: 'ts' },
      [detector],
      projectFacts(),
    );
    expect([...result.facts.resilienceLibraries].sort()).toEqual(['@aws-lambda-powertools/logger', 'cockatiel']);
    expect(result.facts.dependencies).toEqual([
      {
        name: 'DynamoDB',
        category: 'database',
        module: '@aws-sdk/client-dynamodb',
        timeout: false,
        retry: true,
        breaker: false,
      },
      { name: 'PostgreSQL', category: 'database', module: 'pg', timeout: true, retry: false, breaker: false },
    ]);
  });
});
