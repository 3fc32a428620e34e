import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors';
import { inShard, parseShard, shardOf } from '../../src/workspaces/shard';

const files = Array.from({ length: 1000 }, (_, i) => `packages/p${i % 7}/src/${i.toString(36)}/file-${i}.ts`);

describe('parseShard', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/4', { index: 2, count: 4 }],
    [' 3 / 3 ', { index: 3, count: 3 }],
  ])('parses %j', (input, expected) => expect(parseShard(input)).toEqual(expected));

  it.each(['0/2', '3/2', '1/0', '1', 'a/b', '-1/2', '1.5/2', ''])('rejects %j with a UsageError', (input) => {
    expect(() => parseShard(input)).toThrow(UsageError);
  });
});

describe('shardOf', () => {
  it('is deterministic', () => {
    expect(files.map((f) => shardOf(f, 4))).toEqual(files.map((f) => shardOf(f, 4)));
    expect(shardOf('src/index.ts', 1)).toBe(0);
  });

  it.each([1, 2, 3, 4, 7])('splits into %i disjoint shards whose union is every file, roughly balanced', (n) => {
    const shards = Array.from({ length: n }, (_, i) => files.filter((f) => inShard(f, { index: i + 1, count: n })));
    const all = shards.flat();
    expect(all.length).toBe(files.length);
    expect(new Set(all)).toEqual(new Set(files));
    for (const s of shards) expect(s.length).toBeGreaterThan((files.length / n) * 0.7);
  });

  it('rejects a non-positive count', () => expect(() => shardOf('a', 0)).toThrow(RangeError));
});
