import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { UsageError } from '../errors';
import type { FileChange } from '../types';

/** Files among `files` (absolute) with uncommitted git changes; empty outside a git work tree. */
export function dirtyFiles(root: string, files: string[]): string[] {
  let top: string;
  try {
    top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return [];
  }
  const existing = files.filter((f) => fs.existsSync(f));
  if (!existing.length) return [];
  const status = execFileSync('git', ['status', '--porcelain', '-z', '--', ...existing.map((f) => path.relative(top, f))], {
    cwd: top, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024,
  });
  return status.split('\0').filter((e) => e.length > 3).map((e) => path.join(top, e.slice(3)));
}

/**
 * Writes changes atomically: each file goes to a temporary file in its own directory and is
 * renamed over the original, keeping its mode, so an interrupted run leaves every file either
 * old or new. SIGINT/SIGTERM stop the batch between two files (InterruptedError). Files with uncommitted changes are refused unless allowDirty.
 */
export async function writeChanges(root: string, changes: FileChange[], options: { allowDirty?: boolean } = {}): Promise<void> {
  if (!options.allowDirty) {
    const dirty = dirtyFiles(root, changes.filter((c) => c.kind === 'modify').map((c) => path.join(root, c.file)));
    if (dirty.length) {
      const list = dirty.slice(0, 10).map((f) => `  ${path.relative(process.cwd(), f)}`).join('\n');
      throw new UsageError(`refusing to rewrite files with uncommitted changes (commit or stash them, or pass --allow-dirty):\n${list}${dirty.length > 10 ? '\n  …' : ''}`);
    }
  }
  // check every target first, so that a conflict stops the run before anything is written
  for (const c of changes) {
    const abs = path.join(root, c.file);
    if (c.kind === 'create' && fs.existsSync(abs)) throw new UsageError(`${c.file} appeared while computing the fix; not overwriting it`);
    if (c.kind === 'modify' && fs.readFileSync(abs, 'utf8') !== c.before) throw new UsageError(`${c.file} changed while computing the fix; run again`);
  }
  // created modules first: an interrupted run never leaves a file importing one that is missing
  const ordered = [...changes.filter((c) => c.kind === 'create'), ...changes.filter((c) => c.kind === 'modify')];
  // a signal stops the batch between two files (each file is old or new, never half)
  let stopped: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    stopped = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let written = 0;
  try {
    for (const c of ordered) {
      // signals are delivered by the event loop: give it a turn between two files
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (stopped) break;
      const abs = path.join(root, c.file);
      if (c.kind === 'create') fs.mkdirSync(path.dirname(abs), { recursive: true });
      writeFileAtomic.sync(abs, c.after, { encoding: 'utf8' });
      written++;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (stopped) throw new InterruptedError(stopped, written, ordered.length);
}

/** The batch was stopped by a signal after `written` of `total` files. */
export class InterruptedError extends Error {
  constructor(readonly signal: NodeJS.Signals, readonly written: number, readonly total: number) {
    super(`stopped by ${signal} after writing ${written} of ${total} files; each file is either unchanged or completely fixed`);
    this.name = 'InterruptedError';
  }
}
