import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { languageOf } from '../../src/parse/parse-options';
import { parseSource } from '../../src/parse/parse-source';

/**
 * Random small programs for property tests, built from the shapes the rules look at: outbound
 * calls (axios, an axios instance, fetch, the AWS SDK), console calls, try/catch with the
 * bodies people write, promise .catch, in functions, arrow functions, class methods and a
 * Lambda handler. Fragments are valid in both JavaScript and TypeScript.
 */

const CALLS = [
  "await axios.get('https://api.example.com/items/' + id);",
  "const posted@N = await axios.post('https://payments.example.com/charge', { id });",
  "const res@N = await fetch('https://api.example.com/x');\nconst data@N = await res@N.json();",
  'await fetch(`https://inventory.example.com/${id}`);',
  "const item@N = await db.send(new GetItemCommand({ TableName: 't', Key: { id: { S: id } } }));",
  "const out@N = await api.get('/items/' + id);",
  "axios.get('https://api.example.com/ping').then((r) => r.data);",
  "const { data: body@N } = await axios.get(`https://api.example.com/${id}`, { headers: { a: '1' } });",
];
const LOGS = [
  "console.log('step', id);",
  "console.error('boom');",
  'console.warn(`slow ${id}`);',
  'console.info({ id });',
  "console.log(id, 'x', 1);",
  'console.debug("done");',
];
const CATCH_BODIES = [
  '',
  'console.error(err);',
  'return null;',
  "console.log('failed', err);\nreturn [];",
  '// ignored on purpose',
  'throw err;',
  "return { statusCode: 500, body: 'error' };",
  "console.error('lookup failed', err);\nreturn { statusCode: 502, body: JSON.stringify({ message: 'upstream' }) };",
];
const OTHER = [
  'const n@N = id.length;',
  'if (!id) return null;',
  'let total@N = 0;\nfor (const x of [1, 2]) total@N += x;',
];

/** `@N` in a fragment becomes a number, so that two copies of a fragment declare different names. */
const numbered = (fragments: string[]): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...fragments), fc.nat(99_999)).map(([code, n]) => code.replace(/@N/g, String(n)));

const indent = (code: string, by = '  '): string =>
  code
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');

const simple = fc.oneof(
  { weight: 3, arbitrary: numbered(CALLS) },
  { weight: 2, arbitrary: fc.constantFrom(...LOGS) },
  { weight: 1, arbitrary: numbered(OTHER) },
);
const tryStatement = fc
  .tuple(
    fc.array(simple, { minLength: 1, maxLength: 3 }),
    fc.constantFrom(...CATCH_BODIES),
    fc.constantFrom('err', 'e', ''),
  )
  .map(([body, handler, name]) => {
    const used = name || 'err';
    const catchBody = handler.replace(/\berr\b/g, used);
    const clause = name ? `catch (${name})` : /\berr\b/.test(handler) ? 'catch (err)' : 'catch';
    return `try {\n${indent(body.join('\n'))}\n} ${clause} {\n${indent(catchBody)}\n}`;
  });
const promiseCatch = fc.constantFrom(
  "await axios.get('https://api.example.com/a').catch(() => {});",
  "await fetch('https://api.example.com/b').catch((e) => null);",
);
export const statement = fc.oneof(
  { weight: 4, arbitrary: simple },
  { weight: 2, arbitrary: tryStatement },
  { weight: 1, arbitrary: promiseCatch },
);
const body = fc.array(statement, { minLength: 1, maxLength: 4 }).map((s) => s.join('\n'));

type Container = 'function' | 'arrow' | 'class' | 'handler';
const container = fc.tuple(fc.constantFrom<Container>('function', 'arrow', 'class', 'handler'), body);

export interface GeneratedProgram {
  file: string;
  code: string;
}

