import fs from 'node:fs';
import path from 'node:path';
import type { FileChange, ScanResult } from '../types';
import { importSpecifier, packageRootOf } from '../../transforms/lib/generated-modules';
import { failureTestsSource, serviceFailureTestsSource } from '../../transforms/generators/failure-tests-source';
import { failureTestTargets, type FailureTestTarget } from './failure-test-targets';
import { printPackageJson, withEntries } from './package-json-edit';

/**
 * Phase 4.6: one failure-mode test file per dependency the fix put behind a policy, in the
 * project's own runner (Vitest or Jest; Vitest when it has none, added as a devDependency)
 * and where its tests already live. An existing file is never overwritten.
 */

const POLICY_KEY = /\bpolicyFor\(\s*(['"])([^'"\\]+)\1\s*\)/g;
const POLICY_IMPORT = [
  /import\s*\{[^}]*\bpolicyFor\b[^}]*\}\s*from\s*['"]([^'"]+)['"]/,
  /\{[^}]*\bpolicyFor\b[^}]*\}\s*=\s*require\(\s*['"]([^'"]+)['"]\s*\)/,
];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'coverage', '.git', '.serverless', 'cdk.out']);
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;
export const VITEST_RANGE = '^4.0.0';

const posix = (p: string): string => p.split(path.sep).join('/');

function keysOf(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(POLICY_KEY)) out.set(m[2]!, (out.get(m[2]!) ?? 0) + 1);
  return out;
}

interface Runner {
  runner: 'vitest' | 'jest';
  jestGlobals: boolean;
  /** no runner in package.json: Vitest is added */
  missing: boolean;
}

function runnerOf(pkgText: string | null): Runner {
  let pkg: Record<string, unknown> = {};
  try {
    pkg = pkgText ? (JSON.parse(pkgText) as Record<string, unknown>) : {};
  } catch {
    // an unreadable package.json: the default runner, and no edit
  }
  const deps = new Set(
    ['dependencies', 'devDependencies'].flatMap((k) =>
      Object.keys((pkg[k] as Record<string, string> | undefined) ?? {}),
    ),
  );
  const script = String((pkg.scripts as Record<string, string> | undefined)?.test ?? '');
  const jestGlobals = deps.has('@jest/globals');
  if (deps.has('vitest') || /\bvitest\b/.test(script)) return { runner: 'vitest', jestGlobals, missing: false };
  if (deps.has('jest') || /\bjest\b/.test(script)) return { runner: 'jest', jestGlobals, missing: false };
  return { runner: 'vitest', jestGlobals, missing: true };
}

/** The package's existing test files (relative to the package root), a bounded walk. */
function existingTests(pkgRoot: string, limit = 2000): string[] {
  const out: string[] = [];
  let seen = 0;
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (++seen > limit) return;
      if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) walk(path.join(dir, e.name));
      else if (e.isFile() && TEST_FILE.test(e.name)) out.push(posix(path.relative(pkgRoot, path.join(dir, e.name))));
    }
  };
  walk(pkgRoot);
  return out;
}

/** Where a dependency's test goes: the project's test folder, `__tests__` or next to the sources. */
export function testFileFor(pkgRoot: string, modulesDir: string, key: string, ext: string, tests: string[]): string {
  const suffix = tests.length > 0 && tests.every((t) => /\.spec\./.test(t)) ? 'spec' : 'test';
  const name = `${key}.failure.${suffix}.${ext}`;
  const topDir = ['test', 'tests'].find((d) => tests.some((t) => t.startsWith(`${d}/`)));
  if (topDir) return path.join(pkgRoot, topDir, 'resilience', name);
  const inTestsDirs = tests.some((t) => t.includes('__tests__/'));
  if (tests.length > 0 && !inTestsDirs) return path.join(modulesDir, name);
  return path.join(modulesDir, '__tests__', name);
}

/** The generated module a fixed file imports `policyFor` from, with its real extension. */
function policiesModuleOf(abs: string, text: string, exists: (abs: string) => boolean): string | null {
  const spec = POLICY_IMPORT.map((re) => re.exec(text)?.[1]).find(Boolean);
  if (!spec || !spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(abs), spec).replace(/\.[cm]?js$/, '');
  return ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].map((e) => base + e).find(exists) ?? null;
}

/** package.json with the runner added to devDependencies (and a test script when there is none). */
export function withTestRunner(text: string, name: string, range: string): string | null {
  const pkg = JSON.parse(text) as Record<string, unknown>;
  const dev = pkg.devDependencies as Record<string, string> | undefined;
  if (dev?.[name] || (pkg.dependencies as Record<string, string> | undefined)?.[name]) return null;
  pkg.devDependencies = withEntries(dev, [[name, range]]);
  const scripts = (pkg.scripts as Record<string, string> | undefined) ?? {};
  if (!scripts.test || /no test specified/.test(scripts.test)) pkg.scripts = { ...scripts, test: `${name} run` };
  return printPackageJson(text, pkg);
}

