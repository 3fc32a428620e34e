import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fromPlainProject, type PlainProjectFacts } from '../detect/plain-facts';
import { readSource } from '../files/read-source';
import type { DetectionCache } from './detection-cache';
import {
  LONG_FILE,
  runJob,
  selectDetectors,
  throttled,
  type DetectJob,
  type DetectOutcome,
  type FileProgress,
} from './detect-job';
import type { WorkerInit, WorkerProgress, WorkerReply, WorkerRequest } from './detect-worker';

export type { DetectJob, DetectOutcome } from './detect-job';

export interface DetectManyOptions {
  /** names of the enabled detectors; default: all */
  detectorNames?: string[];
  /** worker threads to use; 0 forces in-process; default: decided by shouldUseWorkers */
  workers?: number;
  /** looked up in the main thread before any file is sent to a worker */
  cache?: DetectionCache;
  /** how far detection is inside a long file (files from LONG_FILE characters), a few times a second */
  onFileProgress?: (progress: FileProgress) => void;
  /** workers to run on and leave open for a later pass (the caller closes it); default: started and closed here */
  pool?: DetectionPool;
}

/**
 * Where two workers pay off. Measured on this 2-core machine kind (Node 20, all detectors,
 * files sampled from node_modules), CPU time of the whole process, in-process vs 2 workers
 * (CPU, not wall time: the machine was shared while measuring):
 *     100 files / 0.27 MB:  0.85 s vs 1.28 s     400 files / 2.0 MB: 2.9 s vs 4.0 s
 *    1600 files / 8.5 MB:   9.8 s vs 12.1 s     (same findings: 5, 70, 233)
 * Each worker loads @babel/parser and the detectors and warms its own JIT: ~0.4 s of CPU,
 * plus ~15% for copying texts and results. With both cores free the wall time of the
 * worker run is about 0.4 s + (its CPU - 0.4 s) / 2: even at ~100 files / 0.3 MB, and
 * 25-40% faster from 400 files / 2 MB. The threshold sits between, where the gain is sure.
 */
const MIN_FILES = 200;
const MIN_BYTES = 1_000_000;

export function shouldUseWorkers(fileCount: number, totalBytes: number): boolean {
  return workerCount() > 1 && fileCount >= MIN_FILES && totalBytes >= MIN_BYTES;
}

function workerCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** Worker threads need compiled JavaScript: under the TypeScript sources (tests) run in-process. */
const COMPILED = !__filename.endsWith('.ts');

/**
 * Detects many files, in worker threads for large trees, in-process otherwise. Results come
 * back in the order of `files`, identical either way.
 */
export async function detectMany(
  files: ReadonlyArray<Omit<DetectJob, 'text'>>,
  project: PlainProjectFacts,
  onProgress?: (done: number, total: number) => void,
  options: DetectManyOptions = {},
): Promise<DetectOutcome[]> {
  const total = files.length;
  const results: Array<DetectOutcome | undefined> = new Array(total);
  let done = 0;
  const finish = (i: number, outcome: DetectOutcome): void => {
    results[i] = outcome;
    done++;
    if ((outcome.text?.length ?? 0) >= LONG_FILE) options.onFileProgress?.({ path: outcome.path, fraction: 1 });
    onProgress?.(done, total);
  };

  // cache look-ups need the text: read in the main thread, send only the misses on
  const pending: Array<{ index: number; job: DetectJob }> = [];
  for (let i = 0; i < total; i++) {
    const file = files[i]!;
    if (!options.cache) {
      pending.push({ index: i, job: { path: file.path, absPath: file.absPath, lang: file.lang } });
      continue;
    }
    const read = readSource(file.absPath);
    if (!read.ok) {
      finish(i, {
        path: file.path,
        detection: null,
        text: null,
        readNote: { file: file.path, kind: read.kind, message: read.message },
      });
      continue;
    }
    const hit = options.cache.get(file.path, read.text);
    if (hit) finish(i, { path: file.path, detection: hit, text: read.text });
    else pending.push({ index: i, job: { ...file, text: read.text } });
  }

  const record = (index: number, outcome: DetectOutcome): void => {
    if (outcome.detection && outcome.text !== null) options.cache?.set(outcome.path, outcome.text, outcome.detection);
    finish(index, outcome);
  };
  // sizes only matter once the count is large enough
  const bytes =
    pending.length >= MIN_FILES
      ? pending.reduce((n, p) => n + (p.job.text?.length ?? sizeOnDisk(p.job.absPath)), 0)
      : 0;
  const threads = Math.min(
    options.workers ?? (shouldUseWorkers(pending.length, bytes) ? workerCount() : 0),
    pending.length,
  );

  // a pool warmed by an earlier pass is used whatever the size: its parser is already optimised
  const warm = COMPILED && (options.pool?.size ?? 0) > 1;
  if (!warm && (!COMPILED || threads < 2)) {
    const facts = fromPlainProject(project);
    const detectors = selectDetectors(options.detectorNames);
    const report = options.onFileProgress;
    for (const { index, job } of pending)
      record(index, runJob(job, detectors, facts, report && throttled(job.path, report)));
  } else {
    const pool = options.pool ?? new DetectionPool();
    try {
      pool.start(threads, { project });
      await pool.detect(pending, record, {
        detectorNames: options.detectorNames,
        onFileProgress: options.onFileProgress,
      });
    } finally {
      if (!options.pool) await pool.close();
    }
  }
  return results as DetectOutcome[];
}

