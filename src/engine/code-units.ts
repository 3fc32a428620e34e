import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import type { ResolvedConfig } from '../config/config-schema';
import { deployFunctions, type DeployFunction } from '../iac/deploy-units';
import { readIacModels } from '../iac/scan-iac';
import { resolveRelative } from '../scan/lambda-closure';
import { relativeImportsOf } from '../detect/relative-modules';
import type { ScanResult } from '../types';
import { packageRootOf } from '../../transforms/lib/generated-modules';

/**
 * The deployable unit a code file ships in: the functions that run it (their handler imports
 * it, directly or not), the directory their code is packaged from, the package.json whose
 * dependencies ship with it, and the oldest Node.js runtime among them.
 */
export interface CodeUnit {
  functions: DeployFunction[];
  /** absolute directory of what ships (asset, CodeUri, service, bundled project) */
  dir: string;
  /** where generated modules go: `src/` of the unit when the file is under it, else the unit's directory */
  sourceRoot: string;
  /** absolute directory of the package.json that ships the dependencies; null when there is none to add them to */
  packageDir: string | null;
  bundled: boolean;
  /** the lowest Node.js major among the functions; null when no runtime is written */
  nodeMajor: number | null;
  /** how the IaC declares the code, for messages */
  declared: string;
  /** the file is outside the code every function ships (it cannot be imported at run time) */
  outside: boolean;
  /** serverless package patterns of the unit, which generated files must match */
  patterns: string[];
}

function inside(file: string, dir: string): boolean {
  return dir === '' || file === dir || file.startsWith(`${dir}/`);
}

export class CodeUnits {
  readonly functions: DeployFunction[];
  private readonly known: Set<string>;
  private readonly closures = new Map<string, Set<string>>();
  private readonly importsCache = new Map<string, string[]>();

  constructor(
    private readonly result: ScanResult,
    private readonly config: ResolvedConfig,
  ) {
    this.functions = deployFunctions(readIacModels(result.iacFiles ?? [], result.repoFiles ?? []));
    this.known = new Set(result.repoFiles ?? []);
  }

  private importsOf(file: string): string[] {
    let specs = this.importsCache.get(file);
    if (!specs) {
      try {
        specs = relativeImportsOf(fs.readFileSync(path.join(this.result.root, file), 'utf8'));
      } catch {
        specs = [];
      }
      this.importsCache.set(file, specs);
    }
    return specs;
  }

  /** The files a handler loads: itself and its relative imports, transitively. */
  closureOf(handlerFile: string): Set<string> {
    const cached = this.closures.get(handlerFile);
    if (cached) return cached;
    const out = new Set<string>();
    const queue = this.known.has(handlerFile) ? [handlerFile] : [];
    while (queue.length) {
      const file = queue.pop()!;
      if (out.has(file)) continue;
      out.add(file);
      for (const spec of this.importsOf(file)) {
        const target = resolveRelative(file, spec, this.known);
        if (target && !out.has(target)) queue.push(target);
      }
    }
    this.closures.set(handlerFile, out);
    return out;
  }

  /** Whether a Lambda handler (declared in IaC or found by its signature) loads `file`. */
  runsInLambda(file: string): boolean {
    return (this.result.discovery.lambdaHandlers ?? []).some((h) => this.closureOf(h.file).has(file));
  }

  /** The functions whose handler runs `file` (posix, relative to the root). */
  functionsRunning(file: string): DeployFunction[] {
    return this.functions.filter((f) => this.closureOf(f.handlerFile).has(file));
  }

  /** The unit `file` ships in, or null when no function of the IaC runs it (then the nearest package decides). */
  unitOf(file: string): CodeUnit | null {
    const fns = this.functionsRunning(file);
    if (fns.length === 0) return null;
    const root = this.result.root;
    const shipping = fns.filter((f) => f.code && (f.code.bundled || (f.code.dir !== null && inside(file, f.code.dir))));
    const majors = fns.map((f) => f.nodeMajor).filter((n): n is number => n !== null);
    const base = { functions: fns, nodeMajor: majors.length ? Math.min(...majors) : null };
    if (shipping.length === 0) {
      const f = fns[0]!;
      const dir = path.join(root, f.code?.dir ?? path.posix.dirname(f.handlerFile));
      return {
        ...base,
        dir,
        sourceRoot: dir,
        packageDir: null,
        bundled: false,
        declared: f.code?.declared ?? 'its IaC',
        outside: true,
        patterns: [],
      };
    }
    // the deepest directory that ships the file: an asset or CodeUri beats a whole bundled project
    const unit = [...shipping].sort(
      (a, b) =>
        Number(a.code!.bundled) - Number(b.code!.bundled) || (b.code!.dir ?? '').length - (a.code!.dir ?? '').length,
    )[0]!;
    const code = unit.code!;
    const dir = path.join(root, code.dir ?? '');
    const bundled = shipping.every((f) => f.code!.bundled);
    const own = fs.existsSync(path.join(dir, 'package.json')) ? dir : null;
    // a bundler resolves dependencies upwards from the file; a copied directory ships only its own
    const packageDir = own ?? (bundled ? this.nearestPackage(path.join(root, path.posix.dirname(file))) : null);
    const src = path.join(dir, 'src');
    const fileAbs = path.join(root, file);
    const configured = this.config.sourceRoot ? path.resolve(packageDir ?? dir, this.config.sourceRoot) : null;
    const sourceRoot = configured ?? (fs.existsSync(src) && fileAbs.startsWith(`${src}${path.sep}`) ? src : dir);
    return {
      ...base,
      dir,
      sourceRoot,
      packageDir,
      bundled,
      declared: code.declared,
      outside: false,
      patterns: code.patterns ?? [],
    };
  }

  private nearestPackage(from: string): string | null {
    const found = packageRootOf(from);
    return fs.existsSync(path.join(found, 'package.json')) ? found : null;
  }

  /**
   * The TypeScript a package compiles with: the installed version, else the one its lockfile
   * resolved, else the range its package.json declares (what `npm install` may pick), searching
   * up to the scan root. Null when none is declared.
   */
  typescriptFor(dir: string): TypeScriptVersion | null {
    for (let d = dir; ; d = path.dirname(d)) {
      const installed = readJson(path.join(d, 'node_modules/typescript/package.json'));
      if (typeof installed?.version === 'string' && semver.valid(installed.version))
        return { version: installed.version, exact: true };
      const lock = readJson(path.join(d, 'package-lock.json')) as {
        packages?: Record<string, { version?: string }>;
        dependencies?: Record<string, { version?: string }>;
      } | null;
      const locked = lock?.packages?.['node_modules/typescript']?.version ?? lock?.dependencies?.typescript?.version;
      if (locked && semver.valid(locked)) return { version: locked, exact: true };
      const pkg = readJson(path.join(d, 'package.json')) as Record<string, Record<string, string> | undefined> | null;
      const range = pkg?.devDependencies?.typescript ?? pkg?.dependencies?.typescript;
      if (range && semver.validRange(range)) return { version: range, exact: false };
      if (d === this.result.root || path.dirname(d) === d) return null;
    }
  }
}

export interface TypeScriptVersion {
  /** an exact version, or the declared range */
  version: string;
  exact: boolean;
}

/** Whether the package's TypeScript can be `minimum` or later: an exact version is compared, a range must allow it. */
export function typescriptAtLeast(ts: TypeScriptVersion, minimum: string): boolean {
  return ts.exact ? semver.gte(ts.version, minimum) : semver.intersects(ts.version, `>=${minimum}`);
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}
