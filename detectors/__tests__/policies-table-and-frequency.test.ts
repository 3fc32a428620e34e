import detector from '../dependency-policies';
import { testDetector, type InvalidCase } from '../../test/helpers/detector-tester';

/*
 * no-retry / no-circuit-breaker on calls through the client table's clients (AWS SDK v2 retries
 * by itself and gets neither; a vendor SDK without its own retries gets both), and the calls
 * that need no breaker: one-shot loads at cold start, cached loads, URLs the caller supplies.
 * Each case lists the message id, position and message of every finding.
 */

const invalid: InvalidCase[] = [
  {
    name: 'a vendor SDK without its own retries, called on every webhook invocation (stripe required in place)',
    filename: 'handler.js',
    code: `
module.exports.incoming = (event, context, callback) => {
  const stripe = require('stripe')(process.env.KEY, { timeout: 5000 });
  stripe.events.retrieve(JSON.parse(event.body).id, (err, e) => callback(err, e));
};`,
    errors: [
      {
        ruleId: 'no-circuit-breaker',
        messageId: 'callWithoutBreaker',
        line: 3,
        column: 3,
        message: 'stripe.events.retrieve() to Stripe has no circuit breaker',
      },
      {
        ruleId: 'no-retry',
        messageId: 'callNotRetried',
        line: 3,
        column: 3,
        message: 'stripe.events.retrieve() to Stripe is not retried',
      },
    ],
  },
  {
    name: 'a fixed host with a path from the request is one dependency; a load that is not cached runs every time',
    code: `
import axios from 'axios';
let token: string | undefined;
export async function handler(event: { id: string }) {
  const user = await axios.get(\`https://users.example.com/users/\${event.id}\`, { timeout: 1000 });
  if (token) console.log('cached');
  const fresh = await axios.post('https://auth.example.com/token', {}, { timeout: 1000 });
  return [user, fresh];
}`,
    errors: [
      {
        ruleId: 'no-circuit-breaker',
        messageId: 'callWithoutBreaker',
        line: 4,
        column: 22,
        message: 'axios.get() to users.example.com has no circuit breaker',
      },
      {
        ruleId: 'no-retry',
        messageId: 'callNotRetried',
        line: 4,
        column: 22,
        message: 'axios.get() to users.example.com is not retried',
      },
      {
        ruleId: 'no-circuit-breaker',
        messageId: 'callWithoutBreaker',
        line: 6,
        column: 23,
        message: 'axios.post() to auth.example.com has no circuit breaker',
      },
      {
        ruleId: 'no-retry',
        messageId: 'callNotRetried',
        line: 6,
        column: 23,
        message: 'axios.post() to auth.example.com is not retried',
      },
    ],
  },
  {
    name: 'a helper called behind a guard on a variable it does not set runs on every request',
    code: `
import axios from 'axios';
let ready = false;
async function loadUser(id: string) { return axios.get(\`https://users.example.com/u/\${id}\`, { timeout: 1000 }); }
export async function handler(event: { id: string }) {
  if (!ready) {
    await loadUser(event.id);
  }
  return loadUser(event.id);
}`,
    errors: [
      { ruleId: 'no-circuit-breaker', messageId: 'callWithoutBreaker', line: 3, column: 46 },
      { ruleId: 'no-retry', messageId: 'callNotRetried', line: 3, column: 46, message: /is not retried/ },
    ],
  },
  {
    name: 'a function called at load and also exported runs per invocation too',
    filename: 'src/config.js',
    code: `
const axios = require('axios');
async function loadFlags() { return axios.get('https://flags.example.com/all', { timeout: 1000 }); }
const ready = loadFlags();
module.exports = { ready, loadFlags };`,
    errors: [
      {
        ruleId: 'no-circuit-breaker',
        messageId: 'callWithoutBreaker',
        line: 2,
        column: 37,
        message: 'axios.get() to flags.example.com has no circuit breaker',
      },
      {
        ruleId: 'no-retry',
        messageId: 'callNotRetried',
        line: 2,
        column: 37,
        message: 'axios.get() to flags.example.com is not retried',
      },
    ],
  },
];

