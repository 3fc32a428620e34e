import fs from 'node:fs';
import path from 'node:path';
import type { Discovery } from './discovery-types';
import type { FileNote } from '../types';

export interface PackageFacts {
  name: string | null;
  dependencies: Set<string>;
  moduleType: 'module' | 'commonjs';
  workspaces: string[];
  packageManager: Discovery['packageManager'];
  /** the module system tsconfig.json compiles .ts files to; null without a tsconfig that says */
  tsModule: 'esm' | 'cjs' | null;
  notes: FileNote[];
}

/** Reads the package.json of `dir` (if any) and the lockfile that names the package manager. */
export function readPackageFacts(dir: string, root: string): PackageFacts {
  const facts: PackageFacts = {
    name: null,
    dependencies: new Set(),
    moduleType: 'commonjs',
    workspaces: [],
    packageManager: 'unknown',
    tsModule: null,
    notes: [],
  };
  const file = path.join(dir, 'package.json');
  if (fs.existsSync(file)) {
    const rel = path.relative(root, file).split(path.sep).join('/') || 'package.json';
    try {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
      facts.name = typeof pkg.name === 'string' ? pkg.name : null;
      for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
        const deps = pkg[key];
        if (deps && typeof deps === 'object') for (const dep of Object.keys(deps)) facts.dependencies.add(dep);
      }
      facts.moduleType = pkg.type === 'module' ? 'module' : 'commonjs';
      const declared = pkg.workspaces as unknown[] | { packages?: unknown } | undefined;
      const ws = Array.isArray(declared) ? declared : declared?.packages;
      if (Array.isArray(ws)) facts.workspaces = ws.filter((w: unknown): w is string => typeof w === 'string');
      if (typeof pkg.packageManager === 'string') facts.packageManager = managerFromField(pkg.packageManager);
    } catch (err) {
      facts.notes.push({
        file: rel,
        kind: 'parse-error',
        message: `malformed package.json: ${(err as Error).message}`,
      });
    }
  }
  if (facts.packageManager === 'unknown') facts.packageManager = managerFromLockfile(dir, root);
  facts.tsModule = tsconfigModule(dir, facts.moduleType);
  return facts;
}

/**
 * What tsconfig.json's `module` compiles TypeScript to: a service written with `import` runs as
 * CommonJS under `"module": "commonjs"`. node16/nodenext follow package.json "type"; with no
 * `module`, TypeScript's default follows `target` (CommonJS for ES3/ES5, the default target).
 * Null when there is no tsconfig or it extends another one that may set it.
 */
export function tsconfigModule(dir: string, packageType: PackageFacts['moduleType']): 'esm' | 'cjs' | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8');
  } catch {
    return null;
  }
  // JSON with comments: drop the comments, keep the strings (which may hold // or /*)
  const plain = text.replace(
    /("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g,
    (_m, str: string | undefined) => str ?? '',
  );
  const value = (key: string): string | undefined =>
    new RegExp(`"${key}"\\s*:\\s*"([^"]+)"`, 'i').exec(plain)?.[1]?.toLowerCase();
  const module = value('module');
  if (module) {
    if (/^(commonjs|umd|amd|system)$/.test(module)) return 'cjs';
    if (/^node(16|18|20|next)$/.test(module)) return packageType === 'module' ? 'esm' : 'cjs';
    return 'esm';
  }
  if (/"extends"\s*:/.test(plain)) return null;
  const target = value('target') ?? 'es5';
  return target === 'es3' || target === 'es5' ? 'cjs' : 'esm';
}

function managerFromField(field: string): Discovery['packageManager'] {
  const name = field.split('@')[0];
  return name === 'npm' || name === 'yarn' || name === 'pnpm' || name === 'bun' ? name : 'unknown';
}

function managerFromLockfile(dir: string, root: string): Discovery['packageManager'] {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'pnpm-lock.yaml'))) return 'pnpm';
    if (fs.existsSync(path.join(d, 'yarn.lock'))) return 'yarn';
    if (fs.existsSync(path.join(d, 'bun.lockb')) || fs.existsSync(path.join(d, 'bun.lock'))) return 'bun';
    if (fs.existsSync(path.join(d, 'package-lock.json'))) return 'npm';
    if (d === root || path.dirname(d) === d || fs.existsSync(path.join(d, '.git'))) return 'unknown';
  }
}
