import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import YAML from 'yaml';
import { UsageError } from '../errors';

export interface Workspace {
  /** the package.json "name", else the folder path */
  name: string;
  /** absolute */
  dir: string;
  /** posix, relative to the root */
  relDir: string;
}

/** Folders tried when no workspace manifest exists: the usual monorepo layout. */
const CONVENTIONAL = ['packages/*', 'apps/*', 'services/*'];
/** Never workspaces, and too big to walk. */
const SKIPPED = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'coverage',
  '.cache',
  '.turbo',
  'cdk.out',
  '.serverless',
]);

const posix = (p: string): string => p.split(path.sep).join('/');

function readJson(file: string, root: string): Record<string, unknown> | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch (err) {
    throw new UsageError(`malformed ${posix(path.relative(root, file)) || file}: ${(err as Error).message}`);
  }
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Workspace globs declared by npm/yarn (package.json), pnpm (pnpm-workspace.yaml) and lerna (lerna.json). */
function declaredPatterns(root: string): string[] | null {
  let found = false;
  const patterns: string[] = [];
  const pkg = readJson(path.join(root, 'package.json'), root);
  const ws = pkg?.workspaces;
  if (Array.isArray(ws) || (ws && typeof ws === 'object')) {
    found = true;
    patterns.push(...strings(Array.isArray(ws) ? ws : (ws as Record<string, unknown>).packages));
  }
  const pnpmFile = path.join(root, 'pnpm-workspace.yaml');
  if (fs.existsSync(pnpmFile)) {
    const doc = YAML.parseDocument(fs.readFileSync(pnpmFile, 'utf8'));
    if (doc.errors.length) throw new UsageError(`malformed pnpm-workspace.yaml: ${doc.errors[0]!.message}`);
    const data: unknown = doc.toJS();
    found = true;
    patterns.push(...strings((data as Record<string, unknown> | null)?.packages));
  }
  const lerna = readJson(path.join(root, 'lerna.json'), root);
  if (lerna && Array.isArray(lerna.packages)) {
    found = true;
    patterns.push(...strings(lerna.packages));
  }
  return found ? patterns : null;
}

const clean = (p: string): string => p.trim().replace(/^\.\//, '').replace(/\/+$/, '');

/** Directories under `base` (posix, relative to root) down to `depth` levels, skipping dependency folders. */
function walkDirs(root: string, base: string, depth: number, out: Set<string>): void {
  const abs = path.join(root, base);
  if (depth < 0 || !fs.existsSync(abs)) return;
  out.add(base);
  if (depth === 0) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(abs, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (!e.isDirectory() || SKIPPED.has(e.name)) continue;
    walkDirs(root, base ? `${base}/${e.name}` : e.name, depth - 1, out);
  }
}

/** Expands workspace globs against directories that hold a package.json. */
function expand(root: string, patterns: string[]): string[] {
  const positive = patterns
    .filter((p) => !p.startsWith('!'))
    .map(clean)
    .filter((p) => p && p !== '.');
  const negative = patterns
    .filter((p) => p.startsWith('!'))
    .map((p) => clean(p.slice(1)))
    .filter(Boolean);
  if (positive.length === 0) return [];
  const candidates = new Set<string>();
  for (const pattern of positive) {
    const { base, glob } = picomatch.scan(pattern);
    const rest = glob ? glob.split('/') : [];
    walkDirs(root, base, rest.includes('**') ? 20 : rest.length, candidates);
  }
  const isIn = picomatch(positive, { dot: false });
  const isOut = negative.length ? picomatch(negative) : () => false;
  return [...candidates]
    .filter((rel) => rel && isIn(rel) && !isOut(rel) && fs.existsSync(path.join(root, rel, 'package.json')))
    .sort();
}

/**
 * The packages of a monorepo rooted at `root`, sorted by folder. Throws UsageError on a
 * malformed manifest, naming the file. Returns [] for a single-package repository.
 */
export function findWorkspaces(root: string): Workspace[] {
  const absRoot = path.resolve(root);
  const dirs = expand(absRoot, declaredPatterns(absRoot) ?? CONVENTIONAL);
  return dirs.map((relDir) => {
    const dir = path.join(absRoot, relDir);
    const pkg = readJson(path.join(dir, 'package.json'), absRoot);
    const name = typeof pkg?.name === 'string' && pkg.name ? pkg.name : relDir;
    return { name, dir, relDir };
  });
}

/** The workspace holding `absFile` (the deepest, for nested packages), or null. */
export function packageOf(workspaces: readonly Workspace[], absFile: string): Workspace | null {
  let best: Workspace | null = null;
  for (const ws of workspaces) {
    if (absFile === ws.dir || absFile.startsWith(ws.dir + path.sep)) {
      if (!best || ws.dir.length > best.dir.length) best = ws;
    }
  }
  return best;
}

/** `--package <name|glob>` (repeatable): the workspaces whose name or folder matches. */
export function selectPackages(workspaces: readonly Workspace[], patterns: string[]): Workspace[] {
  if (patterns.length === 0) return [...workspaces];
  if (workspaces.length === 0)
    throw new UsageError(
      '--package given, but no workspaces were found (package.json "workspaces", pnpm-workspace.yaml, lerna.json)',
    );
  const selected = new Set<Workspace>();
  for (const pattern of patterns) {
    const match = picomatch(clean(pattern), { dot: true });
    const hits = workspaces.filter((ws) => match(ws.name) || match(ws.relDir));
    if (hits.length === 0) {
      throw new UsageError(
        `--package ${pattern} matches no workspace (known: ${workspaces.map((w) => w.name).join(', ')})`,
      );
    }
    hits.forEach((h) => selected.add(h));
  }
  return workspaces.filter((ws) => selected.has(ws));
}
