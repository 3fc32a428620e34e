import { describe, expect, it } from 'vitest';
import dependencyPolicies from '../dependency-policies';
import retryLoops from '../retry-loops';
import { detect } from '../../test/helpers/detect';
import {
  dependencyCallData,
  retryLoopData,
  type CallFacts,
  type RetryLoopData,
} from '../../src/rule-data/policy-rules';

/*
 * The facts the detectors hand to the policy fixes, per call site: whether the call may be sent
 * twice, the hand-written retry around it, a catch that reads the original error; and per
 * hand-written retry loop: its attempt limit and its wait.
 */

/** The facts of the call at `line` in the no-circuit-breaker (or no-retry) finding that stands for it. */
function factsAt(code: string, line: number, path = 'src/example.ts'): CallFacts | undefined {
  const findings = detect(dependencyPolicies, code.replace(/^\n/, ''), { path });
  for (const f of findings) {
    const facts = dependencyCallData(f)?.calls.find((c) => c.line === line);
    if (facts) return facts;
  }
  return undefined;
}

const idempotency: Array<{ name: string; code: string; line: number; expected: CallFacts['idempotency'] }> = [
  {
    name: 'axios GET',
    line: 3,
    expected: { kind: 'idempotent', method: 'GET' },
    code: `
import axios from 'axios';
export async function f() {
  return (await axios.get('https://a.example.com/x')).data;
}`,
  },
  {
    name: 'axios PUT and DELETE are idempotent',
    line: 3,
    expected: { kind: 'idempotent', method: 'PUT' },
    code: `
import axios from 'axios';
export async function f(body: object) {
  await axios.put('https://a.example.com/x', body);
}`,
  },
  {
    name: 'axios POST without a key',
    line: 4,
    expected: { kind: 'not-idempotent', method: 'POST' },
    code: `
import axios from 'axios';
const api = axios.create({ baseURL: 'https://pay.example.com', timeout: 1000 });
export async function f(body: object) {
  await api.post('/charges', body);
}`,
  },
  {
    name: 'axios POST with an Idempotency-Key header',
    line: 3,
    expected: { kind: 'keyed', method: 'POST', key: 'Idempotency-Key header', perAttempt: false },
    code: `
import axios from 'axios';
export async function f(body: { id: string }) {
  await axios.post('https://pay.example.com/charges', body, { headers: { 'Idempotency-Key': body.id } });
}`,
  },
  {
    name: 'a key made inside the call would change on every attempt',
    line: 4,
    expected: { kind: 'keyed', method: 'POST', key: 'idempotency-key header', perAttempt: true },
    code: `
import axios from 'axios';
import { randomUUID } from 'node:crypto';
export async function f(body: object) {
  await axios.post('https://pay.example.com/charges', body, { headers: { 'idempotency-key': randomUUID() } });
}`,
  },
  {
    name: 'a key made before the call, in a variable',
    line: 5,
    expected: { kind: 'keyed', method: 'POST', key: 'Idempotency-Key header', perAttempt: false },
    code: `
import axios from 'axios';
import { randomUUID } from 'node:crypto';
export async function f(body: object) {
  const headers = { 'Idempotency-Key': randomUUID() };
  await axios.post('https://pay.example.com/charges', body, { headers });
}`,
  },
  {
    name: 'a library option such as idempotencyKey',
    line: 3,
    expected: { kind: 'keyed', method: 'POST', key: 'idempotencyKey option', perAttempt: false },
    code: `
import got from 'got';
export async function f(json: object, idempotencyKey: string) {
  await got.post('https://pay.example.com/charges', { json, idempotencyKey, timeout: { request: 1000 } });
}`,
  },
  {
    name: 'fetch with method PATCH in its init',
    line: 2,
    expected: { kind: 'not-idempotent', method: 'PATCH' },
    code: `
export async function f(id: string, body: string) {
  await fetch(\`https://users.example.com/users/\${id}\`, { method: 'PATCH', body, signal: AbortSignal.timeout(1000) });
}`,
  },
  {
    name: 'fetch without init is a GET',
    line: 2,
    expected: { kind: 'idempotent', method: 'GET' },
    code: `
export async function f(id: string) {
  const res = await fetch(\`https://users.example.com/users/\${id}\`, { signal: AbortSignal.timeout(1000) });
  return res.status;
}`,
  },
  {
    name: 'axios.request({ method }) in lower case',
    line: 3,
    expected: { kind: 'not-idempotent', method: 'POST' },
    code: `
import axios from 'axios';
export async function f(data: object) {
  await axios.request({ method: 'post', url: 'https://hooks.example.com/in', data, timeout: 1000 });
}`,
  },
  {
    name: 'a method out of sight counts as not idempotent',
    line: 3,
    expected: { kind: 'not-idempotent', method: '?' },
    code: `
import axios from 'axios';
export async function f(method: string) {
  await axios({ method, url: 'https://hooks.example.com/in', timeout: 1000 });
}`,
  },
];

