import { describe, expect, it } from 'vitest';
import detector from '../error-handling';
import { detect, detectOnExample } from '../../test/helpers/detect';
import { findingsOf, testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';

const silentInvalid: InvalidCase[] = [
  {
    name: 'the tested variable starts out truthy: the failure takes the success path',
    code: `
export async function charge(req, res) {
  let charged = true;
  try {
    charged = await payments.post('/charges', req.body);
  } catch (err) {
    console.error(err);
  }
  if (charged) res.json({ ok: true });
}`,
    errors: [{ messageId: 'catchLogsContinues', line: 5, column: 5 }],
  },
  {
    name: 'the tested variable is set before the call that fails',
    code: `
export async function send(req, res) {
  let started;
  try {
    started = Date.now();
    await payments.post('/charges', req.body);
  } catch (err) {
    console.error(err);
  }
  if (started) res.json({ ok: true });
}`,
    errors: [{ messageId: 'catchLogsContinues', line: 6, column: 5 }],
  },
  {
    name: 'the catch leaves the result unset and the code answers with it anyway',
    code: `
export async function handler(event) {
  let results;
  try {
    results = await sns.publish(process.env.SNS_TOPIC, 'Message');
  } catch (error) {
    logger.error(error.message);
  }
  return { statusCode: 200, body: JSON.stringify({ id: results }) };
}`,
    errors: [{ messageId: 'catchLogsContinues', line: 5, column: 5 }],
  },
  {
    name: 'the next statement tests something the try did not set',
    code: `
export async function handler(event) {
  let results;
  try {
    results = await sns.publish(process.env.SNS_TOPIC, 'Message');
  } catch (error) {
    logger.error(error.message);
  }
  if (event.verbose) logger.info('sent');
  return { statusCode: 200 };
}`,
    errors: [{ messageId: 'catchLogsContinues', line: 5, column: 5 }],
  },
  {
    name: 'a dependency call per item in a loop, its failure logged and skipped',
    code: `
export async function publishAll(items: Item[]) {
  for (const item of items) {
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: URL, MessageBody: JSON.stringify(item) }));
    } catch (error) {
      console.log('send failed', error);
    }
  }
}`,
    errors: [{ messageId: 'catchLogsContinues', line: 5, column: 7 }],
  },
  {
    name: 'empty catch with binding (TS)',
    code: `
export async function save(item: Item): Promise<void> {
  try {
    await repo.put(item);
  } catch (e) {}
}`,
    errors: [{ ruleId: 'silent-error-swallow', messageId: 'emptyCatch', line: 4, column: 5 }],
  },
  {
    name: 'empty optional-binding catch (CommonJS)',
    filename: 'src/cleanup.js',
    code: `
const fs = require('fs');
function removeTemp(p) {
  try { fs.unlinkSync(p); } catch {}
}
module.exports = { removeTemp };`,
    errors: [{ ruleId: 'silent-error-swallow', messageId: 'emptyCatch', line: 3, column: 29 }],
  },
  {
    name: 'log then return null',
    code: `
async function getUser(id: string) {
  try {
    return await users.get(id);
  } catch (err) {
    console.error('lookup failed', err);
    return null;
  }
}`,
    errors: [{ ruleId: 'silent-error-swallow', messageId: 'catchLogsReturnsDefault', line: 4, column: 5 }],
  },
  {
    name: 'log then fake success object',
    filename: 'src/pay.js',
    code: `
exports.charge = async (order) => {
  try {
    await stripe.charges.create(order);
  } catch (error) {
    logger.error({ error }, 'charge failed');
    return { success: true };
  }
};`,
    errors: [{ ruleId: 'silent-error-swallow', messageId: 'catchLogsReturnsDefault', line: 4, column: 5 }],
  },
  {
    name: 'log then named default, and a fake-success object with a null error',
    code: `
async function loadConfig() {
  try {
    return await ssm.send(new GetParameterCommand({ Name: 'cfg' }));
  } catch (e) {
    log.warn(e);
    return DEFAULT_CONFIG;
  }
}
async function list() {
  try {
    return await db.query('select 1');
  } catch (e) {
    this.logger.error(e);
    return { items: [], error: null };
  }
}`,
    errors: [
      { ruleId: 'silent-error-swallow', messageId: 'catchLogsReturnsDefault', line: 4, column: 5 },
      { ruleId: 'silent-error-swallow', messageId: 'catchLogsReturnsDefault', line: 12, column: 5 },
    ],
  },
  {
    name: 'log and continue in a loop, log and fall through',
    code: `
async function publishAll(events: Event[]) {
  for (const e of events) {
    try {
      await bus.publish(e);
    } catch (err) {
      console.warn('publish failed', err);
      continue;
    }
  }
  try {
    await audit.write(events);
  } catch (err) {
    logger.error(err);
  }
  return { ok: true };
}`,
    errors: [
      { ruleId: 'silent-error-swallow', messageId: 'catchLogsContinues', line: 5, column: 7 },
      { ruleId: 'silent-error-swallow', messageId: 'catchLogsContinues', line: 12, column: 5 },
    ],
  },
  {
    name: 'no log, default after a dependency call',
    code: `
async function orders(id: string) {
  try {
    const res = await fetch(url + id);
    return await res.json();
  } catch {
    return [];
  }
}`,
    errors: [{ ruleId: 'silent-error-swallow', messageId: 'catchReturnsDefault', line: 5, column: 5 }],
  },
  {
    name: 'lint directive and TODO are not reasons',
    code: `
async function a() {
  try {
    await x();
    // eslint-disable-next-line no-empty
  } catch (e) {}
  try {
    await y();
  } catch (e) {
    // TODO: handle this
  }
}`,
    errors: [
      { ruleId: 'silent-error-swallow', messageId: 'emptyCatch', line: 5, column: 5 },
      { ruleId: 'silent-error-swallow', messageId: 'emptyCatch', line: 8, column: 5 },
    ],
  },
  {
    name: 'promise .catch forms (TS)',
    code: `
import { noop } from 'lodash';
async function warm() {
  await cache.set('k', 'v').catch(() => {});
  const a = await client.get('a').catch(() => null);
  const b = await client.get('b').catch(() => undefined);
  await metrics.flush().catch(noop);
  await queue
    .send(msg)
    .catch((e) => console.error(e));
}`,
    errors: [
      { ruleId: 'silent-error-swallow', messageId: 'catchHandlerDiscards', line: 3, column: 29 },
      { ruleId: 'silent-error-swallow', messageId: 'catchHandlerDiscards', line: 4, column: 35 },
      { ruleId: 'silent-error-swallow', messageId: 'catchHandlerDiscards', line: 5, column: 35 },
      { ruleId: 'silent-error-swallow', messageId: 'catchHandlerDiscards', line: 6, column: 25 },
      { ruleId: 'silent-error-swallow', messageId: 'catchHandlerOnlyLogs', line: 9, column: 6 },
    ],
  },
  {
    name: 'promise .catch forms (CommonJS)',
    filename: 'src/worker.cjs',
    code: `
const axios = require('axios');
module.exports.ping = function ping() {
  return axios.get('/health').catch(console.error);
};
module.exports.send = function send(p) {
  return axios.post('/x', p).catch(function (err) { logger.warn(err); return false; });
};`,
    errors: [
      { ruleId: 'silent-error-swallow', messageId: 'catchHandlerOnlyLogs', line: 3, column: 31 },
      { ruleId: 'silent-error-swallow', messageId: 'catchHandlerOnlyLogs', line: 6, column: 30 },
    ],
  },
  {
    name: 'catch in a loop that skips to the next item with no log',
    code: `
export async function saveAll(orders: Order[]) {
  for (const o of orders) {
    try {
      await repo.put(o);
    } catch (e) {
      continue;
    }
  }
}`,
    errors: [{ ruleId: 'silent-error-swallow', messageId: 'catchContinues', line: 5, column: 7 }],
  },
  {
    name: 'SQS consumer (declared in the infrastructure) returns the caught error: the message is deleted as processed',
    filename: 'src/save.js',
    project: {
      iacHandlers: new Map([
        ['src/save.js', [{ file: 'src/save.js', exportName: 'handler', triggers: ['sqs'], source: 'iac' as const }]],
      ]),
    },
    code: `
exports.handler = async (event) => {
  try {
    const item = JSON.parse(event.Records[0].body);
    return table.put({ TableName: 'logs', Item: item }).promise();
  } catch (error) {
    return error;
  }
};`,
    errors: [{ messageId: 'catchReturnsError', line: 5, column: 5, data: { errorValue: true } }],
  },
  {
    name: 'typed event consumers return a value built from the error after local work only',
    code: `
import type { SNSHandler, EventBridgeEvent } from 'aws-lambda';
export const onTopic: SNSHandler = async (event) => {
  try {
    validate(JSON.parse(event.Records[0].Sns.Message));
  } catch (err) {
    return JSON.stringify(err);
  }
};
export async function onEvent(event: EventBridgeEvent<'order', Order>) {
  try {
    check(event.detail);
  } catch (err) {
    return { error: err.message };
  }
}`,
    errors: [
      { messageId: 'catchReturnsError', line: 5, column: 5 },
      { messageId: 'catchReturnsError', line: 12, column: 5 },
    ],
  },
  {
    name: "empty 'error' listeners: a worker with a processor, a connection, a queue whose connection nobody listens to",
    code: `
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
export class Jobs {
  constructor(url: string, private log: Logger) {
    const connection = new Redis(url);
    connection.on('error', (err) => this.log.error(err));
    this.queue = new Queue('jobs', { connection });
    this.queue.on('error', () => {});
    this.worker = new Worker('jobs', (job) => this.run(job), { connection });
    // eslint-disable-next-line @typescript-eslint/no-empty-function
    this.worker.on('error', () => {});
  }
}
const cache = new Redis(process.env.CACHE_URL);
cache.once('error', function () {});
const mail = new Queue('mail', { connection: cache });
mail.on('error', () => {
  /* ignore */
});
socket.addListener('error', noop);`,
    errors: [
      { messageId: 'emptyErrorListener', line: 11, column: 17, data: { fixable: false } },
      { messageId: 'emptyErrorListener', line: 15, column: 7 },
      { messageId: 'emptyErrorListener', line: 17, column: 6 },
      { messageId: 'emptyErrorListener', line: 20, column: 8 },
    ],
  },
];

const silentValid: DetectorTestCase[] = [
  {
    name: "'error' listeners that log, rethrow, pass the error on or say why they ignore it; other events",
    code: `
server.on('error', (err) => logger.error({ err }, 'server error'));
client.on('error', (err) => {
  throw err;
});
stream.once('error', (err) => callback(err));
req.on('error', next);
emitter.on('drain', () => {});
socket.on('error', () => {
  // the close event that follows reconnects and counts the failure
});
// best-effort metrics socket: losing a datagram is acceptable
statsd.socket.on('error', () => {});`,
  },
  {
    name: 'HTTP handlers answer with the error (a 500 response, or a result API Gateway turns into one); a helper returns it to callers that test it',
    filename: 'src/api.js',
    project: {
      iacHandlers: new Map([
        ['src/api.js', [{ file: 'src/api.js', exportName: 'create', triggers: ['http'], source: 'iac' as const }]],
      ]),
    },
    code: `
exports.create = async (event) => {
  try {
    return { statusCode: 201, body: JSON.stringify(await queue.sendMessage(params).promise()) };
  } catch (error) {
    return error;
  }
};
exports.handler = async (event) => {
  try {
    await queue.sendMessage(params).promise();
  } catch (error) {
    return { statusCode: 500, body: JSON.stringify({ error: error.message }) };
  }
};
async function tryParse(text) {
  try {
    return JSON.parse(text);
  } catch (err) {
    return err;
  }
}`,
  },
  {
    name: 'the catch leaves the result unset and the next statement tests it (the no-result path answers)',
    code: `
export async function handler(event) {
  let results;
  try {
    results = await sns.publish(process.env.SNS_TOPIC, 'Message');
  } catch (error) {
    logger.error(error.message);
  }
  if (results) {
    return new SuccessResponse({ id: results });
  }
  return new ErrorResponse({ message: 'Message failed to send' });
}`,
  },
  {
    name: 'the same, tested against undefined',
    code: `
export async function load(id) {
  let item;
  try {
    item = await db.get(id);
  } catch (err) {
    console.error(err);
  }
  if (item === undefined) throw new NotAvailable(id);
  return item;
}`,
  },
  {
    name: 'an invalid row of a parsed file is logged and skipped (local validation, no dependency)',
    code: `
export async function parseRows(parser: AsyncIterable<Row>) {
  const valid: Product[] = [];
  for await (const row of parser) {
    try {
      const product = await productSchema.validateAsync(row);
      valid.push(product);
    } catch (error: unknown) {
      console.log(\`Error parsing csv row: \${row} \${error}\`);
    }
  }
  return valid;
}`,
  },
  { name: 'rethrow', code: `try { await a(); } catch (e) { logger.error(e); throw e; }` },
  {
    name: 'wrap with cause',
    code: `try { await a(); } catch (e) { throw new TransientError('a failed', { cause: e }); }`,
  },
  {
    name: 'returns the wrapped error',
    code: `async function f() { try { return await a(); } catch (e) { console.error(e); return new AppError(e); } }`,
  },
  {
    name: 'result carrying the error',
    code: `async function f() { try { return await a(); } catch (e) { return { ok: false, error: e }; } }`,
  },
  {
    name: 'failure flag',
    code: `async function f() { try { await a(); } catch (e) { log.error(e); return { success: false }; } }`,
  },
  {
    name: 'API Gateway 5xx',
    code: `
export const handler = async () => {
  try {
    await ddb.send(cmd);
    return { statusCode: 200, body: 'ok' };
  } catch (e) {
    console.error(e);
    return { statusCode: 502, body: 'upstream' };
  }
};`,
  },
  {
    name: 'express 5xx, next(err), reject',
    filename: 'src/routes.js',
    code: `
const express = require('express');
router.get('/a', async (req, res) => { try { res.json(await a()); } catch (e) { console.error(e); res.status(503).end(); } });
router.get('/b', async (req, res, next) => { try { res.json(await b()); } catch (err) { next(err); } });
const p = new Promise((resolve, reject) => { try { resolve(c()); } catch (e) { reject(e); } });`,
  },
  {
    name: 'Promise.reject',
    code: `function f() { try { return g(); } catch (e) { console.error(e); return Promise.reject(e); } }`,
  },
  {
    name: 'exit code',
    code: `async function main() { try { await run(); } catch (e) { console.error(e); process.exitCode = 1; } }`,
  },
  {
    name: 'SQS partial batch failure',
    code: `
export const handler = async (event: SQSEvent) => {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    try {
      await processRecord(record);
    } catch (e) {
      logger.error(e);
      batchItemFailures.push({ itemIdentifier: record.messageId });
      continue;
    }
  }
  return { batchItemFailures };
};`,
  },
  {
    name: 'reason comments inside and above',
    code: `
async function release() {
  try { await lock.release(); } catch { /* intentional: the lock may already have expired */ }
  try {
    await fs.rm(tmp);
    // ignore: best-effort cleanup of a temp dir
  } catch (e) {}
  // best-effort: metrics are optional
  await metrics.flush().catch(() => {});
}`,
  },
  {
    name: 'pure parsing fallback without log',
    code: `function parse(s: string) { try { return JSON.parse(s); } catch { return undefined; } }`,
  },
  { name: 'boolean probe', code: `const exists = await fs.access(p).then(() => true).catch(() => false);` },
  {
    name: 'promise handlers that escalate',
    filename: 'src/app.js',
    code: `
app.get('/x', (req, res, next) => load().then((d) => res.json(d)).catch(next));
load().catch(handleError);
load().catch((e) => { throw new AppError('load', { cause: e }); });
main().catch((e) => { console.error(e); process.exit(1); });`,
  },
  {
    name: 'retry attempt inside a bounded loop',
    code: `
async function withRetry() {
  for (let i = 0; i < 3; i++) {
    try {
      return await call();
    } catch (e) {
      logger.warn('attempt failed', e);
    }
  }
  throw new Error('exhausted');
}`,
  },
  { name: 'error reported to a tracker', code: `try { await a(); } catch (e) { Sentry.captureException(e); }` },
  {
    name: 'logged, then thrown or handed to a fallback after the try',
    code: `
async function primaryThenThrow() {
  try {
    return await primary.get();
  } catch (e) {
    logger.warn('primary failed', e);
  }
  throw new DependencyError('primary unavailable');
}
async function withFallback() {
  try {
    return await primary.get();
  } catch (e) {
    logger.warn('primary failed, using replica', e);
  }
  return replica.get();
}`,
  },
  { name: 'zod schema fallback', code: `import { z } from 'zod';\nconst Name = z.string().catch(() => 'anonymous');` },
];

const statusInvalid: InvalidCase[] = [
  {
    name: 'API Gateway: JWKS outage answered 401',
    code: `
import { jwtVerify, createRemoteJWKSet } from 'jose';
const JWKS = createRemoteJWKSet(new URL(issuer));
export const handler = async (event: APIGatewayProxyEvent) => {
  try {
    await jwtVerify(token(event), JWKS);
  } catch (err) {
    return { statusCode: 401, body: 'Unauthorized' };
  }
  return { statusCode: 200, body: 'ok' };
};`,
    errors: [{ ruleId: 'wrong-status-on-infra-failure', messageId: 'catchMisleadingStatus', line: 7, column: 5 }],
  },
  {
    name: 'Express status and sendStatus (CommonJS)',
    filename: 'src/routes.js',
    code: `
const axios = require('axios');
router.get('/me', async (req, res) => {
  try {
    const { data } = await axios.get(profileUrl);
    res.json(data);
  } catch (e) {
    console.error(e);
    return res.status(401).json({ error: 'unauthorized' });
  }
});
router.get('/doc', async (req, res) => {
  try { res.json(await docs.get(req.params.id)); } catch (e) { res.sendStatus(404); }
});`,
    errors: [
      { ruleId: 'wrong-status-on-infra-failure', messageId: 'catchMisleadingStatus', line: 8, column: 12 },
      { ruleId: 'wrong-status-on-infra-failure', messageId: 'catchMisleadingStatus', line: 12, column: 64 },
    ],
  },
  {
    name: 'Fastify reply.code',
    code: `
fastify.get('/item', async (request, reply) => {
  try {
    return await db.findOne(request.query.id);
  } catch (err) {
    request.log.error(err);
    reply.code(404).send({ message: 'not found' });
  }
});`,
    errors: [{ ruleId: 'wrong-status-on-infra-failure', messageId: 'catchMisleadingStatus', line: 6, column: 5 }],
  },
  {
    name: 'Koa ctx.status and ctx.throw',
    filename: 'src/koa.js',
    code: `
router.get('/a', async (ctx) => {
  try { ctx.body = await upstream.get(); } catch (e) { ctx.status = 403; }
});
router.get('/b', async (ctx) => {
  try {
    ctx.state.user = await verifyToken(ctx.headers.authorization);
  } catch (e) {
    ctx.throw(401, 'invalid token');
  }
});`,
    errors: [
      { ruleId: 'wrong-status-on-infra-failure', messageId: 'catchMisleadingStatus', line: 2, column: 56 },
      { ruleId: 'wrong-status-on-infra-failure', messageId: 'catchMisleadingStatus', line: 8, column: 5 },
    ],
  },
  {
    name: 'fake 200 success: API Gateway and implicit Express',
    code: `
export async function list(event: unknown) {
  try {
    const items = await ddb.send(new ScanCommand({ TableName: 'items' }));
    return { statusCode: 200, body: JSON.stringify(items) };
  } catch (error) {
    console.error(error);
    return { statusCode: 200, body: JSON.stringify([]) };
  }
}
app.get('/items', async (req, res) => {
  try { res.json(await repo.all()); } catch (e) { res.json({ items: [] }); }
});`,
    errors: [
      { ruleId: 'wrong-status-on-infra-failure', messageId: 'catchMisleadingStatus', line: 7, column: 5 },
      { ruleId: 'wrong-status-on-infra-failure', messageId: 'catchMisleadingStatus', line: 11, column: 51 },
    ],
  },
  {
    name: 'classification that maps every branch to 401',
    code: `
async function auth(token: string) {
  try {
    return await jwtVerify(token, JWKS);
  } catch (err) {
    if (err instanceof errors.JWTExpired) return { statusCode: 401, body: 'expired' };
    return { statusCode: 401, body: 'invalid' };
  }
}`,
    errors: [{ ruleId: 'wrong-status-on-infra-failure', messageId: 'catchMisleadingStatus', line: 6, column: 5 }],
  },
  {
    name: 'Lambda callback style',
    filename: 'src/handler.js',
    code: `
exports.handler = function (event, context, callback) {
  try {
    const user = client.send(new GetItemCommand(params));
    callback(null, { statusCode: 200, body: JSON.stringify(user) });
  } catch (e) {
    callback(null, { statusCode: 403, body: 'denied' });
  }
};`,
    errors: [{ ruleId: 'wrong-status-on-infra-failure', messageId: 'catchMisleadingStatus', line: 6, column: 20 }],
  },
];

const statusValid: DetectorTestCase[] = [
  {
    name: 'instanceof guards the 401, 503 otherwise',
    code: `
export const handler = async (event: APIGatewayProxyEvent) => {
  try {
    await jwtVerify(token, JWKS);
  } catch (err) {
    if (err instanceof errors.JWTExpired || err instanceof errors.JWSSignatureVerificationFailed) {
      return { statusCode: 401, body: 'Unauthorized' };
    }
    return { statusCode: 503, headers: { 'Retry-After': '5' }, body: 'auth unavailable' };
  }
};`,
  },
  {
    name: 'infra codes escalate first, the rest is a client error',
    filename: 'src/auth.js',
    code: `
app.use(async (req, res, next) => {
  try {
    req.user = await verifyRemote(req.headers.authorization);
    next();
  } catch (err) {
    if (err.code === 'ECONNREFUSED' || err.name === 'TimeoutError') return res.status(503).end();
    return res.status(401).end();
  }
});`,
  },
  {
    name: 'pure parsing answers 400',
    code: `export const handler = async (event: any) => { let body; try { body = JSON.parse(event.body); } catch { return { statusCode: 400, body: 'bad json' }; } return save(body); };`,
  },
  {
    name: 'static-secret jsonwebtoken verify is local',
    filename: 'src/jwt.js',
    code: `
const jwt = require('jsonwebtoken');
module.exports = (req, res, next) => {
  try { req.user = jwt.verify(req.headers.authorization, process.env.JWT_SECRET); next(); } catch (e) { res.status(401).json({ error: 'invalid token' }); }
};`,
  },
  {
    name: 'request body parsing answers 400',
    code: `export async function POST(req: Request) { try { const b = await req.json(); use(b); } catch { return { statusCode: 400 }; } }`,
  },
  {
    name: 'switch on error name',
    code: `
async function h(reply: any) {
  try {
    await verifier.verify(token);
  } catch (err) {
    switch (err.name) {
      case 'JWTExpired': return reply.code(401).send();
      default: return reply.code(503).send();
    }
  }
}`,
  },
  {
    name: 'ternary on axios error status',
    code: `
router.get('/u', async (req, res) => {
  try { res.json(await axios.get(u)); } catch (e) { axios.isAxiosError(e) && e.response?.status === 404 ? res.status(404).end() : res.status(502).end(); }
});`,
  },
  {
    name: 'throttle status is retryable',
    code: `app.get('/q', async (req, res) => { try { res.json(await q()); } catch (e) { res.status(429).end(); } });`,
  },
];

/* Shapes of real code: errors turned into values, callback style, `.then(ok, err)`, probes. */
/** Each case lists its findings of the rule under test in order; none for a look-alike. */
type ShapeCase = InvalidCase;

const shapeCases: ShapeCase[] = [
  {
    name: 'catch returns its log call (return console.error)',
    filename: 'src/put.js',
    code: `
async function updateOrder(record) {
  try {
    return await ddb.update(record).promise();
  } catch (err) {
    return console.error('update failed: ', err);
  }
}`,
    errors: [
      {
        ruleId: 'silent-error-swallow',
        messageId: 'catchLogsReturnsDefault',
        line: 4,
        column: 5,
        message: /only logs the error, then returns a default/,
      },
    ],
  },
  {
    name: 'catch returns the error serialised (return JSON.stringify(error))',
    filename: 'src/config.js',
    code: `
async function getConfig() {
  try {
    return await ddb.get({ TableName: 't', Key: { PK: 'config' } }).promise();
  } catch (error) {
    return JSON.stringify(error);
  }
}`,
    errors: [
      {
        ruleId: 'silent-error-swallow',
        messageId: 'catchReturnsError',
        line: 4,
        column: 5,
        message: /returns the error as a value/,
      },
    ],
  },
  {
    name: 'catch returns err.message after a log',
    code: `
export async function fetchRates(): Promise<string> {
  try {
    return (await axios.get(url)).data;
  } catch (err) {
    logger.error(err);
    return \`failed: \${err.message}\`;
  }
}`,
    errors: [
      {
        ruleId: 'silent-error-swallow',
        messageId: 'catchReturnsError',
        line: 4,
        column: 5,
        message: /returns the error as a value/,
      },
    ],
  },
  {
    name: 'Lambda handler returns { error } (the runtime sees a success)',
    filename: 'src/consumer.js',
    code: `
exports.handler = async (event) => {
  try {
    await eventbridge.putEvents(entries).promise();
  } catch (error) {
    console.log(error);
    return { error };
  }
};`,
    errors: [
      {
        ruleId: 'silent-error-swallow',
        messageId: 'catchReturnsError',
        line: 4,
        column: 5,
        message: /returns the error as a value/,
      },
    ],
  },
  {
    name: 'catch builds a fallback in a const and returns it',
    code: `
export async function listItems() {
  try {
    return await inventory.list();
  } catch (err) {
    logger.warn(err);
    const fallback = { items: [], total: 0 };
    return fallback;
  }
}`,
    errors: [
      {
        ruleId: 'silent-error-swallow',
        messageId: 'catchLogsReturnsDefault',
        line: 4,
        column: 5,
        message: /only logs the error, then returns a default/,
      },
    ],
  },
  {
    name: 'error-first callback logs and reports success with the error as the result',
    filename: 'src/stream.js',
    code: `
exports.handler = (event, context, callback) => {
  redis.zincrby(key, n, id, (error, reply) => {
    if (error) {
      console.log('error: ' + error);
      callback(null, error);
    }
    callback(null, reply);
  });
};`,
    errors: [
      {
        ruleId: 'silent-error-swallow',
        messageId: 'callbackReportsSuccess',
        line: 3,
        column: 5,
        message: /reports success to its own callback/,
      },
    ],
  },
  {
    name: 'error-first callback logs and returns',
    filename: 'src/files.js',
    code: `
function load(p, done) {
  fs.readFile(p, (err, data) => {
    if (err) { console.error(err); return; }
    done(null, data);
  });
}`,
    errors: [
      {
        ruleId: 'silent-error-swallow',
        messageId: 'callbackOnlyLogs',
        line: 3,
        column: 5,
        message: /only logs the error and returns/,
      },
    ],
  },
  {
    name: '.then(ok, err => log)',
    code: `
export function notify(msg: string) {
  return sns.publish(msg).then((r) => r.MessageId, (err) => console.error(err));
}`,
    errors: [
      {
        ruleId: 'silent-error-swallow',
        messageId: 'thenHandlerOnlyLogs',
        line: 2,
        column: 27,
        message: /\.then\(\) rejection handler only logs/,
      },
    ],
  },
  // look-alikes
  {
    name: 'callback passes the error on',
    filename: 'src/files.js',
    code: `
function load(p, done) {
  fs.readFile(p, (err, data) => {
    if (err) { console.error(err); return done(err); }
    done(null, data);
  });
}`,
    errors: [],
  },
  {
    name: 'Lambda callback told of the failure',
    filename: 'src/handler.js',
    code: `
exports.handler = (event, context, callback) => {
  ddb.get(params, (err, data) => {
    if (err) { console.log(err); callback(err); return; }
    callback(null, data.Item);
  });
};`,
    errors: [],
  },
  {
    name: 'an if on a variable named err that is no callback parameter',
    code: `
export function check(input: string) {
  const err = validate(input);
  if (err) { console.log(err); return; }
  return input;
}`,
    errors: [],
  },
  {
    name: 'a helper returning { error } for its callers to check (not a handler)',
    code: `
export async function tryCharge(order: Order) {
  try {
    return { charge: await stripe.charges.create(order) };
  } catch (error) {
    return { error };
  }
}`,
    errors: [],
  },
  {
    name: '.then(ok, err) that rethrows',
    code: `
export function notify(msg: string) {
  return sns.publish(msg).then((r) => r.MessageId, (err) => { throw new TransientError('publish', { cause: err }); });
}`,
    errors: [],
  },
  {
    name: 'start-up probe whose both outcomes are logged',
    filename: 'src/email.js',
    code: `
const transport = nodemailer.createTransport(config.smtp);
if (config.env !== 'test') {
  transport
    .verify()
    .then(() => logger.info('Connected to email server'))
    .catch(() => logger.warn('Unable to connect to email server'));
}`,
    errors: [],
  },
  {
    name: 'a write whose both outcomes are only logged is still a swallow',
    filename: 'src/upload.js',
    code: `
function putItems(items) {
  documentClient.batchWrite({ RequestItems: items }).promise().then(function (data) {
    console.log('imported');
  }).catch(function (err) {
    console.log(err);
  });
}`,
    errors: [
      {
        ruleId: 'silent-error-swallow',
        messageId: 'catchHandlerOnlyLogs',
        line: 4,
        column: 6,
        message: /\.catch\(\) handler only logs/,
      },
    ],
  },
  {
    name: 'an SDK v2 callback whose request promise is awaited',
    filename: 'src/subscribe.ts',
    code: `
export const handler = async (event: any) => {
  await dynamo.putItem(params, function (err: any, data: any) {
    if (err) {
      console.log('Error', err);
    } else {
      console.log('Success', data);
    }
  }).promise();
};`,
    errors: [],
  },
  {
    name: 'a bare marker is no reason: /* empty */ and // ignore stay findings',
    code: `
export async function a() {
  try { await repo.put(x); } catch (e) { /* empty */ }
}
export async function b() {
  try {
    await repo.put(x);
  } catch (e) {
    // ignore
  }
}`,
    errors: [
      { ruleId: 'silent-error-swallow', messageId: 'emptyCatch', line: 2, column: 30, message: /empty catch block/ },
      { ruleId: 'silent-error-swallow', messageId: 'emptyCatch', line: 7, column: 5, message: /empty catch block/ },
    ],
  },
  {
    name: 'a comment that states the reason is intentional',
    code: `
export async function warm() {
  try {
    await cache.prime();
  } catch (e) {
    // the cache fills on first use anyway: priming is best-effort
  }
}`,
    errors: [],
  },
  {
    name: '.then(ok, () => null) discards the rejection',
    code: `
export function publish(msg: Msg) {
  return sns.publish(msg).then((r) => r.MessageId, () => null);
}`,
    errors: [
      {
        messageId: 'thenHandlerDiscards',
        line: 2,
        column: 27,
        message: '.then() rejection handler discards the rejection',
      },
    ],
  },
];

/* Wrong status across files: typed HTTP errors and shared error converters. */
const typedStatusCases: ShapeCase[] = [
  {
    name: 'catch-all turns every failure, a database one included, into ApiError(401)',
    filename: 'src/services/auth.service.js',
    code: `
const refresh = async (token) => {
  try {
    const doc = await tokenService.verifyToken(token);
    const user = await userService.getUserById(doc.user);
    if (!user) throw new Error();
    return tokenService.generateAuthTokens(user);
  } catch (error) {
    throw new ApiError(httpStatus.UNAUTHORIZED, 'Please authenticate');
  }
};`,
    errors: [
      {
        ruleId: 'wrong-status-on-infra-failure',
        messageId: 'typedErrorMisleadingStatus',
        line: 8,
        column: 5,
        message: /turns every failure into ApiError\(401\)/,
        data: { fixable: false },
      },
    ],
  },
  {
    name: 'catch-all rejects with createError(404) and NestJS NotFoundException',
    code: `
export async function find(id: string) {
  try {
    return await repo.findOneOrFail(id);
  } catch {
    throw new NotFoundException('no such order');
  }
}
export function load(id: string) {
  return new Promise(async (resolve, reject) => {
    try {
      resolve(await db.get(id));
    } catch (e) {
      reject(createError(404, 'missing'));
    }
  });
}`,
    errors: [
      {
        ruleId: 'wrong-status-on-infra-failure',
        messageId: 'typedErrorMisleadingStatus',
        line: 5,
        column: 5,
        message: /turns every failure into NotFoundException\(404\)/,
        data: { fixable: false },
      },
      {
        ruleId: 'wrong-status-on-infra-failure',
        messageId: 'typedErrorMisleadingStatus',
        line: 13,
        column: 7,
        message: /turns every failure into createError\(404\)/,
        data: { fixable: false },
      },
    ],
  },
  {
    name: 'passport verify callback: if (err || !user) answers 401',
    filename: 'src/middlewares/auth.js',
    code: `
const verifyCallback = (req, resolve, reject) => async (err, user, info) => {
  if (err || info || !user) {
    return reject(new ApiError(httpStatus.UNAUTHORIZED, 'Please authenticate'));
  }
  req.user = user;
  resolve();
};`,
    errors: [
      {
        ruleId: 'wrong-status-on-infra-failure',
        messageId: 'typedErrorMisleadingStatus',
        line: 3,
        column: 5,
        message: /error-first callback answers its error with ApiError\(401\)/,
        data: { fixable: false },
      },
    ],
  },
  {
    name: 'error converter maps the database base error to 400',
    filename: 'src/middlewares/error.js',
    code: `
const errorConverter = (err, req, res, next) => {
  let error = err;
  if (!(error instanceof ApiError)) {
    const statusCode =
      error.statusCode || error instanceof mongoose.Error ? httpStatus.BAD_REQUEST : httpStatus.INTERNAL_SERVER_ERROR;
    error = new ApiError(statusCode, error.message);
  }
  next(error);
};`,
    errors: [
      {
        ruleId: 'wrong-status-on-infra-failure',
        messageId: 'converterMisleadingStatus',
        line: 4,
        column: 5,
        message: /answers 400 for errors it does not recognise/,
        data: { fixable: false },
      },
    ],
  },
  {
    name: 'error middleware defaults unknown errors to 400',
    code: `
app.use((err: any, req: Request, res: Response, next: NextFunction) => {
  res.status(err.status || 400).json({ message: err.message });
});`,
    errors: [
      {
        ruleId: 'wrong-status-on-infra-failure',
        messageId: 'converterMisleadingStatus',
        line: 2,
        column: 3,
        message: /answers 400 for errors it does not recognise/,
        data: { fixable: false },
      },
    ],
  },
  // look-alikes
  {
    name: '4xx after a successful lookup (not found, wrong password)',
    code: `
export async function login(email: string, password: string) {
  const user = await users.findByEmail(email);
  if (!user || !(await user.isPasswordMatch(password))) {
    throw new ApiError(httpStatus.UNAUTHORIZED, 'Incorrect email or password');
  }
  return user;
}`,
    errors: [],
  },
  {
    name: 'catch that maps only the error it recognises to 4xx',
    code: `
export async function get(id: string) {
  try {
    return await repo.get(id);
  } catch (e) {
    if (e instanceof EntityNotFound) throw new NotFoundException();
    throw e;
  }
}`,
    errors: [],
  },
  {
    name: 'catch-all around local work (JSON.parse) answering 400',
    code: `
export function parse(body: string) {
  try {
    return JSON.parse(body);
  } catch {
    throw new ApiError(400, 'malformed body');
  }
}`,
    errors: [],
  },
  {
    name: 'error middleware defaulting to 500; validation error class to 400',
    code: `
app.use((err: any, req: Request, res: Response, next: NextFunction) => {
  const status = err instanceof ValidationError ? 400 : err.status || 500;
  res.status(status).json({ message: err.message });
});`,
    errors: [],
  },
  {
    name: 'error-first callback passing its error on; 401 only for a missing user',
    code: `
passport.authenticate('jwt', (err: Error, user: User) => {
  if (err) return next(err);
  if (!user) return next(new ApiError(401, 'Please authenticate'));
  next();
});`,
    errors: [],
  },
];

const scanExample = (): string[] => detectOnExample(detector);

describe('error-handling detector', () => {
  testDetector('silent-error-swallow', detector, { valid: silentValid, invalid: silentInvalid });
  testDetector('wrong-status-on-infra-failure', detector, { valid: statusValid, invalid: statusInvalid });

  it('describes the shape in data', () => {
    const [f] = detect(
      detector,
      `async function f() { try { await a(); } catch (err) { console.error(err); return null; } }`,
    );
    expect(f?.data).toEqual({
      form: 'log-and-default',
      hasLog: true,
      param: 'err',
      contract: { name: 'f', exports: [], line: 1 },
    });
    const [p] = detect(detector, `x.get().catch((e) => console.error(e));`);
    expect(p?.data).toEqual({
      form: 'promise-catch',
      hasLog: true,
      param: 'e',
      contract: { unknown: 'the promise is not awaited, returned or caught: a rejection would be unhandled' },
    });
    expect(p?.column).toBe(9);
  });

  const contracts: Array<[string, string, unknown]> = [
    [
      'an ESM export',
      `export async function load() { try { return await a(); } catch (err) { console.error(err); return null; } }`,
      { name: 'load', exports: ['load'], line: 1 },
    ],
    [
      'a CommonJS export of a local function',
      `async function load() { try { return await a(); } catch (err) { return null; } }\nmodule.exports = { load };`,
      { name: 'load', exports: ['load'], line: 1 },
    ],
    [
      'module.exports = function',
      `module.exports = async function () { try { return await a(); } catch (err) { return null; } };`,
      { name: null, exports: ['default'], line: 1 },
    ],
    [
      'a catch inside an outer try/catch of the same function',
      `export async function load() { try { try { return await a(); } catch (err) { return null; } } catch (outer) { throw outer; } }`,
      { name: 'load', exports: ['load'], line: 1, caughtInside: true },
    ],
    [
      'an Express route handler',
      `import express from 'express';\nconst app = express();\napp.get('/x', async (req, res) => { try { res.json(await a()); } catch (err) { console.error(err); } });`,
      {
        name: null,
        exports: [],
        line: 3,
        route: { framework: 'express', handlesRejection: false, line: 3, column: 15 },
      },
    ],
    [
      'a method (callers cannot be traced)',
      `class Repo { async find() { try { return await a(); } catch (err) { return null; } } }`,
      { name: null, exports: [], line: 1 },
    ],
    [
      'module scope',
      `try { await a(); } catch (err) { console.error(err); }`,
      { unknown: 'module scope: a rethrow stops the module from loading' },
    ],
    [
      'a returned promise chain',
      `export const load = () => a().catch(() => null);`,
      { name: 'load', exports: ['load'], line: 1 },
    ],
  ];
  it('marks a .catch default that the same function reads back (meta?.title, errData.error &&)', () => {
    const reads = detect(
      detector,
      `export async function f() { const meta = await pdf.meta().catch(() => null); return meta?.title; }`,
    );
    expect(reads[0]?.data?.localDefault).toBe(true);
    const member = detect(
      detector,
      `export async function f(r) { const body = await r.json().catch(() => ({})); if (body.error) throw new Error(body.error); }`,
    );
    expect(member[0]?.data?.localDefault).toBe(true);
    const plain = detect(
      detector,
      `export async function f() { const out = await a().catch(() => null); return out; }`,
    );
    expect(plain[0]?.data?.localDefault).toBeUndefined();
  });

  it.each(contracts)('names the function whose contract a rethrow changes: %s', (_label, code, contract) => {
    const found = detect(detector, code).filter((x) => x.ruleId === 'silent-error-swallow');
    expect(found).toHaveLength(1);
    expect(found[0]?.data?.contract).toEqual(contract);
  });

  it('gives status and style for wrong statuses, and never both rules on one catch', () => {
    const findings = detect(
      detector,
      `const h = async () => { try { await verify(t, jwks); } catch (e) { console.error(e); return { statusCode: 403 }; } };`,
    );
    expect(findings.map((f) => [f.ruleId, f.data])).toEqual([
      ['wrong-status-on-infra-failure', { status: 403, style: 'apigw', param: 'e' }],
    ]);
  });

  it('reports exactly the documented findings on the orders-service example', () => {
    expect(scanExample()).toEqual([
      'src/clients/payments-client.ts:silent-error-swallow@42',
      'src/handlers/create-order.ts:wrong-status-on-infra-failure@23',
      'src/handlers/process-payment.ts:silent-error-swallow@41',
      'src/server.ts:wrong-status-on-infra-failure@28',
    ]);
  });
});

testDetector('silent-error-swallow shapes of real code', detector, {
  rules: ['silent-error-swallow'],
  valid: shapeCases.filter((c) => c.errors.length === 0),
  invalid: shapeCases.filter((c) => c.errors.length > 0),
});

describe('silent-error-swallow shapes of real code', () => {
  it('callback and .then(ok, err) shapes are reported as not fixable (rewritten by hand)', () => {
    for (const c of shapeCases.filter((x) => x.errors.length > 0 && /callback logs|\.then\(ok/.test(x.name ?? ''))) {
      const found = findingsOf(detector, c);
      expect(found.length).toBeGreaterThan(0);
      for (const f of found) expect(f.data).toMatchObject({ fixable: false });
    }
  });
});

// decided in the shared error handler: not rewritten in place (each finding's data says fixable: false)
testDetector('wrong-status-on-infra-failure through typed errors and error converters', detector, {
  rules: ['wrong-status-on-infra-failure'],
  valid: typedStatusCases.filter((c) => c.errors.length === 0),
  invalid: typedStatusCases.filter((c) => c.errors.length > 0),
});
