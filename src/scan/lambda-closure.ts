import { resolveRelative } from '../detect/relative-modules';

export { resolveRelative };

/** The files that run in Lambda: the handler files and every file they import, transitively. */
export function lambdaFiles(handlerFiles: Iterable<string>, importsOf: Map<string, Set<string>>): Set<string> {
  const known = new Set(importsOf.keys());
  const out = new Set<string>();
  const queue = [...handlerFiles].filter((f) => known.has(f));
  while (queue.length) {
    const file = queue.pop()!;
    if (out.has(file)) continue;
    out.add(file);
    for (const spec of importsOf.get(file) ?? []) {
      const target = resolveRelative(file, spec, known);
      if (target && !out.has(target)) queue.push(target);
    }
  }
  return out;
}