/** calls that need no breaker (a retry may still be missing) */
const valid: InvalidCase[] = [
  {
    name: 'AWS SDK v2 calls (namespace and DocumentClient, callback and .promise()) retry by themselves and get no breaker',
    filename: 'functions/getBook.js',
    code: `
const AWS = require('aws-sdk');
const dynamoDb = new AWS.DynamoDB.DocumentClient({ httpOptions: { timeout: 3000 } });
const s3 = new AWS.S3({ httpOptions: { timeout: 3000 } });
exports.handler = async (event) => {
  const book = await dynamoDb.get({ TableName: process.env.TABLE, Key: { id: event.id } }).promise();
  s3.putObject({ Bucket: 'b', Key: 'k', Body: JSON.stringify(book) }, () => {});
  return book;
};`,
    errors: [],
  },
  {
    name: 'one-shot calls at cold start: module scope, a function only module scope calls, a cached load',
    filename: 'src/secrets.mjs',
    code: `
import axios from 'axios';
const jwks = await fetch('https://auth.example.com/.well-known/jwks.json', { signal: AbortSignal.timeout(1000) });
async function loadConfig() { return axios.get('https://config.example.com/app', { timeout: 1000 }); }
const config = loadConfig();
let secret;
export async function handler(event) {
  if (!secret) {
    secret = (await axios.get('https://vault.example.com/secret', { timeout: 1000 })).data;
  }
  return [jwks, await config, secret, event];
}`,
    errors: [
      {
        ruleId: 'no-retry',
        messageId: 'callNotRetried',
        line: 2,
        column: 20,
        message: 'fetch() to auth.example.com is not retried',
      },
      {
        ruleId: 'no-retry',
        messageId: 'callNotRetried',
        line: 3,
        column: 38,
        message: 'axios.get() to config.example.com is not retried',
      },
      {
        ruleId: 'no-retry',
        messageId: 'callNotRetried',
        line: 8,
        column: 21,
        message: 'axios.get() to vault.example.com is not retried',
      },
    ],
  },
  {
    name: 'a lazy initialiser: credentials fetched where the pool is missing (and on an explicit refresh)',
    filename: 'handler.js',
    code: `
const axios = require('axios');
const pg = require('pg');
const api = axios.create({ baseURL: 'https://api.heroku.com/', timeout: 2000 });
let pgPool;
const createConn = async () => {
  const creds = await api.get('addons/db/config');
  pgPool = new pg.Pool({ connectionString: creds.data[0].value, connectionTimeoutMillis: 2000 });
};
app.get('/hello', async (req, res) => {
  if (!pgPool) {
    await createConn();
  }
  res.json((await pgPool.query('SELECT now()')).rows);
});
app.post('/onrelease', async (req, res) => {
  await createConn();
  res.status(204).send();
});`,
    errors: [{ ruleId: 'no-retry', messageId: 'callNotRetried', line: 6, column: 23, message: /is not retried/ }],
  },
  {
    name: 'a URL the event or request supplies: a fetched image, the custom resource response URL',
    filename: 'handler.js',
    code: `
const https = require('https');
const url = require('url');
const fetch = (...args) => import('node-fetch').then(({ default: f }) => f(...args));
module.exports.save = (event, context, callback) => {
  fetch(event.image_url, { timeout: 5000 }).then((r) => callback(null, r.status));
};
function sendResponse(event, status) {
  const parsedUrl = url.parse(event.ResponseURL);
  const request = https.request({ hostname: parsedUrl.hostname, path: parsedUrl.path, method: 'PUT', timeout: 5000 });
  request.end(JSON.stringify({ Status: status }));
}
module.exports.custom = (event) => sendResponse(event, 'SUCCESS');`,
    errors: [
      { ruleId: 'no-retry', messageId: 'callNotRetried', line: 5, column: 3, message: 'fetch() is not retried' },
      {
        ruleId: 'no-retry',
        messageId: 'callNotRetried',
        line: 9,
        column: 19,
        message: 'https.request() is not retried',
      },
    ],
  },
];

const cases = [...invalid, ...valid];

testDetector('no-retry / no-circuit-breaker: table clients and how often a dependency is called', detector, {
  valid: cases.filter((c) => c.errors.length === 0),
  invalid: cases.filter((c) => c.errors.length > 0),
});