describe('idempotency of a call', () => {
  it.each(idempotency)('$name', ({ code, line, expected }) => {
    expect(factsAt(code, line)?.idempotency).toEqual(expected);
  });
});

describe('the hand-written retry around a call', () => {
  it('a for loop with try/catch', () => {
    expect(
      factsAt(
        `
import axios from 'axios';
export async function f() {
  for (let i = 0; i < 3; i++) {
    try {
      return await axios.get('https://a.example.com', { timeout: 1000 });
    } catch {}
  }
}`,
        5,
      )?.retryLoop,
    ).toEqual({ line: 3, shape: 'try-loop' });
  });

  it('a loop that goes round again on the status after a wait (no try/catch)', () => {
    expect(
      factsAt(
        `
export async function f(url: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    if (!res.ok) {
      await sleep(200);
      continue;
    }
    return res.json();
  }
}`,
        3,
      )?.retryLoop,
    ).toEqual({ line: 2, shape: 'status-loop' });
  });

  it('a function that calls itself from its catch', () => {
    expect(
      factsAt(
        `
import axios from 'axios';
export async function load(url: string, left = 3): Promise<unknown> {
  try {
    return (await axios.get(url, { timeout: 1000 })).data;
  } catch (err) {
    if (left === 0) throw err;
    return load(url, left - 1);
  }
}`,
        4,
      )?.retryLoop,
    ).toEqual({ line: 2, shape: 'recursion' });
  });

  it('look-alikes: a batch loop, a loop with a sleep that does not look at the answer, a catch that hands on the error', () => {
    expect(
      factsAt(
        `
import axios from 'axios';
export async function f(ids: string[]) {
  for (const id of ids) {
    try {
      await axios.delete(\`https://a.example.com/\${id}\`, { timeout: 1000 });
    } catch {}
  }
}`,
        5,
      )?.retryLoop,
    ).toBeUndefined();
    expect(
      factsAt(
        `
import axios from 'axios';
export async function f(ids: string[]) {
  for (let i = 0; i < ids.length; i++) {
    const res = await axios.delete(\`https://a.example.com/\${ids[i]}\`, { timeout: 1000 });
    console.log(res.status);
    await sleep(100);
  }
}`,
        4,
      )?.retryLoop,
    ).toBeUndefined();
    expect(
      factsAt(
        `
import axios from 'axios';
export function f(url: string, cb: (err: unknown) => void) {
  return (async () => {
    try {
      await axios.get(url, { timeout: 1000 });
    } catch (err) {
      f(url, cb);
    }
  })();
}`,
        5,
      )?.retryLoop,
    ).toBeUndefined();
  });
});

describe('a catch that reads the original error', () => {
  it('err.response, err.code, isAxiosError(err) and instanceof a library class are reported with the catch line', () => {
    const around = (body: string): CallFacts | undefined =>
      factsAt(
        `
import axios from 'axios';
export async function f() {
  try {
    return (await axios.get('https://a.example.com', { timeout: 1000 })).data;
  } catch (err) {
    ${body}
  }
}`,
        4,
      );
    expect(around('if (err.response?.status === 404) return null; throw err;')?.inspectedBy).toEqual({
      line: 5,
      what: 'err.response',
    });
    expect(around("if (err.code === 'ECONNABORTED') return null; throw err;")?.inspectedBy).toEqual({
      line: 5,
      what: 'err.code',
    });
    expect(around('if (axios.isAxiosError(err)) return null; throw err;')?.inspectedBy).toEqual({
      line: 5,
      what: 'isAxiosError(err)',
    });
    expect(around('if (err instanceof AxiosError) return null; throw err;')?.inspectedBy).toEqual({
      line: 5,
      what: 'err instanceof AxiosError',
    });
  });

  it('logging, rethrowing, the message, the status and taxonomy checks are not inspections', () => {
    const around = (body: string): CallFacts | undefined =>
      factsAt(
        `
import axios from 'axios';
export async function f() {
  try {
    return (await axios.get('https://a.example.com', { timeout: 1000 })).data;
  } catch (err) {
    ${body}
  }
}`,
        4,
      );
    expect(around("console.error('failed', err.message, err); throw err;")?.inspectedBy).toBeUndefined();
    expect(around('if (err.status === 404) return null; throw err;')?.inspectedBy).toBeUndefined();
    expect(
      around('if (isInfraFailure(err) || err instanceof TransientError) return null; throw err;')?.inspectedBy,
    ).toBeUndefined();
  });
});

