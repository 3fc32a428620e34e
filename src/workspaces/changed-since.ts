import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors';

function git(root: string, args: string[], what: string): string {
  try {
    return execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new UsageError(`${what}: git is not installed`);
    const message = (e.stderr ?? '').trim().split('\n')[0] || e.message;
    throw new UsageError(`${what}: ${message}`);
  }
}

/** Paths from `git status --porcelain -z`: "XY path", renames followed by their old path. */
function statusPaths(out: string): string[] {
  const parts = out.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i]!;
    if (entry.length < 4) continue;
    paths.push(entry.slice(3));
    if (entry[0] === 'R' || entry[0] === 'C') i++; // the next part is the source path
  }
  return paths;
}

/**
 * Files changed on this branch since `ref` (`git diff <ref>...HEAD`), plus uncommitted and
 * untracked ones: absolute paths under `root` (resolved through the repository top, which git
 * reports as a real path). A bad ref, or a root outside git, is a UsageError with git's message.
 */
export function changedSince(root: string, ref: string): Set<string> {
  const what = `--changed-since ${ref}`;
  if (ref.startsWith('-')) throw new UsageError(`${what}: not a git ref`);
  const top = git(root, ['rev-parse', '--show-toplevel'], what).trim();
  const committed = git(root, ['diff', '--name-only', '-z', `${ref}...HEAD`, '--'], what)
    .split('\0')
    .filter(Boolean);
  const pending = statusPaths(git(root, ['status', '--porcelain', '-z', '--untracked-files=all'], what));
  const realRoot = fs.realpathSync(root);
  const out = new Set<string>();
  for (const rel of [...committed, ...pending]) {
    const fromRoot = path.relative(realRoot, path.join(top, rel));
    if (fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) continue;
    out.add(path.join(path.resolve(root), fromRoot));
  }
  return out;
}
