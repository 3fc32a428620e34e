import { describe, expect, it } from 'vitest';
import detector from '../retry-loops';
import { detect, detectOnExample } from '../../test/helpers/detect';
import { testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';

const jitterInvalid: InvalidCase[] = [
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
    errors: [{ ruleId: 'retry-without-jitter', messageId: 'loopFixedDelay', line: 2, column: 3 }],
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
    errors: [{ ruleId: 'retry-without-jitter', messageId: 'loopFixedDelay', line: 3, column: 3 }],
  },
  {
    name: 'timers/promises setTimeout with a delay parameter (CommonJS)',
    filename: 'src/retry.js',
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
    errors: [{ ruleId: 'retry-without-jitter', messageId: 'loopFixedDelay', line: 4, column: 3 }],
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
    errors: [{ ruleId: 'retry-without-jitter', messageId: 'recursionFixedDelay', line: 7, column: 12 }],
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
    errors: [
      { ruleId: 'retry-without-jitter', messageId: 'libraryWithoutJitter', line: 2, column: 55 },
      { ruleId: 'retry-without-jitter', messageId: 'libraryWithoutJitter', line: 3, column: 55 },
      { ruleId: 'retry-without-jitter', messageId: 'libraryWithoutJitter', line: 7, column: 5 },
    ],
  },
  {
    name: 'p-retry and async-retry with randomize: false (CommonJS)',
    filename: 'src/clients.cjs',
    code: `
const pRetry = require('p-retry');
const retry = require('async-retry');
exports.a = () => pRetry(() => call(), { retries: 4, randomize: false });
exports.b = () => retry(async () => call(), {
  retries: 4,
  randomize: false,
});`,
    errors: [
      { ruleId: 'retry-without-jitter', messageId: 'libraryWithoutJitter', line: 3, column: 54 },
      { ruleId: 'retry-without-jitter', messageId: 'libraryWithoutJitter', line: 6, column: 3 },
    ],
  },
  {
    name: 'cockatiel retry without backoff retries immediately',
    code: `
import * as cockatiel from 'cockatiel';
export const policy = cockatiel.retry(cockatiel.handleAll, { maxAttempts: 3 });`,
    errors: [{ ruleId: 'retry-without-jitter', messageId: 'libraryWithoutJitter', line: 2, column: 23 }],
  },
];

const jitterValid: DetectorTestCase[] = [
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
    filename: 'src/a.js',
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
    filename: 'src/b.js',
    code: `
const { ConstantBackoff } = require('./my-backoff');
const b = new ConstantBackoff(100);
async function all() {
  let token;
  do { const page = await list(token); token = page.next; await sleep(50); } while (token);
}`,
  },
];

const maxInvalid: InvalidCase[] = [
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
    errors: [{ ruleId: 'retry-without-max', messageId: 'loopWithoutLimit', line: 2, column: 3 }],
  },
  {
    name: 'for (;;) with break, fixed delay (CommonJS)',
    filename: 'src/poll.js',
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
    errors: [
      { ruleId: 'retry-without-jitter', messageId: 'loopFixedDelay', line: 3, column: 3 },
      { ruleId: 'retry-without-max', messageId: 'loopWithoutLimit', line: 3, column: 3 },
    ],
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
    errors: [{ ruleId: 'retry-without-max', messageId: 'loopWithoutLimit', line: 3, column: 3 }],
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
    errors: [{ ruleId: 'retry-without-max', messageId: 'recursionWithoutLimit', line: 6, column: 12 }],
  },
  {
    name: 'class method retrying itself through this',
    filename: 'src/queue.js',
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
    errors: [{ ruleId: 'retry-without-max', messageId: 'recursionWithoutLimit', line: 6, column: 14 }],
  },
  {
    name: 'libraries told to retry forever',
    filename: 'src/libs.js',
    code: `
const pRetry = require('p-retry');
const retry = require('async-retry');
const axiosRetry = require('axios-retry').default;
pRetry(run, { retries: Infinity });
retry(run, { forever: true });
axiosRetry(client, { retries: Number.POSITIVE_INFINITY });`,
    errors: [
      { ruleId: 'retry-without-max', messageId: 'libraryWithoutLimit', line: 4, column: 15 },
      { ruleId: 'retry-without-max', messageId: 'libraryWithoutLimit', line: 5, column: 14 },
      { ruleId: 'retry-without-max', messageId: 'libraryWithoutLimit', line: 6, column: 22 },
    ],
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
    errors: [
      { ruleId: 'retry-without-max', messageId: 'libraryWithoutLimit', line: 2, column: 18 },
      { ruleId: 'retry-without-max', messageId: 'libraryWithoutLimit', line: 4, column: 3 },
    ],
  },
];

const maxValid: DetectorTestCase[] = [
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
    filename: 'src/c.js',
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
    filename: 'src/d.js',
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
    filename: 'src/e.js',
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
    filename: 'src/f.js',
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
  testDetector('retry-without-jitter', detector, { valid: jitterValid, invalid: jitterInvalid });
  testDetector('retry-without-max', detector, { valid: maxValid, invalid: maxInvalid });

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
const statusLoopCases: InvalidCase[] = [
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
    errors: [
      {
        ruleId: 'retry-without-jitter',
        messageId: 'pollingFixedDelay',
        line: 2,
        column: 3,
        message: /polls until the answer succeeds/,
        data: { form: 'status-loop', fixable: false },
      },
      {
        ruleId: 'retry-without-max',
        messageId: 'pollingWithoutLimit',
        line: 2,
        column: 3,
        message: /polls until the answer succeeds/,
        data: { form: 'status-loop', fixable: false },
      },
    ],
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
    errors: [
      {
        ruleId: 'retry-without-jitter',
        messageId: 'pollingFixedDelay',
        line: 2,
        column: 3,
        message: /polls until the answer succeeds/,
        data: { form: 'status-loop', fixable: false },
      },
    ],
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
    errors: [],
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
    errors: [],
  },
];

// reported for a rewrite by hand: the loop's own test decides what a failure is
testDetector('status-driven retry loops', detector, {
  valid: statusLoopCases.filter((c) => c.errors.length === 0),
  invalid: statusLoopCases.filter((c) => c.errors.length > 0),
});
