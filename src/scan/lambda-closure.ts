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

/**
 * The files that import `targets`, directly or not (the targets included): the only files whose
 * handler exports can put a target in the Lambda closure.
 */
export function importersOf(targets: Iterable<string>, importsOf: Map<string, Set<string>>): Set<string> {
  const known = new Set(importsOf.keys());
  const importers = new Map<string, string[]>();
  for (const [file, specs] of importsOf) {
    for (const spec of specs) {
      const target = resolveRelative(file, spec, known);
      if (target) importers.set(target, [...(importers.get(target) ?? []), file]);
    }
  }
  const out = new Set<string>();
  const queue = [...targets];
  while (queue.length) {
    const file = queue.pop()!;
    if (out.has(file)) continue;
    out.add(file);
    for (const from of importers.get(file) ?? []) if (!out.has(from)) queue.push(from);
  }
  return out;
}
