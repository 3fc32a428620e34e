import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import type { Finding } from '../../src/types';
import { fix as policyLayer } from '../policy-layer';
import { fix } from '../wrap-in-policy';
import { createFixContext, printOptionsFor, printRoot } from '../lib/transform-api';
import type { FixStep, ServiceState } from '../../src/api/fix-context';
import { recastParserFor } from '../lib/recast-parser';
import { detectPolicyFacts, factSource } from '../lib/finding-facts';
import type { ResolvedConfig } from '../../src/config/config-schema';

/**
 * Runs a step on `source` as /virtual/src/<file>, with the detectors' facts as the engine gives
 * them; returns the new text (or null) and what it recorded.
 */
function run(
  step: FixStep,
  source: string,
  file = 'handler.ts',
  findings?: Finding[],
  config: ResolvedConfig = defaultConfig(),
) {
  const path = `/virtual/src/${file}`;
  const j = jscodeshift.withParser(recastParserFor(path));
  const root = j(source);
  const state: ServiceState = { modules: new Map(), dependencies: new Map(), skipped: [] };
  const facts = factSource(findings ?? [], () => detectPolicyFacts(path, source));
  const changed = step(createFixContext(j, root, path, config, state, findings, { facts }));
  return { output: changed ? root.toSource(printOptionsFor(source)) : null, state };
}

const finding = (line: number, name: string): Finding => ({
  ruleId: 'no-retry',
  severity: 'critical',
  file: 'src/handler.ts',
  line,
  column: 1,
  endLine: line,
  endColumn: 1,
  message: 'no retry',
  fixable: true,
  dependency: { name, category: 'external-api' },
});