/** One module: chosen imports and clients, then 1–3 containers of random statements. */
export const program: fc.Arbitrary<GeneratedProgram> = fc
  .record({
    ext: fc.constantFrom('ts', 'js'),
    cjs: fc.boolean(),
    axios: fc.boolean(),
    aws: fc.boolean(),
    instance: fc.boolean(),
    containers: fc.array(container, { minLength: 1, maxLength: 3 }),
  })
  .map(({ ext, cjs, axios, aws, instance, containers }) => {
    const commonjs = cjs && ext === 'js';
    const lines: string[] = [];
    if (axios || instance) lines.push(commonjs ? "const axios = require('axios');" : "import axios from 'axios';");
    if (aws) {
      lines.push(
        commonjs
          ? "const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');"
          : "import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';",
      );
      lines.push('const db = new DynamoDBClient({});');
    }
    if (instance) lines.push("const api = axios.create({ baseURL: 'https://orders.example.com' });");
    const exported: string[] = [];
    const exp = commonjs ? '' : 'export ';
    containers.forEach(([kind, code], i) => {
      lines.push('');
      if (kind === 'function') lines.push(`${exp}async function f${i}(id) {\n${indent(code)}\n}`);
      else if (kind === 'arrow') lines.push(`${exp}const g${i} = async (id) => {\n${indent(code)}\n};`);
      else if (kind === 'class') lines.push(`${exp}class S${i} {\n  async run(id) {\n${indent(code, '    ')}\n  }\n}`);
      else
        lines.push(
          `${commonjs ? `exports.handler${i} = ` : `${exp}const handler${i} = `}async (event) => {\n  const id = event.id;\n${indent(code)}\n  return { statusCode: 200, body: '' };\n};`,
        );
      if (kind !== 'handler') exported.push(kind === 'function' ? `f${i}` : kind === 'arrow' ? `g${i}` : `S${i}`);
    });
    if (commonjs && exported.length) lines.push('', `module.exports = { ...module.exports, ${exported.join(', ')} };`);
    return { file: `src/module.${ext}`, code: `${lines.join('\n')}\n` };
  });

/** The code inputs of the transform fixtures, as path (relative to the repository) → text. */
export function fixtureInputs(repo: string): GeneratedProgram[] {
  const base = path.join(repo, '__testfixtures__');
  const out: GeneratedProgram[] = [];
  for (const dir of fs.readdirSync(base).sort()) {
    for (const name of fs.readdirSync(path.join(base, dir)).sort()) {
      if (!/\.input\.[cm]?[jt]sx?$/.test(name) || !languageOf(name)) continue;
      out.push({
        file: `src/${dir}-${name.replace('.input', '')}`,
        code: fs.readFileSync(path.join(base, dir, name), 'utf8'),
      });
    }
  }
  return out;
}

export type Mutation =
  | { op: 'duplicate' | 'delete' | 'comment'; at: number }
  | { op: 'swap'; at: number; with: number }
  | { op: 'insert'; at: number; code: string }
  | { op: 'crlf' | 'bom' | 'tabs' };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('duplicate' as const, 'delete' as const, 'comment' as const), at: fc.nat(200) }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(200), with: fc.nat(200) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(200), code: statement }),
  fc.record({ op: fc.constantFrom('crlf' as const, 'bom' as const, 'tabs' as const) }),
);

/** Applies line-level mutations; the result may not parse (callers filter those out). */
export function mutate(code: string, mutations: Mutation[]): string {
  let lines = code.replace(/\r\n/g, '\n').split('\n');
  let crlf = false;
  let bom = false;
  for (const m of mutations) {
    const n = Math.max(lines.length, 1);
    if (m.op === 'duplicate') lines.splice(m.at % n, 0, lines[m.at % n] ?? '');
    else if (m.op === 'delete') lines.splice(m.at % n, 1);
    else if (m.op === 'comment') lines.splice(m.at % n, 0, '// a note that moves the lines below');
    else if (m.op === 'swap') [lines[m.at % n], lines[m.with % n]] = [lines[m.with % n] ?? '', lines[m.at % n] ?? ''];
    else if (m.op === 'insert') lines.splice(m.at % n, 0, ...m.code.split('\n'));
    else if (m.op === 'crlf') crlf = true;
    else if (m.op === 'bom') bom = true;
    else lines = lines.map((l) => l.replace(/^( {2})+/, (s) => '\t'.repeat(s.length / 2)));
  }
  const text = lines.join(crlf ? '\r\n' : '\n');
  return bom ? `\uFEFF${text}` : text;
}

/** Whether the text parses cleanly as the file's language (what the fix engine needs to rewrite it). */
export function parsesCleanly(file: string, text: string): boolean {
  const outcome = parseSource(text.replace(/^\uFEFF/, ''), languageOf(file) ?? 'tsx');
  return outcome.ok && outcome.recovered.length === 0;
}
