import { describe, expect, it } from 'vitest';
import detector from '../retry-loops';
import { detect } from '../../test/helpers/detect';
import { detectOnExample, runCase, type DetectorCase } from '../../test/helpers/detect';

type Case = DetectorCase;

const run = (c: Case) => runCase(detector, c);

const jitterInvalid: Case[] = [
  {
    name: 'bounded for loop with a fixed sleep in the catch',
    code: `
async function getOrder(id: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await api.get(id);
    } catch (err) {
      await sleep(1000);
    }
  }
  throw new Error('unavailable');
}`,
    expected: ['retry-without-jitter@2'],
  },
  {
    name: 'pure exponential delay through a Promise-wrapped setTimeout and a local variable',
    code: `
async function send(cmd: Command) {
  let attempt = 0;
  while (attempt < MAX_ATTEMPTS) {
    try {
      return await client.send(cmd);
    } catch (err) {
      attempt++;
      const backoff = BASE_DELAY_MS * 2 ** attempt;
      await new Promise((resolve) => setTimeout(resolve, Math.min(backoff, 10_000)));
    }
  }
}`,
    expected: ['retry-without-jitter@3'],
  },
  {
    name: 'timers/promises setTimeout with a delay parameter (CommonJS)',
    path: 'src/retry.js',
    code: `
const { setTimeout } = require('timers/promises');
async function withRetry(fn, delayMs = 500) {
  let i = 0;
  do {
    try {
      return await fn();
    } catch (e) {
      i += 1;
      await setTimeout(delayMs);
    }
  } while (i < 5);
}
module.exports = { withRetry };`,
    expected: ['retry-without-jitter@4'],
  },
  {
    name: 'recursion after a fixed delay',
    code: `
export async function fetchWithRetry(url: string, retries = 3): Promise<Response> {
  try {
    return await fetch(url);
  } catch (e) {
    if (retries <= 0) throw e;
    await delay(500);
    return fetchWithRetry(url, retries - 1);
  }
}`,
    expected: ['retry-without-jitter@7'],
  },
  {
    name: 'cockatiel ConstantBackoff, IterableBackoff and noJitterGenerator',
    code: `
import { retry, handleAll, ConstantBackoff, IterableBackoff, ExponentialBackoff, noJitterGenerator } from 'cockatiel';
const a = retry(handleAll, { maxAttempts: 3, backoff: new ConstantBackoff(200) });
const b = retry(handleAll, { maxAttempts: 3, backoff: new IterableBackoff([100, 200, 400]) });
const c = retry(handleAll, {
  maxAttempts: 5,
  backoff: new ExponentialBackoff({
    generator: noJitterGenerator,
  }),
});`,
    expected: ['retry-without-jitter@2', 'retry-without-jitter@3', 'retry-without-jitter@7'],
  },
  {
    name: 'p-retry and async-retry with randomize: false (CommonJS)',
    path: 'src/clients.cjs',
    code: `
const pRetry = require('p-retry');
const retry = require('async-retry');
exports.a = () => pRetry(() => call(), { retries: 4, randomize: false });
exports.b = () => retry(async () => call(), {
  retries: 4,
  randomize: false,
});`,
    expected: ['retry-without-jitter@3', 'retry-without-jitter@6'],
  },
  {
    name: 'cockatiel retry without backoff retries immediately',
    code: `
import * as cockatiel from 'cockatiel';
export const policy = cockatiel.retry(cockatiel.handleAll, { maxAttempts: 3 });`,
    expected: ['retry-without-jitter@2'],
  },
];

const jitterValid: Case[] = [
  {
    name: 'exponential delay with Math.random',
    code: `
async function get() {
  for (let i = 0; i < 5; i++) {
    try { return await api.get(); } catch { await sleep(100 * 2 ** i + Math.random() * 100); }
  }
}`,
  },
  {
    name: 'jitter computed in a variable and in a local helper',
    path: 'src/a.js',
    code: `
function backoff(attempt) { return Math.floor(Math.random() * 100 * 2 ** attempt); }
async function a() {
  for (let i = 0; i < 5; i++) {
    try { return await x(); } catch (e) { const wait = Math.random() * 1000; await sleep(wait); }
  }
}
async function b() {
  for (let i = 0; i < 5; i++) {
    try { return await y(); } catch (e) { await delay(backoff(i)); }
  }
}`,
  },
  {
    name: 'delay computed by an imported helper',
    code: `import { nextDelay } from './backoff';\nasync function f() { for (let i = 0; i < 3; i++) { try { return await g(); } catch { await sleep(nextDelay(i)); } } }`,
  },
  {
    name: 'cockatiel ExponentialBackoff default and with options',
    code: `
import { retry, handleAll, ExponentialBackoff } from 'cockatiel';
const a = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });
const b = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff({ maxDelay: 5_000 }) });`,
  },
  { name: 'p-retry defaults', code: `import pRetry from 'p-retry';\nawait pRetry(run, { retries: 5 });` },
  {
    name: 'bounded polling waits after success too: not a retry',
    code: `
async function waitForJob(id: string) {
  for (let i = 0; i < 10; i++) {
    try {
      const job = await jobs.get(id);
      if (job.done) return job;
    } catch (e) {
      logger.warn(e);
    }
    await sleep(1000);
  }
}`,
  },
  {
    name: 'pagination loop and ConstantBackoff from another library',
    path: 'src/b.js',
    code: `
const { ConstantBackoff } = require('./my-backoff');
const b = new ConstantBackoff(100);
async function all() {
  let token;
  do { const page = await list(token); token = page.next; await sleep(50); } while (token);
}`,
  },
];