function sizeOnDisk(abs: string): number {
  try {
    return fs.statSync(abs).size;
  } catch {
    return 0;
  }
}

/**
 * Detection worker threads that outlive one detectMany call: the scan's second pass (callers
 * facts, a few dozen files) runs on the workers the first pass warmed instead of on the main
 * thread, whose parser has not been optimised yet. Close it when the scan is done.
 */
export class DetectionPool {
  private workers: Worker[] = [];
  private run: ((worker: Worker, reply: WorkerReply | WorkerProgress) => void) | null = null;
  private failed: ((err: Error) => void) | null = null;
  private nextId = 0;
  private passes = 0;

  get size(): number {
    return this.workers.length;
  }

  /** how many detect calls ran on these workers */
  get runs(): number {
    return this.passes;
  }

  /** Starts `threads` workers for this project (once; later calls keep the running ones). */
  start(threads: number, init: WorkerInit): void {
    if (this.workers.length) return;
    const script = path.join(__dirname, 'detect-worker.js');
    for (let t = 0; t < threads; t++) {
      const worker = new Worker(script, { workerData: init });
      worker.on('message', (reply: WorkerReply | WorkerProgress) => this.run?.(worker, reply));
      worker.on('error', (err) => this.failed?.(err));
      // a worker that stops (a crash, or an exit between passes) leaves the pool: a later pass
      // must not wait on it, and one running now fails rather than hang
      worker.on('exit', (code) => {
        this.workers = this.workers.filter((w) => w !== worker);
        this.failed?.(new Error(`detection worker exited with code ${code}`));
      });
      this.workers.push(worker);
    }
  }

  /** Detects `pending` on the workers with these detectors (default: all), one pass at a time. */
  async detect(
    pending: Array<{ index: number; job: DetectJob }>,
    record: (index: number, outcome: DetectOutcome) => void,
    options: { detectorNames?: string[]; onFileProgress?: (progress: FileProgress) => void } = {},
  ): Promise<void> {
    if (this.run) throw new Error('a detection pass is already running on this pool');
    if (this.workers.length === 0) throw new Error('the detection pool has no running workers');
    // small batches keep both workers busy to the end; large enough to amortise messaging
    const batchSize = Math.max(1, Math.min(32, Math.ceil(pending.length / (this.workers.length * 8))));
    this.passes++;
    let next = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        let running = 0;
        const inFlight = new Map<number, Array<{ index: number; job: DetectJob }>>();
        const feed = (worker: Worker): void => {
          if (next >= pending.length) {
            if (running === 0 && inFlight.size === 0) resolve();
            return;
          }
          const batch = pending.slice(next, next + batchSize);
          next += batch.length;
          const req: WorkerRequest = {
            id: ++this.nextId,
            jobs: batch.map((b) => b.job),
            detectorNames: options.detectorNames ?? null,
          };
          inFlight.set(req.id, batch);
          running++;
          worker.postMessage(req);
        };
        this.failed = reject;
        this.run = (worker, reply) => {
          if ('progress' in reply) {
            options.onFileProgress?.(reply.progress);
            return;
          }
          const batch = inFlight.get(reply.id);
          if (!batch) return; // a reply of an earlier, abandoned run
          running--;
          inFlight.delete(reply.id);
          if ('error' in reply) {
            const err = new Error(reply.error.message);
            err.stack = reply.error.stack;
            reject(err);
            return;
          }
          reply.results.forEach((outcome, k) => {
            const { index, job } = batch[k]!;
            record(index, outcome.text === null && job.text !== undefined ? { ...outcome, text: job.text } : outcome);
          });
          feed(worker);
        };
        for (const worker of this.workers) feed(worker);
      });
    } finally {
      this.run = null;
      this.failed = null;
    }
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
