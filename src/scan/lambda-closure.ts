import path from 'node:path';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx', '/index.ts', '/index.js'];

/** Resolves a relative specifier from a file to a scanned file (posix, relative to root), or null. */
export function resolveRelative(fromFile: string, spec: string, known: Set<string>): string | null {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec));
  if (known.has(base)) return base;
  const stripped = base.replace(/\.(js|mjs|cjs|jsx)$/, '');
  for (const ext of EXTENSIONS) {
    if (known.has(stripped + ext)) return stripped + ext;
    if (known.has(base + ext)) return base + ext;
  }
  return null;
}

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