const maxInvalid: Case[] = [
  {
    name: 'while (true) until success',
    code: `
async function connect() {
  while (true) {
    try {
      return await db.connect();
    } catch (e) {
      await sleep(1000 + Math.random() * 500);
    }
  }
}`,
    expected: ['retry-without-max@2'],
  },
  {
    name: 'for (;;) with break, fixed delay (CommonJS)',
    path: 'src/poll.js',
    code: `
module.exports.load = async function load() {
  let result;
  for (;;) {
    try {
      result = await s3.send(cmd);
      break;
    } catch (err) {
      if (err.name === 'AccessDenied') throw err;
      await sleep(2000);
    }
  }
  return result;
};`,
    expected: ['retry-without-jitter@3', 'retry-without-max@3'],
  },
  {
    name: 'success-flag do/while',
    code: `
async function publish(msg: Msg) {
  let sent = false;
  do {
    try {
      await sns.send(new PublishCommand(msg));
      sent = true;
    } catch (e) {
      logger.warn(e);
    }
  } while (!sent);
}`,
    expected: ['retry-without-max@3'],
  },
  {
    name: 'recursion without an attempt parameter',
    code: `
async function getSecret(id: string): Promise<string> {
  try {
    return await sm.getSecretValue(id);
  } catch (e) {
    await sleep(backoffDelay());
    return getSecret(id);
  }
}`,
    expected: ['retry-without-max@6'],
  },
  {
    name: 'class method retrying itself through this',
    path: 'src/queue.js',
    code: `
class Sender {
  async send(msg) {
    try {
      return await this.client.send(msg);
    } catch (e) {
      return this.send(msg);
    }
  }
}`,
    expected: ['retry-without-max@6'],
  },
  {
    name: 'libraries told to retry forever',
    path: 'src/libs.js',
    code: `
const pRetry = require('p-retry');
const retry = require('async-retry');
const axiosRetry = require('axios-retry').default;
pRetry(run, { retries: Infinity });
retry(run, { forever: true });
axiosRetry(client, { retries: Number.POSITIVE_INFINITY });`,
    expected: ['retry-without-max@4', 'retry-without-max@5', 'retry-without-max@6'],
  },
  {
    name: 'cockatiel without maxAttempts, and with maxAttempts: Infinity',
    code: `
import { retry, handleAll, ExponentialBackoff } from 'cockatiel';
export const a = retry(handleAll, { backoff: new ExponentialBackoff() });
export const b = retry(handleAll, {
  maxAttempts: Infinity,
  backoff: new ExponentialBackoff(),
});`,
    expected: ['retry-without-max@2', 'retry-without-max@4'],
  },
];

