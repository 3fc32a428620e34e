import path from 'node:path';

const RELATIVE_IMPORT = /(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Relative module specifiers of a file, by text: also for files no detector needed to parse. */
export function relativeImportsOf(text: string): string[] {
  return [...text.matchAll(RELATIVE_IMPORT)].map((m) => m[1]!);
}

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
