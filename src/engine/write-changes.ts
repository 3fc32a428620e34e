import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors';
import type { FileChange } from '../types';

/** Files among `files` (absolute) with uncommitted git changes; empty outside a git work tree. */
export function dirtyFiles(root: string, files: string[]): string[] {
  let top: string;
  try {
    top = execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return [];
  }
  const existing = files.filter((f) => fs.existsSync(f));
  if (!existing.length) return [];
  const status = execFileSync(
    'git',
    ['status', '--porcelain', '-z', '--', ...existing.map((f) => path.relative(top, f))],
    {
      cwd: top,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return status
    .split('\0')
    .filter((e) => e.length > 3)
    .map((e) => path.join(top, e.slice(3)));
}

export interface WriteOptions {
  /** rewrite files with uncommitted git changes */
  allowDirty?: boolean;
  /** rewrite the file a symbolic link points to (otherwise a link is refused) */
  allowSymlinks?: boolean;
  /** rewrite files without write permission (otherwise refused) */
  allowReadOnly?: boolean;
}

/** Where a change lands: the path itself, or the file its link points to (allowSymlinks). */
interface Target {
  change: FileChange;
  abs: string;
  mode?: number;
}

/**
 * Refuses, before anything is written, every change that would surprise: a file changed or
 * created since the fix was computed, a symbolic link (possibly leading out of the tree) and a
 * read-only file, unless the user allowed them. All refusals are listed at once.
 */
function preflight(root: string, changes: FileChange[], options: WriteOptions): Target[] {
  const problems: string[] = [];
  const targets: Target[] = [];
  for (const change of changes) {
    const abs = path.join(root, change.file);
    let stat: fs.Stats | null = null;
    try {
      stat = fs.lstatSync(abs);
    } catch {
      stat = null;
    }
    if (change.kind === 'create') {
      if (stat) problems.push(`${change.file} appeared while computing the fix; not overwriting it`);
      targets.push({ change, abs });
      continue;
    }
    if (!stat) {
      problems.push(`${change.file} was removed while computing the fix; run again`);
      continue;
    }
    let real = abs;
    if (stat.isSymbolicLink()) {
      real = fs.realpathSync(abs);
      if (!options.allowSymlinks) {
        const outside = path.relative(root, real).startsWith('..') || path.isAbsolute(path.relative(root, real));
        problems.push(
          `${change.file} is a symbolic link to ${real}${outside ? ', outside the tree' : ''}: not rewriting through it (pass --allow-symlinks to rewrite the file it points to)`,
        );
        continue;
      }
      stat = fs.statSync(real);
    }
    if ((stat.mode & 0o222) === 0 && !options.allowReadOnly) {
      problems.push(`${change.file} is read-only: not rewriting it (make it writable, or pass --allow-read-only)`);
      continue;
    }
    if (fs.readFileSync(real, 'utf8') !== change.before)
      problems.push(`${change.file} changed while computing the fix; run again`);
    targets.push({ change, abs: real, mode: stat.mode & 0o7777 });
  }
  if (problems.length) {
    const list = problems
      .slice(0, 10)
      .map((p) => `  ${p}`)
      .join('\n');
    throw new UsageError(
      `nothing was written:\n${list}${problems.length > 10 ? `\n  … and ${problems.length - 10} more` : ''}`,
    );
  }
  return targets;
}

/** The folders missing above `dir`, outermost first (those a created file makes). */
function missingFolders(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; !fs.existsSync(d); d = path.dirname(d)) out.unshift(d);
  return out;
}

const yieldToSignals = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes every change or none. Nothing is touched before the checks pass; then each new content
 * goes to a temporary file beside its target (same mode), and only when all are on disk are they
 * renamed into place, each replaced file first kept as a backup. On any failure, or SIGINT/SIGTERM,
 * replaced files are restored, created files and folders removed and temporary files deleted, and
 * the error names the file and the cause. Created modules are renamed first, so that even a
 * SIGKILL between two renames never leaves a file importing a module that is missing.
 */
export async function writeChanges(root: string, changes: FileChange[], options: WriteOptions = {}): Promise<void> {
  if (!options.allowDirty) {
    const dirty = dirtyFiles(
      root,
      changes.filter((c) => c.kind === 'modify').map((c) => path.join(root, c.file)),
    );
    if (dirty.length) {
      const list = dirty
        .slice(0, 10)
        .map((f) => `  ${path.relative(process.cwd(), f)}`)
        .join('\n');
      throw new UsageError(
        `refusing to rewrite files with uncommitted changes (commit or stash them, or pass --allow-dirty):\n${list}${dirty.length > 10 ? '\n  …' : ''}`,
      );
    }
  }
  const targets = preflight(root, changes, options);
  const ordered = [
    ...targets.filter((t) => t.change.kind === 'create'),
    ...targets.filter((t) => t.change.kind === 'modify'),
  ];

  let stopped: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    stopped = signal;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const journal = new Journal();
  try {
    // 1. every new content on disk beside its target, nothing replaced yet
    const staged: Array<{ target: Target; temp: string }> = [];
    for (const target of ordered) {
      await yieldToSignals();
      if (stopped) throw new InterruptedError(stopped);
      journal.current = target.change.file;
      for (const dir of missingFolders(path.dirname(target.abs))) {
        fs.mkdirSync(dir);
        journal.folders.push(dir);
      }
      const temp = journal.tempFor(target.abs);
      writeDurably(temp, target.change.after, target.mode);
      staged.push({ target, temp });
    }
    // 2. renames only: created modules first, then the rewritten files
    for (const { target, temp } of staged) {
      await yieldToSignals();
      if (stopped) throw new InterruptedError(stopped);
      journal.current = target.change.file;
      const backup = target.change.kind === 'modify' ? journal.tempFor(target.abs, 'orig') : null;
      if (backup) {
        fs.copyFileSync(target.abs, backup);
        fs.chmodSync(backup, target.mode ?? 0o644);
      }
      fs.renameSync(temp, target.abs);
      journal.temps.delete(temp);
      if (backup) journal.replaced.push({ file: target.abs, backup });
      else journal.created.push(target.abs);
    }
    journal.commit();
  } catch (err) {
    const undo = journal.rollback();
    if (err instanceof InterruptedError) throw new InterruptedError(err.signal, undo);
    throw new WriteError(journal.current ?? '', err as NodeJS.ErrnoException, undo);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function writeDurably(file: string, text: string, mode: number | undefined): void {
  const fd = fs.openSync(file, 'wx', mode ?? 0o644);
  try {
    fs.writeFileSync(fd, text, 'utf8');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  // the mode given to open is masked by the umask: set it as the original had it
  if (mode !== undefined) fs.chmodSync(file, mode);
}

/** What a batch did so far, so that it can be undone. */
class Journal {
  current: string | null = null;
  readonly temps = new Set<string>();
  readonly folders: string[] = [];
  readonly created: string[] = [];
  readonly replaced: Array<{ file: string; backup: string }> = [];
  private counter = 0;

  /** A fresh name beside `file`, removed on commit or rollback. */
  tempFor(file: string, kind: 'new' | 'orig' = 'new'): string {
    const name = path.join(
      path.dirname(file),
      `.${path.basename(file)}.harden-codemod-${process.pid}-${this.counter++}.${kind}`,
    );
    this.temps.add(name);
    return name;
  }

  commit(): void {
    for (const temp of this.temps) fs.rmSync(temp, { force: true });
  }

  /** Restores replaced files, removes created files, folders and temporary files; returns what it did. */
  rollback(): Rollback {
    const out: Rollback = { restored: 0, removed: 0, failures: [] };
    for (const { file, backup } of [...this.replaced].reverse()) {
      try {
        fs.renameSync(backup, file);
        this.temps.delete(backup);
        out.restored++;
      } catch (err) {
        out.failures.push(`${file} (its original is kept in ${backup}): ${(err as Error).message}`);
        this.temps.delete(backup);
      }
    }
    for (const file of this.created) {
      try {
        fs.rmSync(file, { force: true });
        out.removed++;
      } catch (err) {
        out.failures.push(`${file} could not be removed: ${(err as Error).message}`);
      }
    }
    for (const temp of this.temps) fs.rmSync(temp, { force: true });
    for (const dir of [...this.folders].reverse()) {
      try {
        fs.rmdirSync(dir);
      } catch (err) {
        out.failures.push(`folder ${dir} could not be removed: ${(err as Error).message}`);
      }
    }
    return out;
  }
}

export interface Rollback {
  restored: number;
  removed: number;
  failures: string[];
}

function undoText(undo: Rollback): string {
  if (undo.failures.length) return `could not undo everything:\n${undo.failures.map((f) => `  ${f}`).join('\n')}`;
  if (!undo.restored && !undo.removed) return 'nothing was changed';
  return `nothing was changed (${undo.restored} rewritten file(s) restored, ${undo.removed} created file(s) removed)`;
}

/** A write failed; every change made so far was undone (or the message says what could not be). */
export class WriteError extends Error {
  constructor(
    readonly file: string,
    reason: NodeJS.ErrnoException,
    readonly undo: Rollback,
  ) {
    super(
      `could not write ${file}: ${reason.code ? `${reason.code}, ` : ''}${reason.message.replace(/^\w+: /, '')}; ${undoText(undo)}`,
      { cause: reason },
    );
    this.name = 'WriteError';
  }
}

/** SIGINT/SIGTERM arrived during the batch: every change made so far was undone. */
export class InterruptedError extends Error {
  constructor(
    readonly signal: NodeJS.Signals,
    readonly undo?: Rollback,
  ) {
    super(`stopped by ${signal}; ${undo ? undoText(undo) : 'nothing was changed'}`);
    this.name = 'InterruptedError';
  }
}
