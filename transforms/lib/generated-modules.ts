import fs from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';
import type { GeneratedModuleKind } from '../../src/api/fix-context';

/** The modules fixes generate once per package and import from there (their kinds: GeneratedModuleKind). */
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

/** The absolute path of a generated module; `extension` follows the importing file (see moduleFormatOf). */
export function generatedModulePath(
  kind: GeneratedModuleKind,
  sourceRoot: string,
  extension: ModuleFormat['extension'] | boolean,
): string {
  const ext = typeof extension === 'boolean' ? (extension ? '.ts' : '.js') : extension;
  return path.join(sourceRoot, `${FILE_NAMES[kind]}${ext}`);
}

/**
 * The import specifier from `fromFile` to a module file: relative, posix, and with
 * `specifierExtension` when the module system needs one (ES modules resolve no extension).
 */
export function importSpecifier(fromFile: string, moduleFile: string, specifierExtension = ''): string {
  let rel = path.relative(path.dirname(fromFile), moduleFile).split(path.sep).join('/');
  rel = rel.replace(/\.(ts|js|mts|mjs|cts|cjs)$/, '') + specifierExtension;
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** How a generated module is written and imported for one importing file. */
export interface ModuleFormat {
  extension: '.ts' | '.mts' | '.cts' | '.js' | '.mjs' | '.cjs';
  typescript: boolean;
  /** ES module syntax (TypeScript always writes it; `.cts` compiles it to CommonJS) */
  esm: boolean;
  /** what relative specifiers end with: Node's ES modules need the file's runtime extension */
  specifierExtension: '' | '.js' | '.mjs' | '.cjs';
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON5.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The nearest package.json's "type" at or above `dir` (Node's rule for `.js` files). */
export function packageTypeOf(dir: string): 'module' | 'commonjs' {
  for (let d = dir; ; d = path.dirname(d)) {
    const pkg = readJson(path.join(d, 'package.json'));
    if (pkg) return pkg.type === 'module' ? 'module' : 'commonjs';
    if (path.dirname(d) === d) return 'commonjs';
  }
}

/** `module` / `moduleResolution` of the nearest tsconfig.json, following relative `extends`. */
export function tsModuleSettings(dir: string): { module?: string; moduleResolution?: string } {
  let file: string | null = null;
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'tsconfig.json'))) {
      file = path.join(d, 'tsconfig.json');
      break;
    }
    if (fs.existsSync(path.join(d, 'package.json')) || path.dirname(d) === d) break;
  }
  const out: { module?: string; moduleResolution?: string } = {};
  for (let depth = 0; file && depth < 5; depth++) {
    const config = readJson(file);
    const options = (config?.compilerOptions ?? {}) as Record<string, unknown>;
    if (out.module === undefined && typeof options.module === 'string') out.module = options.module.toLowerCase();
    if (out.moduleResolution === undefined && typeof options.moduleResolution === 'string')
      out.moduleResolution = options.moduleResolution.toLowerCase();
    const parent =
      typeof config?.extends === 'string' && config.extends.startsWith('.')
        ? path.resolve(path.dirname(file), config.extends)
        : null;
    file = parent ? (parent.endsWith('.json') ? parent : `${parent}.json`) : null;
  }
  return out;
}

/**
 * The generated module's file extension, syntax and import specifier for an importing file:
 * `.mjs`/`.cjs` importers get a module of their own kind imported with its extension; a `.js`
 * file of a "type": "module" package imports `./x.js`; TypeScript imports `./x.js` when its
 * module resolution is node16/nodenext (or the package is an ES module package not bundled).
 */
export function moduleFormatOf(file: string, style: 'esm' | 'cjs', fileUsesExtensions: boolean): ModuleFormat {
  const ext = path.extname(file);
  const dir = path.dirname(file);
  if (ext === '.mts') return { extension: '.mts', typescript: true, esm: true, specifierExtension: '.mjs' };
  if (ext === '.cts') return { extension: '.cts', typescript: true, esm: true, specifierExtension: '.cjs' };
  if (ext === '.mjs') return { extension: '.mjs', typescript: false, esm: true, specifierExtension: '.mjs' };
  if (ext === '.cjs') return { extension: '.cjs', typescript: false, esm: false, specifierExtension: '.cjs' };
  if (ext === '.ts' || ext === '.tsx') {
    const ts = tsModuleSettings(dir);
    const nodeNext = /^node(16|next)$/.test(ts.module ?? '') || /^node(16|next)$/.test(ts.moduleResolution ?? '');
    const esmPackage = packageTypeOf(dir) === 'module' && ts.moduleResolution !== 'bundler';
    return {
      extension: '.ts',
      typescript: true,
      esm: true,
      specifierExtension: nodeNext || esmPackage || fileUsesExtensions ? '.js' : '',
    };
  }
  if (packageTypeOf(dir) === 'module')
    return { extension: '.js', typescript: false, esm: true, specifierExtension: '.js' };
  return {
    extension: '.js',
    typescript: false,
    esm: style === 'esm',
    specifierExtension: fileUsesExtensions ? '.js' : '',
  };
}
