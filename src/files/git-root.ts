import fs from 'node:fs';
import path from 'node:path';

/** The top of the git work tree holding `dir` (a `.git` directory or file), or null outside one. */
export function gitRootOf(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return null;
  }
}

/**
 * Where GitHub runs workflows for files under `root`: the repository's `.github/workflows`,
 * as a posix path relative to `root` (`../../.github/workflows` in a monorepo package).
 */
export function workflowsDirFor(root: string): string {
  const top = gitRootOf(root) ?? root;
  const rel = path.relative(root, top).split(path.sep).join('/');
  return rel ? `${rel}/.github/workflows` : '.github/workflows';
}
