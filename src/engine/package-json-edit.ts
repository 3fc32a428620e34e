import fs from 'node:fs';
import path from 'node:path';

/**
 * Adds dependencies to a package.json text, keeping its indentation and final newline and
 * sorting `dependencies` by name. Returns null when nothing changes (already present).
 */
export function addDependencies(text: string, deps: Map<string, string>): string | null {
  const pkg = JSON.parse(text) as Record<string, unknown>;
  const has = (name: string): boolean =>
    ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].some((k) =>
      Boolean((pkg[k] as Record<string, string> | undefined)?.[name]),
    );
  const missing = [...deps].filter(([name]) => !has(name));
  if (!missing.length) return null;
  const current = (pkg.dependencies as Record<string, string> | undefined) ?? {};
  const merged: Record<string, string> = { ...current };
  for (const [name, range] of missing) merged[name] = range;
  pkg.dependencies = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
  const indent = /^[ \t]+/m.exec(text.split('\n').find((l) => /^[ \t]+"/.test(l)) ?? '  ')?.[0] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let out = JSON.stringify(pkg, null, indent);
  if (eol !== '\n') out = out.replace(/\n/g, eol);
  return text.endsWith('\n') ? out + eol : out;
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
