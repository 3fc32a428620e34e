import fs from 'node:fs';
import path from 'node:path';

/** The modules fixes generate once per package and import from there. */
export type GeneratedModuleKind = 'errors' | 'policies' | 'logger';

const FILE_NAMES: Record<GeneratedModuleKind, string> = {
  errors: 'resilience/errors',
  policies: 'resilience/policies',
  logger: 'resilience/logger',
};

/** Nearest directory at or above `fromDir` holding a package.json (the package root), else `fromDir`. */
export function packageRootOf(fromDir: string): string {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return fromDir;
  }
}

/** Where generated modules live in a package: `<sourceRoot>` from config, else `src/` when it exists, else the package root. */
export function sourceRootOf(packageRoot: string, configured?: string): string {
  if (configured) return path.resolve(packageRoot, configured);
  const src = path.join(packageRoot, 'src');
  return fs.existsSync(src) ? src : packageRoot;
}

/** The absolute path (with extension) of a generated module for a file in a package. */
export function generatedModulePath(kind: GeneratedModuleKind, sourceRoot: string, typescript: boolean): string {
  return path.join(sourceRoot, `${FILE_NAMES[kind]}${typescript ? '.ts' : '.js'}`);
}

/** The import specifier from `fromFile` to a module file: relative, posix, without extension. */
export function importSpecifier(fromFile: string, moduleFile: string): string {
  let rel = path.relative(path.dirname(fromFile), moduleFile).split(path.sep).join('/');
  rel = rel.replace(/\.(ts|js|mts|mjs|cts|cjs)$/, '');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
