import { codeDetectors } from '../registry/detectors';
import type { CodeDetector, ProjectFacts } from '../detect/detector-api';
import { detectFile, type FileDetection } from '../detect/detect-file';
import { readSource } from '../files/read-source';
import type { SourceLanguage } from '../parse/parse-options';
import type { FileNote } from '../types';

/** One file to detect; `text` when the caller has read it already (cache look-up). */
export interface DetectJob {
  path: string;
  absPath: string;
  lang: SourceLanguage;
  text?: string;
}

export interface DetectOutcome {
  path: string;
  /** null when the file could not be read */
  detection: FileDetection | null;
  text: string | null;
  readNote?: FileNote;
}

/** Files from this size (characters) report how far their detection is, for the progress display. */
export const LONG_FILE = 200_000;

/** How far detection is inside one long file: 0 before its parse, 0.5 parsed, 1 walked. */
export interface FileProgress {
  path: string;
  fraction: number;
}

/** A progress callback that reports at most every `ms` milliseconds. */
export function throttled(path: string, report: (p: FileProgress) => void, ms = 200): (fraction: number) => void {
  let last = 0;
  return (fraction) => {
    const now = Date.now();
    if (now - last < ms) return;
    last = now;
    report({ path, fraction });
  };
}

/** The code detectors by name, in registry order (the order findings are produced in). */
export function selectDetectors(names?: readonly string[]): readonly CodeDetector[] {
  if (!names) return codeDetectors;
  const wanted = new Set(names);
  return codeDetectors.filter((d) => wanted.has(d.name));
}

/** Reads (unless given the text) and detects one file; the same code runs in workers and in-process. */
export function runJob(
  job: DetectJob,
  detectors: readonly CodeDetector[],
  project: ProjectFacts,
  onProgress?: (fraction: number) => void,
): DetectOutcome {
  let text = job.text;
  if (text === undefined) {
    const read = readSource(job.absPath);
    if (!read.ok)
      return {
        path: job.path,
        detection: null,
        text: null,
        readNote: { file: job.path, kind: read.kind, message: read.message },
      };
    text = read.text;
  }
  const detection = detectFile(
    { path: job.path, absPath: job.absPath, text, lang: job.lang },
    detectors,
    project,
    text.length >= LONG_FILE ? onProgress : undefined,
  );
  return { path: job.path, detection, text };
}
