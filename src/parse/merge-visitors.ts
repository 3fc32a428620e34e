import type { Visitors } from './walk';

/** Combines visitor sets into one (one traversal serves them all); handlers for the same key run in the order given. */
export function mergeVisitors(...sets: Visitors[]): Visitors {
  const out: Visitors = {};
  for (const set of sets) {
    for (const [key, fn] of Object.entries(set)) {
      if (!fn) continue;
      const prev = out[key];
      out[key] = prev
        ? (path) => {
            prev(path);
            fn(path);
          }
        : fn;
    }
  }
  return out;
}
