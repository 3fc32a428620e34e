import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { parseSource } from '../../src/parse/parse-source';
import { languageOf } from '../../src/parse/parse-options';

const SAMPLED = /\.([cm]?js|jsx|[cm]?ts|tsx)$/;
const NOT_SAMPLED = /(\.d\.[cm]?ts|\.min\.[cm]?js)$/;
export const MAX_SAMPLE_BYTES = 300 * 1024;

/**
 * Every JS/TS source under `dir` in a stable order: a sorted walk that never follows symlinks,
 * skipping dot folders, declaration files, minified files and files over 300 KB. The same
 * install (package-lock) gives the same list.
 */
export function sourceFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    const entries = fs
      .readdirSync(d, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      const abs = path.join(d, e.name);
      if (e.isDirectory()) {
        // dot folders (.bin, .cache, .vite) hold links and caches that change from run to run
        if (!e.name.startsWith('.')) walk(abs, childRel);
      } else if (
        e.isFile() &&
        SAMPLED.test(e.name) &&
        !NOT_SAMPLED.test(e.name) &&
        fs.statSync(abs).size <= MAX_SAMPLE_BYTES
      ) {
        out.push(childRel);
      }
    }
  };
  walk(dir, '');
  return out;
}

/** Every k-th entry starting at the first: the same selection every run for the same input. */
export function everyKth<T>(items: T[], k: number): T[] {
  return items.filter((_, i) => i % k === 0);
}

/** Copies `files` (relative to `from`) under `to`, keeping their relative paths. */
export function copyFiles(from: string, to: string, files: string[]): void {
  for (const rel of files) {
    const dest = path.join(to, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(path.join(from, rel), dest);
  }
}

/** sha256 of every regular file under `dir`, keyed by posix path relative to it. */
export function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile())
        out.set(
          path.relative(dir, abs).split(path.sep).join('/'),
          createHash('sha256').update(fs.readFileSync(abs)).digest('hex'),
        );
    }
  };
  walk(dir);
  return out;
}

/** Paths added, removed or changed between two tree hashes, sorted. */
export function treeDifferences(before: Map<string, string>, after: Map<string, string>): string[] {
  const out = new Set<string>();
  for (const [f, h] of before) if (after.get(f) !== h) out.add(f);
  for (const f of after.keys()) if (!before.has(f)) out.add(f);
  return [...out].sort();
}

/** Why a text does not re-parse cleanly as its file's language, or null when it does. */
export function reparseProblem(file: string, text: string): string | null {
  const lang = languageOf(file);
  if (!lang) return null;
  const outcome = parseSource(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, lang);
  if (!outcome.ok) return `${outcome.error.message} (${outcome.error.line}:${outcome.error.column})`;
  const first = outcome.recovered[0];
  return first ? `recovered from ${first.message} (${first.line}:${first.column})` : null;
}

/** A unified diff short enough for a failure message. */
export function shortDiff(file: string, before: string, after: string, maxLines = 60): string {
  const lines = createTwoFilesPatch(`${file} (first fix)`, `${file} (second fix)`, before, after, '', '', {
    context: 2,
  }).split('\n');
  return lines.length > maxLines
    ? [...lines.slice(0, maxLines), `… ${lines.length - maxLines} more diff lines`].join('\n')
    : lines.join('\n');
}

/** A temp directory holding `files` (posix relative path → text or bytes). */
export function writeTree(files: Record<string, string | Buffer>, prefix = 'hc-rob-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, data] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, data);
  }
  return dir;
}

/** Whether this process ignores file permissions (root), so a chmod 000 file stays readable. */
export const readsEverything = (): boolean => process.getuid?.() === 0;