/** The data of the retry-loops finding of `rule` on `line`. */
function loopData(code: string, rule: string, line: number): RetryLoopData | null {
  const f = detect(retryLoops, code.replace(/^\n/, '')).find((x) => x.ruleId === rule && x.line === line);
  return f ? retryLoopData(f) : null;
}

describe('attempt limit and wait of a hand-written retry loop', () => {
  it('for (let i = 0; i < 3; i++) with a fixed 500 ms wait: 3 calls', () => {
    expect(
      loopData(
        `
export async function f() {
  for (let i = 0; i < 3; i++) {
    try {
      return await api.get('/x');
    } catch (err) {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}`,
        'retry-without-jitter',
        2,
      ),
    ).toEqual({ form: 'loop', limit: { kind: 'calls', calls: 3 }, delayMs: 500 });
  });

  it('for (let attempt = 1; attempt <= MAX_ATTEMPTS; ++attempt) with a constant wait: MAX_ATTEMPTS calls', () => {
    expect(
      loopData(
        `
const MAX_ATTEMPTS = 4;
const DELAY = 2 * 100;
export async function f() {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; ++attempt) {
    try {
      return await api.get('/x');
    } catch (err) {
      await sleep(DELAY);
    }
  }
}`,
        'retry-without-jitter',
        4,
      ),
    ).toEqual({ form: 'loop', limit: { kind: 'calls', calls: 4 }, delayMs: 200 });
  });

  it('while (attempt < 5) counting in the catch: 5 calls', () => {
    expect(
      loopData(
        `
export async function f() {
  let attempt = 0;
  while (attempt < 5) {
    try {
      return await api.get('/x');
    } catch (err) {
      attempt += 1;
      await sleep(1000);
    }
  }
}`,
        'retry-without-jitter',
        3,
      ),
    ).toEqual({ form: 'loop', limit: { kind: 'calls', calls: 5 }, delayMs: 1000 });
  });

  it('while (true) with no bound: no limit', () => {
    expect(
      loopData(
        `
export async function f() {
  while (true) {
    try {
      return await api.post('/x');
    } catch (err) {
      await sleep(1000);
    }
  }
}`,
        'retry-without-max',
        2,
      ),
    ).toEqual({ form: 'loop', limit: { kind: 'none' }, delayMs: 1000 });
  });

  it('while (true) leaving from the catch after 3 attempts: read low, 3 calls', () => {
    expect(
      loopData(
        `
export async function f() {
  let tries = 0;
  while (true) {
    try {
      return await api.get('/x');
    } catch (err) {
      tries++;
      if (tries >= 3) throw err;
      await sleep(250);
    }
  }
}`,
        'retry-without-jitter',
        3,
      ),
    ).toEqual({ form: 'loop', limit: { kind: 'calls', calls: 3 }, delayMs: 250 });
  });

  it('a bound out of sight and a computed wait: unknown limit, no delay', () => {
    expect(
      loopData(
        `
export async function f(retries: number) {
  for (let i = 0; i < retries; i++) {
    try {
      return await api.get('/x');
    } catch (err) {
      await sleep(100 * 2 ** i);
    }
  }
}`,
        'retry-without-jitter',
        2,
      ),
    ).toEqual({ form: 'loop', limit: { kind: 'unknown' } });
  });
});

describe('what already retries a call', () => {
  it("a retry helper around it, got's own retries of a GET, none for a got POST", () => {
    const code = `
import axios from 'axios';
import got from 'got';
export async function f(body: object) {
  await withRetry(() => axios.get('https://a.example.com', { timeout: 6000 }));
  await got.get('https://b.example.com', { timeout: { request: 6000 } });
  await got.post('https://b.example.com', { json: body, timeout: { request: 6000 } });
}`;
    expect(factsAt(code, 4)?.retriedBy).toBe('withRetry');
    expect(factsAt(code, 5)?.retriedBy).toBe("got's own retries");
    expect(factsAt(code, 6)?.retriedBy).toBeUndefined();
  });
});
