import fs from 'node:fs';
import path from 'node:path';

/**
 * A package.json section with entries added: existing entries keep their order; the new ones go
 * in name order when the section was already sorted, else at its end (a fix never reorders what
 * the user wrote).
 */
export function withEntries(
  section: Record<string, string> | undefined,
  added: ReadonlyArray<readonly [string, string]>,
): Record<string, string> {
  const current = Object.entries(section ?? {});
  const byName = ([a]: readonly [string, string], [b]: readonly [string, string]): number => a.localeCompare(b);
  const sorted = current.every((e, i) => i === 0 || byName(current[i - 1]!, e) <= 0);
  const all = [...current, ...added];
  return Object.fromEntries(sorted ? all.sort(byName) : all);
}

/** A package.json object written back in the text's own indentation, line ends and final newline. */
export function printPackageJson(original: string, pkg: Record<string, unknown>): string {
  const indent = /^[ \t]+(?=")/m.exec(original)?.[0] ?? '  ';
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const out = JSON.stringify(pkg, null, indent).replace(/\n/g, eol);
  return original.endsWith('\n') ? out + eol : out;
}

/** Adds dependencies to a package.json text. Returns null when nothing changes (already present). */
export function addDependencies(text: string, deps: Map<string, string>): string | null {
  const pkg = JSON.parse(text) as Record<string, unknown>;
  const has = (name: string): boolean =>
    ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].some((k) =>
      Boolean((pkg[k] as Record<string, string> | undefined)?.[name]),
    );
  const missing = [...deps].filter(([name]) => !has(name));
  if (!missing.length) return null;
  pkg.dependencies = withEntries(pkg.dependencies as Record<string, string> | undefined, missing);
  return printPackageJson(text, pkg);
}

export type PackageManager = 'npm' | 'yarn' | 'pnpm' | 'bun' | 'unknown';

/**
 * The install command for a package folder, runnable from `root` (the current directory): in a
 * subshell when it needs another folder, so that several commands can be run one after another
 * and none leaves the shell somewhere else.
 */
export function installCommand(manager: PackageManager, cwd: string, root: string): string {
  const rel = path.relative(root, cwd) || '.';
  const tool = manager === 'unknown' ? 'npm' : manager;
  if (rel === '.') return `${tool} install`;
  const dir = /^[\w./@+-]+$/.test(rel) ? rel : `'${rel.replace(/'/g, `'\\''`)}'`;
  return `(cd ${dir} && ${tool} install)`;
}

export function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
