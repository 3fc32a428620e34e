import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../types';

/** Reads a file by its posix path relative to the scan root; null when it cannot be read. */
export type SourceReader = (file: string) => string | null;

export function rootReader(root: string): SourceReader {
  return (file) => {
    try {
      return fs.readFileSync(path.join(root, ...file.split('/')), 'utf8');
    } catch {
      return null;
    }
  };
}

interface LineIndex {
  /** trimmed text of each line */
  text: string[];
  /** how many earlier lines have the same trimmed text */
  occurrence: number[];
}

function indexLines(source: string): LineIndex {
  const text = source
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim());
  const counts = new Map<string, number>();
  const occurrence = text.map((t) => {
    const n = counts.get(t) ?? 0;
    counts.set(t, n + 1);
    return n;
  });
  return { text, occurrence };
}

function digest(parts: string[]): string {
  // NUL separators keep "a"+"bc" and "ab"+"c" apart
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
}

export type Fingerprinter = (finding: Pick<Finding, 'ruleId' | 'file' | 'line' | 'message'>) => string;

/**
 * Fingerprints that survive line moves: a hash of the rule id, the file, the trimmed text of the
 * finding's line and which occurrence of that text in the file it is (so two identical lines differ).
 * When the line cannot be read, the message stands in for it. Files are read once each.
 */
export function fingerprinter(root: string, read: SourceReader = rootReader(root)): Fingerprinter {
  const files = new Map<string, LineIndex | null>();
  return (finding) => {
    if (!files.has(finding.file)) {
      const source = read(finding.file);
      files.set(finding.file, source === null ? null : indexLines(source));
    }
    const index = files.get(finding.file);
    const i = finding.line - 1;
    if (!index || i < 0 || i >= index.text.length)
      return digest(['v1', finding.ruleId, finding.file, 'message', finding.message]);
    return digest(['v1', finding.ruleId, finding.file, index.text[i]!, String(index.occurrence[i])]);
  };
}
