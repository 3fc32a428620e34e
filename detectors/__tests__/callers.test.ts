import { describe, expect, it } from 'vitest';
import callers from '../callers';
import type { CallSiteFact } from '../../src/contract-types';
import { defaultConfig } from '../../src/config/config-schema';
import { detectFile } from '../../src/detect/detect-file';
import { callersModel } from '../../src/detect/callers-model';
import type { FileFacts } from '../../src/detect/detector-api';
import { projectFacts } from '../../test/helpers/detect';

function factsOf(code: string, path = 'src/a.ts'): FileFacts {
  const lang = path.endsWith('.js') ? 'js' : 'ts';
  return detectFile(
    { path, absPath: `/p/${path}`, text: code, lang },
    [callers],
    projectFacts({ config: defaultConfig() }),
  ).facts;
}

/** The calls of one callee name: "handling line testsDefault [within]". */
function callsOf(code: string, name: string, path?: string): string[] {
  const calls = factsOf(code, path).calls ?? [];
  return calls.filter((c) => ('local' in c.callee ? c.callee.local : c.callee.name) === name).map(describeCall);
}

function describeCall(c: CallSiteFact): string {
  const within = c.within
    ? ` within ${c.within.name ?? (c.within.route ? `${c.within.route.framework} route` : `line ${c.within.line}`)}`
    : '';
  const route = c.route ? ` ${c.route.framework} route (${c.route.handlesRejection ? 'catches' : 'crashes'})` : '';
  return `${c.handling}@${c.line}${c.testsDefault ? ' tests-default' : ''}${within}${route}`;
}

const IMPORT = `import { load } from './load';\n`;

describe('callers detector: how each call of a project function takes a rejection', () => {
  const cases: Array<[string, string, string[]]> = [
    [
      'awaited inside a try/catch',
      `${IMPORT}export async function f() {\n  try { return await load(); } catch (e) { return 0; }\n}`,
      ['caught@3'],
    ],
    ['.catch chained', `${IMPORT}export function f() { return load().catch(() => 0); }`, ['caught@2']],
    ['.then(ok, failed)', `${IMPORT}export function f() { load().then(ok, failed); }`, ['caught@2']],
    ['Promise.allSettled', `${IMPORT}export async function f() { await Promise.allSettled([load()]); }`, ['caught@2']],
    [
      'Promise.all over a map, then awaited in a try',
      `${IMPORT}export async function f(ids) {\n  try { await Promise.all(ids.map((id) => load(id))); } catch { return; }\n}`,
      ['caught@3'],
    ],
    [
      'awaited with no try: passes on to the enclosing function',
      `${IMPORT}export async function f() { const x = await load(); return x; }`,
      ['propagates@2 within f'],
    ],
    [
      'returned (not awaited) from inside a try: still passes on',
      `${IMPORT}export function f() { try { return load(); } catch { return null; } }`,
      ['propagates@2 within f'],
    ],
    [
      '.then with no catch, returned',
      `${IMPORT}export function f() { return load().then((v) => v * 2); }`,
      ['propagates@2 within f'],
    ],
    ['called and forgotten', `${IMPORT}export function f() { load(); }`, ['unhandled@2']],
    ['.then with no catch, not returned', `${IMPORT}export function f() { load().then(show); }`, ['unhandled@2']],
    ['stored in a variable', `${IMPORT}export function f() { const p = load(); return p; }`, ['unknown@2']],
    ['passed as a value', `${IMPORT}setInterval(load, 1000);`, ['escapes@2']],
    ['re-exported by a barrel', `export { load } from './load';`, ['escapes@1']],
    ['a shadowing parameter is not the import', `${IMPORT}export function f(load) { load(); }`, []],
    [
      'reads null back',
      `${IMPORT}export async function f() {\n  const x = await load();\n  if (x === null) return 404;\n  return 200;\n}`,
      ['propagates@3 tests-default within f'],
    ],
    [
      'reads a falsy default back',
      `${IMPORT}export async function f() { if (!(await load())) return 404; }`,
      ['propagates@2 tests-default within f'],
    ],
    [
      'reads 0 back',
      `${IMPORT}export async function f() { const n = await load(); return n === 0 ? 'sold out' : n; }`,
      ['propagates@2 tests-default within f'],
    ],
    [
      'an Express route awaits it',
      `${IMPORT}import express from 'express';\nconst app = express();\napp.get('/x', async (req, res) => { res.json(await load()); });`,
      ['propagates@4 within express route'],
    ],
    [
      'registered as an Express route handler itself',
      `${IMPORT}import express from 'express';\nconst app = express();\napp.get('/x', load);`,
      ['escapes@4 express route (crashes)'],
    ],
    [
      'registered as a Fastify route handler itself',
      `${IMPORT}import Fastify from 'fastify';\nconst app = Fastify();\napp.get('/x', load);`,
      ['escapes@4 fastify route (catches)'],
    ],
  ];
  it.each(cases)('%s', (_label, code, expected) => {
    expect(callsOf(code, 'load')).toEqual(expected);
  });

  it('follows CommonJS requires and namespace members', () => {
    const code = `const users = require('./users');\nconst { find } = require('./users');\nexports.a = async () => users.find(1);\nexports.b = async () => { await find(2); };`;
    const calls = factsOf(code, 'src/h.js').calls ?? [];
    expect(calls.map((c) => [c.callee, c.handling, c.within?.exports])).toEqual([
      [{ source: './users', name: 'find' }, 'propagates', ['a']],
      [{ source: './users', name: 'find' }, 'propagates', ['b']],
    ]);
  });

  it('records calls of functions of the same file by name', () => {
    const code = `async function load() { return 1; }\nexport async function f() { try { await load(); } catch { return; } }`;
    expect(factsOf(code).calls).toEqual([
      { callee: { local: 'load' }, line: 2, column: 41, handling: 'caught', testsDefault: false },
    ]);
  });
});