const maxValid: Case[] = [
  {
    name: 'while bounded by attempt < max',
    code: `
async function f() {
  let attempt = 0;
  while (attempt < maxAttempts) {
    try { return await g(); } catch { attempt++; await sleep(Math.random() * 100); }
  }
}`,
  },
  {
    name: 'for (let i = 0; i < 3; i++)',
    code: `async function f() { for (let i = 0; i < 3; i++) { try { return await g(); } catch { await sleep(jitter(100)); } } }`,
  },
  {
    name: 'while (true) with a counter check in the catch',
    path: 'src/c.js',
    code: `
async function f() {
  let attempts = 0;
  while (true) {
    try { return await g(); } catch (e) { if (++attempts >= MAX) throw e; await sleep(Math.random() * 200); }
  }
}`,
  },
  {
    name: 'while (true) with a deadline',
    code: `
async function f(timeoutMs: number) {
  const start = Date.now();
  while (true) {
    try { return await g(); } catch (e) { if (Date.now() - start > timeoutMs) throw e; await sleep(Math.random() * 200); }
  }
}`,
  },
  {
    name: 'recursion bounded by a parameter',
    path: 'src/d.js',
    code: `
async function call(fn, left) {
  try { return await fn(); } catch (e) { if (!left) throw e; return call(fn, left - 1); }
}`,
  },
  {
    name: 'consumer loop: success does not end it',
    code: `
async function consume() {
  while (true) {
    try {
      await handle(await queue.receive());
    } catch (e) {
      logger.error(e);
      await sleep(1000 * Math.random());
    }
  }
}`,
  },
  {
    name: 'while (true) bounded by a retry strategy that throws when exhausted',
    path: 'src/e.js',
    code: `
async function send(args) {
  let attempts = 0;
  while (true) {
    try {
      return await next(args);
    } catch (e) {
      attempts++;
      if (this.shouldRetry(e, attempts)) { await sleep(this.delayFor(attempts)); continue; }
      throw e;
    }
  }
}`,
  },
  {
    name: 'a callback handing the error to itself is propagation, not a retry',
    path: 'src/f.js',
    code: `
function paramCallback(err) {
  if (err) return done(err);
  try { fn(req, res, paramCallback); } catch (e) { paramCallback(e); }
}`,
  },
  {
    name: 'bounded library options',
    code: `
import { retry, handleAll, ExponentialBackoff } from 'cockatiel';
import pRetry from 'p-retry';
const policy = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });
await pRetry(run, { retries: 5 });`,
  },
];

const scanExample = (): string[] => detectOnExample(detector);

describe('retry-loops detector', () => {
  describe('retry-without-jitter', () => {
    it.each(jitterInvalid)('reports: $name', (c) => expect(run(c)).toEqual(c.expected));
    it.each(jitterValid)('stays silent: $name', (c) => expect(run(c)).toEqual([]));
  });
  describe('retry-without-max', () => {
    it.each(maxInvalid)('reports: $name', (c) => expect(run(c)).toEqual(c.expected));
    it.each(maxValid)('stays silent: $name', (c) => expect(run(c)).toEqual([]));
  });

  it('names the form in data', () => {
    const findings = detect(
      detector,
      `import retry from 'async-retry';\nretry(run, { retries: Infinity, randomize: false });\nasync function r() { try { return await x(); } catch { return r(); } }`,
    );
    expect(findings.map((f) => [f.ruleId, f.line, f.data])).toEqual([
      ['retry-without-max', 2, { form: 'async-retry' }],
      ['retry-without-jitter', 2, { form: 'async-retry' }],
      ['retry-without-max', 3, { form: 'recursion' }],
    ]);
  });

  it('reports exactly the documented findings on the orders-service example', () => {
    expect(scanExample()).toEqual([
      'src/clients/payments-client.ts:retry-with' + 'out-jitter@27',
      'src/clients/payments-client.ts:retry-without-max@27',
      'src/clients/shipping-client.ts:retry-without-jitter@14',
    ]);
  });
});

/* Retries driven by the answer's status rather than a catch. */
const statusLoopCases: Array<{ name: string; code: string; expected: string[] }> = [
  {
    name: 'endless poll with a fixed sleep: no jitter, no max',
    code: `
export async function waitReady(url: string) {
  while (true) {
    const res = await fetch(url);
    if (res.ok) return res.json();
    await sleep(500);
  }
}`,
    expected: ['retry-without-jitter@2:3', 'retry-without-max@2:3'],
  },
  {
    name: 'bounded status loop with a fixed setTimeout delay',
    code: `
export async function post(body: string) {
  for (let i = 0; i < 5; i++) {
    const r = await axios.post(url, body, { validateStatus: () => true });
    if (r.status === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}`,
    expected: ['retry-without-jitter@2:3'],
  },
  {
    name: 'bounded status loop with jitter',
    code: `
export async function post(body: string) {
  for (let i = 0; i < 5; i++) {
    const r = await fetch(url, { method: 'PUT', body });
    if (r.ok) return;
    await sleep(200 * 2 ** i + Math.random() * 100);
  }
}`,
    expected: [],
  },
  {
    name: 'a loop over items that checks a status but does not wait (no retry)',
    code: `
export async function sendAll(items: string[]) {
  for (const item of items) {
    const r = await fetch(url, { method: 'POST', body: item });
    if (!r.ok) return;
  }
}`,
    expected: [],
  },
];

describe('status-driven retry loops', () => {
  it.each(statusLoopCases)('$name', (c) => {
    const found = detect(detector, c.code.replace(/^\n/, ''));
    expect(found.map((f) => `${f.ruleId}@${f.line}:${f.column}`).sort()).toEqual(c.expected);
    for (const f of found) {
      expect(f.message).toContain('polls until the answer succeeds');
      expect(f.data).toMatchObject({ form: 'status-loop', fixable: false });
    }
  });
});
