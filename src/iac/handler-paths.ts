import path from 'node:path';

const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];

/** `src/handlers/orders.handler` → module `src/handlers/orders`, export `handler`. */
export function splitHandler(spec: string): { module: string; exportName: string } | null {
  const dot = spec.lastIndexOf('.');
  if (dot <= 0 || spec.includes('${')) return null;
  return { module: spec.slice(0, dot), exportName: spec.slice(dot + 1) };
}

/**
 * The source file for a module path (relative to the root, no extension): the first
 * existing file with a source extension, else the path as written (or `.js`, the runtime's default).
 */
export function resolveModuleFile(modulePath: string, repoFiles: ReadonlySet<string>): string {
  const base = path.posix.normalize(modulePath).replace(/^\.\//, '');
  if (SOURCE_EXTENSIONS.some((e) => base.endsWith(e)) && repoFiles.has(base)) return base;
  const stem = base.replace(/\.(m|c)?(j|t)sx?$/, '');
  for (const ext of SOURCE_EXTENSIONS) if (repoFiles.has(stem + ext)) return stem + ext;
  for (const ext of SOURCE_EXTENSIONS) if (repoFiles.has(`${stem}/index${ext}`)) return `${stem}/index${ext}`;
  return /\.[cm]?[jt]sx?$/.test(base) ? base : `${base}.js`;
}

/** posix join that keeps results relative to the scan root */
export function joinRel(...parts: string[]): string {
  const joined = path.posix.normalize(path.posix.join(...parts.filter((p) => p && p !== '.')));
  return joined.replace(/^\.\//, '').replace(/(.)\/+$/, '$1');
}
