import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import type { Finding } from '../../src/types';
import { fix as policyLayer } from '../policy-layer';
import { fix } from '../wrap-in-policy';
import { createFixContext, printOptionsFor, type FixStep, type ServiceState } from '../lib/transform-api';
import { recastParserFor } from '../lib/recast-parser';

/** Runs a step on `source` as /virtual/src/<file>; returns the new text (or null) and what it recorded. */
function run(step: FixStep, source: string, file = 'handler.ts', findings?: Finding[]) {
  const path = `/virtual/src/${file}`;
  const j = jscodeshift.withParser(recastParserFor(path));
  const root = j(source);
  const state: ServiceState = { modules: new Map(), dependencies: new Map(), skipped: [] };
  const changed = step(createFixContext(j, root, path, defaultConfig(), state, findings));
  return { output: changed ? root.toSource(printOptionsFor(source)) : null, state };
}

const finding = (line: number, name: string): Finding => ({
  ruleId: 'no-retry', severity: 'critical', file: 'src/handler.ts', line, column: 1, endLine: line, endColumn: 1,
  message: 'no retry', fixable: true, dependency: { name, category: 'external-api' },
});

describe('wrap-in-policy', () => {
  // look-alikes: no rewrite and nothing recorded as skipped
  const valid: Array<[string, string]> = [
    ['an axios helper that sends no request', "import axios from 'axios';\nexport const f = async (e: unknown) => axios.isAxiosError(e);\n"],
    ['a fetch parameter, not the global', 'export async function f(fetch: (u: string) => Promise<void>) {\n  await fetch("/x");\n}\n'],
    ['a Map get', 'const cache = new Map<string, number>();\nexport async function f() {\n  return await cache.get("k");\n}\n'],
    ['send() on something other than an AWS client', 'export async function f(ws: { send(m: string): Promise<void> }) {\n  await ws.send("hi");\n}\n'],
    ['a got stream', "import got from 'got';\nexport async function f() {\n  await got.stream('https://x.example.com');\n}\n"],
    ['already inside some policy', "import axios from 'axios';\nimport { retry, handleAll } from 'cockatiel';\nconst p = retry(handleAll, { maxAttempts: 2 });\nexport async function f() {\n  return p.execute(() => axios.get('https://x.example.com'));\n}\n"],
  ];
  it.each(valid)('leaves %s alone', (_, source) => {
    const { output, state } = run(fix, source);
    expect(output).toBeNull();
    expect(state.skipped).toEqual([]);
  });

  // calls it recognises but cannot wrap safely: the exact line and reason are recorded
  const skipped: Array<[string, string, number, RegExp]> = [
    ['a .then chain', "import axios from 'axios';\nexport function f() {\n  return axios.get('https://x.example.com').then((r) => r.data);\n}\n", 3, /not awaited/],
    ['a stored promise', "import axios from 'axios';\nexport async function f() {\n  const p = axios.get('https://x.example.com');\n  return (await p).data;\n}\n", 3, /not awaited/],
    ['a fetch body read after a status check', "export async function f() {\n  const res = await fetch('https://x.example.com');\n  if (!res.ok) throw new Error('x');\n  return res.json();\n}\n", 2, /not read in the statement right after/],
    ['a fetch Response used after its body is read', "export async function f() {\n  const res = await fetch('https://x.example.com');\n  const body = await res.text();\n  return { body, status: res.status };\n}\n", 2, /used after its body is read/],
    ['a returned fetch Response', 'export async function f(u: string) {\n  return fetch(u);\n}\n', 2, /Response is returned/],
    ['axios options in a variable', "import axios from 'axios';\nexport async function f(config: object) {\n  await axios.get('https://x.example.com', config);\n}\n", 3, /not an object literal/],
    ['an S3 object stream', "import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';\nconst s3 = new S3Client({});\nexport async function f() {\n  return (await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }))).Body;\n}\n", 4, /stream/],
    ['an axios call with an unknown first argument', "import axios from 'axios';\nexport async function f(x: string) {\n  await axios(x);\n}\n", 3, /URL or a config/],
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
    expect(output).toContain("  await policyFor('billing-api').execute(({ signal }) => axios.get('https://b.example.com', { signal }));\n");
  });

  it('requests the policies module with the modules and packages it needs', () => {
    const { state } = run(fix, "import axios from 'axios';\nexport async function f() {\n  await axios.get('https://a.example.com');\n}\n");
    expect([...state.modules.values()].map((m) => m.kind).sort()).toEqual(['errors', 'logger', 'policies']);
    expect(Object.fromEntries(state.dependencies)).toEqual({ cockatiel: '^3.2.1', '@aws-lambda-powertools/logger': '^2.0.0' });
  });

  it('combines an existing signal and keeps a user variable named signal visible', () => {
    const source = 'export async function f(signal: AbortSignal) {\n  await fetch("https://a.example.com", { signal });\n}\n';
    expect(run(fix, source).output).toContain('execute(({ signal: policySignal }) => fetch("https://a.example.com", { signal: AbortSignal.any([signal, policySignal]) }))');
  });
});

describe('policy-layer', () => {
  it('changes no code but requests the policies module and its needs', () => {
    const { output, state } = run(policyLayer, 'export const x = 1;\n', 'index.js');
    expect(output).toBeNull();
    expect([...state.modules.values()].map((m) => m.file).sort()).toEqual(['/virtual/src/resilience/errors.js', '/virtual/src/resilience/logger.js', '/virtual/src/resilience/policies.js']);
    expect(state.dependencies.get('cockatiel')).toBe('^3.2.1');
  });
});