/**
 * The test files (kind 'create') for every dependency newly wrapped in `changes` (those `wanted`), plus the
 * package.json change that adds the runner when the package has none: it replaces the
 * package.json change already in `changes` (same file), built on its text.
 */
export function failureTests(
  result: ScanResult,
  changes: FileChange[],
  root: string = result.root,
  wanted: (key: string) => boolean = () => true,
): Array<FileChange & { key?: string }> {
  const byFile = new Map(changes.map((c) => [c.file, c]));
  const abs = (rel: string): string => path.join(root, rel);
  const created = new Set(changes.filter((c) => c.kind === 'create').map((c) => abs(c.file)));
  const exists = (p: string): boolean => created.has(p) || fs.existsSync(p);
  const out: Array<FileChange & { key?: string }> = [];
  const pkgEdits = new Map<string, string>();

  /** per test file: what it tests, gathered over every changed file that wraps the dependency */
  const planned = new Map<
    string,
    {
      key: string;
      runner: Runner;
      typescript: boolean;
      commonjs: boolean;
      policies: string;
      targets: Array<FailureTestTarget & { source: string }>;
    }
  >();
  for (const change of changes) {
    if (change.kind !== 'modify' || !/\.[cm]?[jt]sx?$/.test(change.file)) continue;
    const before = keysOf(change.before);
    const wrapped = [...keysOf(change.after)].filter(([k, n]) => n > (before.get(k) ?? 0) && wanted(k)).map(([k]) => k);
    if (!wrapped.length) continue;
    const policies = policiesModuleOf(abs(change.file), change.after, exists);
    if (!policies) continue;
    const pkgRoot = packageRootOf(path.dirname(policies));
    const pkgRel = posix(path.relative(root, path.join(pkgRoot, 'package.json')));
    const pkgText = pkgEdits.get(pkgRel) ?? byFile.get(pkgRel)?.after ?? readText(path.join(pkgRoot, 'package.json'));
    const runner = runnerOf(pkgText);
    const typescript = /\.[cm]?ts$/.test(policies);
    const commonjs = !typescript && !/^\s*(import|export)\b/m.test(readGenerated(policies, changes, root) ?? '');
    const tests = existingTests(pkgRoot);
    const { targets } = failureTestTargets(change.after, change.file, new Set(wrapped));
    for (const key of wrapped) {
      const file = testFileFor(
        pkgRoot,
        path.dirname(policies),
        key.replace(/[^\w.-]/g, '-'),
        typescript ? 'ts' : 'js',
        tests,
      );
      if (exists(file)) continue;
      const plan = planned.get(file) ?? { key, runner, typescript, commonjs, policies, targets: [] };
      plan.targets.push(...targets.filter((x) => x.key === key).map((x) => ({ ...x, source: abs(change.file) })));
      planned.set(file, plan);
    }
    if (runner.missing && pkgText !== null) {
      try {
        const edited = withTestRunner(pkgText, 'vitest', VITEST_RANGE);
        if (edited !== null) pkgEdits.set(pkgRel, edited);
      } catch {
        // not valid JSON: the package.json step already reports it
      }
    }
  }
  for (const [file, plan] of planned) {
    const { key, runner, typescript, commonjs, policies } = plan;
    const esmJs = !typescript && !commonjs;
    const spec = (target: string): string => importSpecifier(file, target) + (esmJs ? '.js' : '');
    const common = {
      key,
      runner: runner.runner,
      typescript,
      commonjs,
      jestGlobals: runner.jestGlobals,
      policiesImport: spec(path.join(path.dirname(policies), 'policies')),
      errorsImport: spec(path.join(path.dirname(policies), 'errors')),
    };
    // the service's own functions when a test can fail them at the transport; else the policy on its own
    const content = plan.targets.length
      ? serviceFailureTestsSource({
          ...common,
          targets: plan.targets.map((x) => ({
            exportName: x.exportName,
            serviceImport: spec(x.source),
            sourceFile: posix(path.relative(packageRootOf(path.dirname(policies)), x.source)),
            params: x.params,
            method: x.method,
            idempotencyKey: x.idempotencyKey,
            envVar: x.envVar,
            callOptions: x.callOptions,
          })),
        })
      : failureTestsSource(common);
    out.push({ file: posix(path.relative(root, file)), kind: 'create', before: '', after: content, fixes: [], key });
  }
  for (const [file, after] of pkgEdits) {
    const existing = byFile.get(file);
    out.push({
      file,
      kind: 'modify',
      before: existing?.before ?? readText(abs(file)) ?? '',
      after,
      fixes: existing?.fixes ?? [],
    });
  }
  return out;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function readGenerated(file: string, changes: FileChange[], root: string): string | null {
  const rel = posix(path.relative(root, file));
  return changes.find((c) => c.file === rel)?.after ?? readText(file);
}
