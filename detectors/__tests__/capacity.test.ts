import { describe, expect, it } from 'vitest';
import capacity from '../capacity';
import { detect, runCase, type DetectorCase } from '../../test/helpers/detect';

const invalid: DetectorCase[] = [
  {
    name: 'Map cache filled per request',
    code: `
const cache = new Map<string, Order>();
export async function getOrder(id: string) {
  if (cache.has(id)) return cache.get(id);
  const order = await load(id);
  cache.set(id, order);
  return order;
}`,
    expected: ['unbounded-in-memory-queue@1'],
  },
  {
    name: 'array used as a queue that is never drained',
    path: 'src/events.js',
    code: `
const pending = [];
function onEvent(e) {
  pending.push(e);
}
module.exports = { onEvent };`,
    expected: ['unbounded-in-memory-queue@1'],
  },
  {
    name: 'object keyed by session id',
    code: `
const sessions = {};
export const remember = (id: string, s: Session) => { sessions[id] = s; };
export const recall = (id: string) => sessions[id];`,
    expected: ['unbounded-in-memory-queue@1'],
  },
  {
    name: 'Set of seen ids',
    code: `
const seen = new Set();
export function dedupe(id: string) {
  if (seen.has(id)) return false;
  seen.add(id);
  return true;
}`,
    expected: ['unbounded-in-memory-queue@1'],
  },
  {
    name: 'p-queue with no concurrency',
    code: `
import PQueue from 'p-queue';
const queue = new PQueue();
export const run = (job: () => Promise<void>) => queue.add(job);`,
    expected: ['unbounded-in-memory-queue@2'],
  },
  {
    name: 'async.queue with Infinity',
    path: 'src/worker.js',
    code: `
const async = require('async');
const q = async.queue(work, Infinity);`,
    expected: ['unbounded-in-memory-queue@2'],
  },
];

const valid: DetectorCase[] = [
  { name: 'cache with eviction', code: `const cache = new Map();\nexport function put(k: string, v: unknown) {\n  if (cache.size > 1000) cache.delete(cache.keys().next().value);\n  cache.set(k, v);\n}` },
  { name: 'queue drained by a worker', code: `const queue: Job[] = [];\nexport const add = (j: Job) => queue.push(j);\nexport async function work() {\n  while (queue.length) await run(queue.shift()!);\n}` },
  { name: 'filled once at module load (lookup table)', code: `const byCode = new Map();\nfor (const c of CODES) byCode.set(c.code, c);\nexport const find = (code: string) => byCode.get(code);` },
  { name: 'a local collection in a function', code: `export function group(items: Item[]) {\n  const out = new Map();\n  for (const i of items) out.set(i.k, i);\n  return out;\n}` },
  { name: 'exported, trimmed elsewhere', code: `export const registry = new Map();\nexport function register(k: string, v: unknown) { registry.set(k, v); }` },
  { name: 'passed to a bounding helper', code: `const cache = new Map();\nconst lru = bound(cache, 500);\nexport function put(k: string, v: unknown) { cache.set(k, v); }` },
  { name: 'reset on a timer', code: `let buffer: string[] = [];\nexport function log(line: string) { buffer.push(line); }\nsetInterval(() => { flush(buffer); buffer = []; }, 1000);` },
  { name: 'p-queue with concurrency', code: `import PQueue from 'p-queue';\nconst queue = new PQueue({ concurrency: 4 });\nexport const run = (j: () => Promise<void>) => queue.add(j);` },
  { name: 'a parameter shadows the name', code: `const cache = new Map();\nexport function fill(cache: Map<string, number>) { cache.set('a', 1); }\nexport const read = () => cache.get('a');` },
];

describe('capacity detector', () => {
  it.each(invalid)('flags: $name', (c) => {
    expect(runCase(capacity, c)).toEqual(c.expected);
  });
  it.each(valid)('stays silent: $name', (c) => {
    expect(runCase(capacity, c)).toEqual([]);
  });
  it('names the collection and how it grows', () => {
    const [f] = detect(capacity, `const cache = new Map();\nexport const put = (k: string) => cache.set(k, 1);`);
    expect(f?.message).toBe('module-scope Map cache only grows (.set() with no delete, eviction or size check)');
    expect(f?.data).toEqual({ kind: 'collection', variable: 'cache', container: 'Map' });
  });
});