describe("callers model: a function's callers across files and through the functions a rejection passes", () => {
  const files: Record<string, string> = {
    'src/clients/pay.ts': `export async function getStatus(id: string) { return id; }`,
    'src/service.ts': `import { getStatus } from './clients/pay';\nexport async function status(id: string) {\n  const s = await getStatus(id);\n  return s ?? 'unknown';\n}`,
    'src/server.ts': `import express from 'express';\nimport { status } from './service';\nconst app = express();\napp.get('/s/:id', async (req, res) => { res.json(await status(req.params.id)); });`,
    'src/job.ts': `import { status } from './service';\nexport async function nightly() {\n  try { await status('all'); } catch { return; }\n}`,
  };
  const facts = new Map(Object.entries(files).map(([f, code]) => [f, factsOf(code, f)]));
  const model = callersModel({
    facts,
    imports: new Map([...facts].map(([f, x]) => [f, x.relativeImports])),
    lambdaHandlers: [],
  });

  it('lists the caller, then the callers its rejection reaches, with their verdicts', () => {
    const { callers: found } = model('src/clients/pay.ts', { name: 'getStatus', exports: ['getStatus'], line: 1 });
    expect(found?.map((c) => [c.file, c.line, c.testsDefault, c.verdict.kind, c.via?.join(' > ')])).toEqual([
      ['src/service.ts', 3, true, 'passes-on', ''],
      ['src/server.ts', 4, false, 'passes-on', 'status'],
      ['src/server.ts', 4, false, 'route', 'status > the express route handler at line 4'],
      ['src/job.ts', 3, false, 'handles', 'status'],
    ]);
  });

  it('calls a function with no callers at all safe, and an importer it could not analyse unsafe', () => {
    const withUnparsed = callersModel({
      facts: new Map([...facts, ['src/legacy.ts', { ...factsOf(''), relativeImports: new Set(['./clients/pay']) }]]),
      imports: new Map([
        ...[...facts].map(([f, x]) => [f, x.relativeImports] as const),
        ['src/legacy.ts', new Set(['./clients/pay'])],
      ]),
      lambdaHandlers: [],
    });
    const lonely = withUnparsed('src/job.ts', { name: 'nightly', exports: ['nightly'], line: 2 });
    expect(lonely.callers).toEqual([]);
    const { callers: found } = withUnparsed('src/clients/pay.ts', {
      name: 'getStatus',
      exports: ['getStatus'],
      line: 1,
    });
    expect(found?.find((c) => c.file === 'src/legacy.ts')?.verdict).toEqual({
      kind: 'unsafe',
      reason: 'it imports the module, but its calls could not be analysed',
    });
  });

  it("marks the callers of an exported function incomplete when the scan saw part of the project, except a Lambda handler's", () => {
    const partial = callersModel({
      facts,
      imports: new Map(),
      lambdaHandlers: [{ file: 'src/job.ts', exportName: 'nightly', triggers: ['schedule'], source: 'iac' }],
      partial: 'the run covers one shard of the files',
    });
    expect(
      partial('src/clients/pay.ts', { name: 'getStatus', exports: ['getStatus'], line: 1 }).callersIncomplete,
    ).toBe('the run covers one shard of the files');
    const handler = partial('src/job.ts', { name: 'nightly', exports: ['nightly'], line: 2 });
    expect(handler.callersIncomplete).toBeUndefined();
    expect(handler.callers?.map((c) => c.verdict.kind)).toEqual(['handles']);
  });
});
