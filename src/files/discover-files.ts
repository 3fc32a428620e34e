import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import { UsageError } from '../errors';

/** Directories never scanned: dependencies, build output, IaC tool caches. */
const SKIPPED_DIRS = new Set([
  'node_modules',
  'dist',
  'build',
  'coverage',
  'cdk.out',
  '.serverless',
  '.aws-sam',
  '.git',
  '.next',
  '.nuxt',
  '.turbo',
  '.cache',
  'out',
  '.terraform',
  '.webpack',
  '.esbuild',
  '.vercel',
]);
const TEST_DIRS = new Set(['__tests__', '__mocks__', 'test', 'tests', '__testfixtures__', 'e2e']);
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;
const GENERATED_FILE = /(\.min\.[cm]?js|\.bundle\.js|\.d\.[cm]?ts|\.map)$/;
const SOURCE_FILE = /\.([cm]?[jt]s|[jt]sx)$/;
const IAC_FILE = /\.(ya?ml|json)$/;

export interface DiscoverOptions {
  includeTests?: boolean;
  include?: string[];
  exclude?: string[];
}

export interface DiscoveredFiles {
  /** JavaScript/TypeScript sources, absolute */
  source: string[];
  /** YAML/JSON candidates for IaC, absolute */
  data: string[];
  /** every file walked (posix, relative to root), for evidence searches */
  all: string[];
}

interface DirIgnore {
  base: string;
  ig: Ignore;
}

function readGitignore(dir: string): Ignore | null {
  const file = path.join(dir, '.gitignore');
  try {
    return ignore().add(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function ignoredBy(stack: DirIgnore[], abs: string, isDir: boolean): boolean {
  for (const { base, ig } of stack) {
    const rel = path.relative(base, abs).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/**
 * Walks the given paths under `root`: honours .gitignore files on the way down (and those of
 * the root's ancestors up to the repository top), skips dependency and build folders, tests
 * (unless includeTests), minified and declaration files. Symlinks are not followed, so loops
 * and links leading outside the root cannot be walked.
 */
export function discoverFiles(root: string, targets: string[], options: DiscoverOptions = {}): DiscoveredFiles {
  const out: DiscoveredFiles = { source: [], data: [], all: [] };
  const includeMatch = options.include?.length ? picomatch(options.include, { dot: true }) : null;
  const excludeMatch = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : null;
  const seen = new Set<string>();

  const baseStack: DirIgnore[] = [];
  // .gitignore files above the root, up to the repository top
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    const ig = readGitignore(dir);
    if (ig) baseStack.unshift({ base: dir, ig });
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) break;
  }

  const consider = (abs: string, explicit: boolean): void => {
    if (seen.has(abs)) return;
    seen.add(abs);
    const rel = path.relative(root, abs).split(path.sep).join('/');
    out.all.push(rel);
    const base = path.basename(abs);
    if (!explicit) {
      if (!options.includeTests && TEST_FILE.test(base)) return;
      if (GENERATED_FILE.test(base)) return;
      if (includeMatch && !includeMatch(rel)) return;
      if (excludeMatch && excludeMatch(rel)) return;
    }
    if (SOURCE_FILE.test(base) && !/\.d\.[cm]?ts$/.test(base)) out.source.push(abs);
    else if (IAC_FILE.test(base)) out.data.push(abs);
  };

  const walkDir = (dir: string, stack: DirIgnore[]): void => {
    const ig = readGitignore(dir);
    const here = ig ? [...stack, { base: dir, ig }] : stack;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        if (!options.includeTests && TEST_DIRS.has(entry.name)) continue;
        if (ignoredBy(here, abs, true)) continue;
        walkDir(abs, here);
      } else if (entry.isFile()) {
        if (ignoredBy(here, abs, false)) continue;
        consider(abs, false);
      }
    }
  };

  for (const target of targets) {
    const abs = path.resolve(root, target);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new UsageError(`path not found: ${target}`);
    }
    if (stat.isDirectory()) walkDir(abs, baseStack);
    else if (stat.isFile()) consider(abs, true);
    else throw new UsageError(`not a file or directory: ${target}`);
  }
  out.source.sort();
  out.data.sort();
  return out;
}