describe('wrap-in-policy', () => {
  // look-alikes: no rewrite and nothing recorded as skipped
  const valid: Array<[string, string]> = [
    [
      'an axios helper that sends no request',
      "import axios from 'axios';\nexport const f = async (e: unknown) => axios.isAxiosError(e);\n",
    ],
    [
      'a fetch parameter, not the global',
      'export async function f(fetch: (u: string) => Promise<void>) {\n  await fetch("/x");\n}\n',
    ],
    [
      'a Map get',
      'const cache = new Map<string, number>();\nexport async function f() {\n  return await cache.get("k");\n}\n',
    ],
    [
      'send() on something other than an AWS client',
      'export async function f(ws: { send(m: string): Promise<void> }) {\n  await ws.send("hi");\n}\n',
    ],
    [
      'a got stream',
      "import got from 'got';\nexport async function f() {\n  await got.stream('https://x.example.com');\n}\n",
    ],
    [
      'already inside some policy',
      "import axios from 'axios';\nimport { retry, handleAll } from 'cockatiel';\nconst p = retry(handleAll, { maxAttempts: 2 });\nexport async function f() {\n  return p.execute(() => axios.get('https://x.example.com'));\n}\n",
    ],
  ];
  it.each(valid)('leaves %s alone', (_, source) => {
    const { output, state } = run(fix, source);
    expect(output).toBeNull();
    expect(state.skipped).toEqual([]);
  });

  // calls it recognises but cannot wrap safely: the exact line and reason are recorded
  const skipped: Array<[string, string, number, RegExp]> = [
    [
      'a .then chain whose rejection handler reads err.response',
      "import axios from 'axios';\nexport function f() {\n  return axios.get('https://x.example.com').then((r) => r.data, (err) => err.response.data);\n}\n",
      3,
      /the catch at line 3 reads err.response/,
    ],
    [
      'a .catch whose handler destructures the error',
      "import axios from 'axios';\nexport function f() {\n  return axios.get('https://x.example.com').then((r) => r.data).catch(({ response }) => response);\n}\n",
      3,
      /a destructured error/,
    ],
    [
      'a fetch at the head of a .then chain',
      "export function f() {\n  return fetch('https://x.example.com').then((r) => r.json());\n}\n",
      2,
      /goes on to a \.then/,
    ],
    [
      'a stored promise',
      "import axios from 'axios';\nexport async function f() {\n  const p = axios.get('https://x.example.com');\n  return (await p).data;\n}\n",
      3,
      /stored or handed on/,
    ],
    [
      'a fetch body read after a statement that is not a status check',
      "export async function f() {\n  const res = await fetch('https://x.example.com');\n  console.log(res.status);\n  return res.json();\n}\n",
      2,
      /not read right after the fetch and its status checks/,
    ],
    [
      'a status check that returns a fallback instead of throwing (a 5xx must not become an error there)',
      "export async function f() {\n  const res = await fetch('https://x.example.com');\n  if (!res.ok) return null;\n  return res.json();\n}\n",
      2,
      /status check at line 3 returns instead of throwing/,
    ],
    [
      'a head value used after the body is read',
      "export async function f() {\n  const res = await fetch('https://x.example.com');\n  const type = res.headers.get('content-type');\n  const body = await res.text();\n  return { type, body };\n}\n",
      2,
      /'type', read from the response's head, is used after its body is read/,
    ],
    [
      'a call inside a hand-written retry loop',
      "import axios from 'axios';\nexport async function f() {\n  for (let i = 0; i < 3; i++) {\n    try {\n      return await axios.get('https://x.example.com');\n    } catch {}\n  }\n}\n",
      5,
      /inside the hand-written retry loop at line 3/,
    ],
    [
      'a call whose function retries itself',
      "import axios from 'axios';\nexport async function f(n = 3): Promise<unknown> {\n  try {\n    return await axios.get('https://x.example.com');\n  } catch (err) {\n    if (n === 0) throw err;\n    return f(n - 1);\n  }\n}\n",
      4,
      /retries by calling itself \(line 2\)/,
    ],
    [
      'a call whose catch reads err.response',
      "import axios from 'axios';\nexport async function f() {\n  try {\n    return (await axios.get('https://x.example.com')).data;\n  } catch (err: any) {\n    if (err.response?.status === 404) return null;\n    throw err;\n  }\n}\n",
      4,
      /the catch at line 5 reads err.response/,
    ],
    [
      'a POST without a key inside a breaker someone else wrote',
      "import axios from 'axios';\nimport { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';\nconst b = circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(3) });\nexport async function f() {\n  return b.execute(() => axios.post('https://x.example.com/pay', {}));\n}\n",
      5,
      /POST without an idempotency key already runs inside a policy's execute: it is not retried/,
    ],
    [
      'a fetch Response used after its body is read',
      "export async function f() {\n  const res = await fetch('https://x.example.com');\n  const body = await res.text();\n  return { body, status: res.status };\n}\n",
      2,
      /used after its body is read/,
    ],
    [
      'a returned fetch Response',
      'export async function f(u: string) {\n  return fetch(u);\n}\n',
      2,
      /Response is returned/,
    ],
    [
      'axios options in a variable',
      "import axios from 'axios';\nexport async function f(config: object) {\n  await axios.get('https://x.example.com', config);\n}\n",
      3,
      /not an object literal/,
    ],
    [
      'an S3 object stream',
      "import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';\nconst s3 = new S3Client({});\nexport async function f() {\n  return (await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }))).Body;\n}\n",
      4,
      /stream/,
    ],
    [
      'an axios call with an unknown first argument',
      "import axios from 'axios';\nexport async function f(x: string) {\n  await axios(x);\n}\n",
      3,
      /URL or a config/,
    ],
  ];
  it.each(skipped)('skips %s', (_, source, line, reason) => {
    const { output, state } = run(fix, source);
    expect(output).toBeNull();
    expect(state.skipped).toHaveLength(1);
    expect(state.skipped[0]!.line).toBe(line);
    expect(state.skipped[0]!.reason).toMatch(reason);
  });

  it('names the policy after the finding and fixes only the lines of findings', () => {
    const source = [
      "import axios from 'axios';",
      'export async function f() {',
      "  await axios.get('https://a.example.com');",
      "  await axios.get('https://b.example.com');",
      '}',
      '',
    ].join('\n');
    const { output } = run(fix, source, 'handler.ts', [finding(4, 'billing API')]);
    expect(output).toContain("  await axios.get('https://a.example.com');\n");
    expect(output).toContain(
      "  await policyFor('billing-api').execute(({ signal }) => axios.get('https://b.example.com', { signal }));\n",
    );
  });

  it('moves a fetch, its status checks and its body read inside the policy, after a check that fails the attempt on 5xx/429', () => {
    const source =
      "export async function f() {\n  const res = await fetch('https://x.example.com/items');\n  if (!res.ok) {\n    throw new Error(`x answered ${res.status}`);\n  }\n  const items = (await res.json()) as string[];\n  return items.length;\n}\n";
    expect(run(fix, source).output).toBe(
      [
        "import { policyFor, throwOnTransientStatus } from './resilience/policies';",
        'export async function f() {',
        "  const items = await policyFor('x.example.com').execute(async ({ signal }) => {",
        "    const res = throwOnTransientStatus(await fetch('https://x.example.com/items', { signal }));",
        '    if (!res.ok) {',
        '      throw new Error(`x answered ${res.status}`);',
        '    }',
        '    return (await res.json()) as string[];',
        '  });',
        '  return items.length;',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('moves head reads and checks on them along, and a body read only to consume it', () => {
    const source = [
      'export async function f(url: string) {',
      '  const res = await fetch(url, { method: "DELETE" });',
      "  const type = res.headers.get('content-type') || '';",
      '  if (!res.ok) throw new Error(`${res.status}`);',
      "  if (!type.includes('json')) throw new Error('not json');",
      '  await res.json(); // consume the body',
      '  return true;',
      '}',
      '',
    ].join('\n');
    expect(run(fix, source).output).toContain(
      [
        "  await policyFor('fetch').execute(async ({ signal }) => {",
        '    const res = throwOnTransientStatus(await fetch(url, { method: "DELETE", signal }));',
        "    const type = res.headers.get('content-type') || '';",
        '    if (!res.ok) throw new Error(`${res.status}`);',
        "    if (!type.includes('json')) throw new Error('not json');",
        '    await res.json(); // consume the body',
        '  });',
        '  return true;',
      ].join('\n'),
    );
  });

  it('retries a GET and a keyed POST, never a POST without a key, and says so per call', () => {
    const source = [
      "import axios from 'axios';",
      'export async function f(order: { id: string }) {',
      "  await axios.get('https://pay.example.com/health');",
      "  await axios.post('https://pay.example.com/charges', order, { headers: { 'Idempotency-Key': order.id } });",
      "  await axios.post('https://pay.example.com/captures', order);",
      '}',
      '',
    ].join('\n');
    const { output, state } = run(fix, source);
    expect(output).toContain(
      "await policyFor('pay.example.com').execute(({ signal }) => axios.get('https://pay.example.com/health', { signal }));",
    );
    expect(output).toContain(
      "await policyFor('pay.example.com').execute(({ signal }) => axios.post('https://pay.example.com/charges', order, { headers: { 'Idempotency-Key': order.id }, signal }));",
    );
    expect(output).toContain(
      "await policyFor('pay.example.com', { idempotent: false }).execute(({ signal }) => axios.post('https://pay.example.com/captures', order, { signal }));",
    );
    expect(state.notes).toEqual([
      {
        line: 5,
        text: 'pay.example.com: POST without an idempotency key: breaker and timeout, sent again only when it never left (connection refused, DNS); set idempotencyKeys: true to add a key',
      },
      { line: 4, text: 'pay.example.com: POST: retried, every attempt sends the same Idempotency-Key header' },
      { line: 3, text: 'pay.example.com: GET: retried (idempotent)' },
    ]);
  });

  it('with idempotencyKeys: true, adds a key made once per call outside the policy, sent on every attempt', () => {
    const source =
      "import axios from 'axios';\nexport async function f(order: object) {\n  const { data } = await axios.post('https://pay.example.com/captures', order);\n  return data;\n}\n";
    const { output, state } = run(fix, source, 'handler.ts', undefined, { ...defaultConfig(), idempotencyKeys: true });
    expect(output).toBe(
      [
        "import { randomUUID } from 'node:crypto';",
        "import { policyFor } from './resilience/policies';",
        "import axios from 'axios';",
        'export async function f(order: object) {',
        '  // pay.example.com must honour Idempotency-Key: one key per call, the same on every attempt, so a retried request is applied once',
        '  const idempotencyKey = randomUUID();',
        '',
        "  const { data } = await policyFor('pay.example.com').execute(({ signal }) => axios.post('https://pay.example.com/captures', order, { signal, headers: { 'Idempotency-Key': idempotencyKey } }));",
        '  return data;',
        '}',
        '',
      ].join('\n'),
    );
    expect(state.notes?.[0]?.text).toMatch(/retried with an Idempotency-Key made once per call/);
  });

  it('moves a key made inside the call out of the retries', () => {
    const source =
      "import axios from 'axios';\nimport { randomUUID } from 'node:crypto';\nexport async function f(order: object) {\n  await axios.post('https://pay.example.com/charges', order, { headers: { 'Idempotency-Key': randomUUID() } });\n}\n";
    const { output } = run(fix, source);
    expect(output).toContain(
      "  // made once per call, before the retries: every attempt sends the same key\n  const idempotencyKey = randomUUID();\n\n  await policyFor('pay.example.com').execute(({ signal }) => axios.post('https://pay.example.com/charges', order, { headers: { 'Idempotency-Key': idempotencyKey }, signal }));\n",
    );
  });

  it('an exported AWS SDK client keeps its own retries and the policy does not retry (no maxAttempts: 1 that its other callers would feel)', () => {
    const source =
      "import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';\nexport const ddb = new DynamoDBClient({});\nexport async function f() {\n  return ddb.send(new GetItemCommand({ TableName: 't', Key: {} }));\n}\n";
    const { output, state } = run(fix, source);
    expect(output).toContain('export const ddb = new DynamoDBClient({});');
    expect(output).toContain(
      "return policyFor('dynamodb', { retry: false }).execute(({ signal }) => ddb.send(new GetItemCommand({ TableName: 't', Key: {} }), { abortSignal: signal }));",
    );
    expect(state.notes?.[0]?.text).toMatch(/the client keeps its own retries/);
  });

  it('a call that something else already retries (a retry helper, got itself) gets breaker and timeout only', () => {
    const source = [
      "import axios from 'axios';",
      "import got from 'got';",
      "import pRetry from 'p-retry';",
      'export async function f() {',
      "  const a = await withRetry(async () => (await axios.get('https://a.example.com/x')).data);",
      "  const b = await pRetry(() => axios.get('https://b.example.com/y'), { retries: 3 });",
      "  const c = await got.get('https://c.example.com/z', { timeout: { request: 6000 } }).json();",
      '  return [a, b, c];',
      '}',
      '',
    ].join('\n');
    const { output, state } = run(fix, source);
    expect(output).toContain(
      "withRetry(async () => (await policyFor('a.example.com', { retry: false }).execute(({ signal }) => axios.get('https://a.example.com/x', { signal }))).data)",
    );
    expect(output).toContain(
      "pRetry(() => policyFor('b.example.com', { retry: false }).execute(({ signal }) => axios.get('https://b.example.com/y', { signal })), { retries: 3 })",
    );
    expect(output).toContain(
      "await policyFor('c.example.com', { retry: false }).execute(({ signal }) => got.get('https://c.example.com/z', { timeout: { request: 6000 }, signal }).json())",
    );
    expect(state.notes?.map((n) => n.text).sort()).toEqual([
      'a.example.com: GET: withRetry already retries it; breaker and timeout only, so attempts do not multiply',
      'b.example.com: GET: p-retry already retries it; breaker and timeout only, so attempts do not multiply',
      "c.example.com: GET: got's own retries already retries it; breaker and timeout only, so attempts do not multiply",
    ]);
  });

  it('requests the policies module with the modules and packages it needs', () => {
    const { state } = run(
      fix,
      "import axios from 'axios';\nexport async function f() {\n  await axios.get('https://a.example.com');\n}\n",
    );
    expect([...state.modules.values()].map((m) => m.kind).sort()).toEqual(['errors', 'logger', 'policies']);
    expect(Object.fromEntries(state.dependencies)).toEqual({
      cockatiel: '^3.2.1',
      '@aws-lambda-powertools/logger': '^2.0.0',
    });
  });

  it('combines an existing signal and keeps a user variable named signal visible', () => {
    const source =
      'export async function f(signal: AbortSignal) {\n  await fetch("https://a.example.com", { signal });\n}\n';
    expect(run(fix, source).output).toContain(
      'execute(({ signal: policySignal }) => fetch("https://a.example.com", { signal: AbortSignal.any([signal, policySignal]) }))',
    );
  });
});

describe('policy-layer', () => {
  it('changes no code but requests the policies module and its needs', () => {
    const { output, state } = run(policyLayer, 'export const x = 1;\n', 'index.js');
    expect(output).toBeNull();
    expect([...state.modules.values()].map((m) => m.file).sort()).toEqual([
      '/virtual/src/resilience/errors.js',
      '/virtual/src/resilience/logger.js',
      '/virtual/src/resilience/policies.js',
    ]);
    expect(state.dependencies.get('cockatiel')).toBe('^3.2.1');
  });
});

describe('printing a CommonJS file whose directive follows a header comment', () => {
  it('keeps one semicolon after the directive and the blank line below it', () => {
    const source =
      "// handler.js\n'use strict';\n\nconst axios = require('axios');\nmodule.exports.f = async () => {\n  await axios.get('https://a.example.com/x');\n};\n";
    const path = '/virtual/src/handler.js';
    const j = jscodeshift.withParser(recastParserFor(path));
    const root = j(source);
    const state: ServiceState = { modules: new Map(), dependencies: new Map(), skipped: [] };
    expect(
      fix(
        createFixContext(j, root, path, defaultConfig(), state, undefined, {
          facts: factSource([], () => detectPolicyFacts(path, source)),
        }),
      ),
    ).toBe(true);
    const out = printRoot(root, source);
    expect(out.startsWith("// handler.js\n'use strict';\n\nconst ")).toBe(true);
    expect(out).not.toContain(';;');
  });
});

describe('AWS SDK clients and the calls left unwrapped', () => {
  it('a client one of whose sends stays unwrapped (inside a hand-written loop) keeps its own retries, and the wrapped send does not retry on top', () => {
    const source = [
      "import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';",
      'const ddb = new DynamoDBClient({});',
      'export async function read() {',
      "  return ddb.send(new GetItemCommand({ TableName: 't', Key: {} }));",
      '}',
      'export async function write() {',
      '  for (let i = 0; i < 3; i++) {',
      '    try {',
      "      return await ddb.send(new PutItemCommand({ TableName: 't', Item: {} }));",
      '    } catch {',
      '      await new Promise((r) => setTimeout(r, 100));',
      '    }',
      '  }',
      "  throw new Error('write failed');",
      '}',
      '',
    ].join('\n');
    const path = '/virtual/src/store.ts';
    const j = jscodeshift.withParser(recastParserFor(path));
    const root = j(source);
    const state: ServiceState = { modules: new Map(), dependencies: new Map(), skipped: [] };
    // only the read is selected here, as the engine would for a finding on line 4; the loop's send is someone else's
    const findings = [
      { ...finding(4, 'DynamoDB'), ruleId: 'no-circuit-breaker' },
      { ...finding(9, 'DynamoDB'), ruleId: 'no-circuit-breaker' },
    ];
    fix(
      createFixContext(j, root, path, defaultConfig(), state, findings, {
        facts: factSource(findings, () => detectPolicyFacts(path, source)),
      }),
    );
    const output = root.toSource(printOptionsFor(source));
    expect(output).toContain('const ddb = new DynamoDBClient({});');
    expect(output).toContain("return policyFor('dynamodb', { retry: false }).execute(");
    expect(state.skipped.map((s) => s.line)).toEqual([9]);
  });
});
