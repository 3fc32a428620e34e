import { UsageError } from '../errors';

export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

/** FNV-1a over UTF-16 code units: stable across runs, machines and Node versions. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The 0-based shard of `n` a file belongs to, by its posix path relative to the root. */
export function shardOf(relPath: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`shard count must be a positive integer (got ${n})`);
  return fnv1a(relPath) % n;
}

/** `--shard i/n` (1-based i), e.g. "2/4". */
export function parseShard(value: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (!m) throw new UsageError(`--shard must look like i/n, e.g. 1/4 (got "${value}")`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new UsageError(`--shard ${value}: the shard count must be at least 1`);
  if (index < 1 || index > count)
    throw new UsageError(`--shard ${value}: the shard number must be between 1 and ${count}`);
  return { index, count };
}

/** Whether a file is in the given shard. */
export function inShard(relPath: string, shard: Shard): boolean {
  return shardOf(relPath, shard.count) === shard.index - 1;
}
