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
