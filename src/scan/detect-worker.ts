import { parentPort, workerData } from 'node:worker_threads';
import { fromPlainProject, type PlainProjectFacts } from '../detect/plain-facts';
import {
  runJob,
  selectDetectors,
  throttled,
  type DetectJob,
  type DetectOutcome,
  type FileProgress,
} from './detect-job';

/** Sent once, as workerData. */
export interface WorkerInit {
  project: PlainProjectFacts;
}

/** `detectorNames`: the detectors of this pass (null: all), so one pool serves passes with different detectors */
export type WorkerRequest = { id: number; jobs: DetectJob[]; detectorNames: string[] | null };
export type WorkerReply =
  { id: number; results: DetectOutcome[] } | { id: number; error: { message: string; stack?: string } };
/** Sent while a long file is detected, before the batch's reply. */
export type WorkerProgress = { id: number; progress: FileProgress };

// Runs inside a worker thread started by worker-pool.ts: detects batches of files and posts
// the results back (Sets and Maps in facts survive the structured clone).
if (parentPort) {
  const port = parentPort;
  const init = workerData as WorkerInit;
  const project = fromPlainProject(init.project);
  const selections = new Map<string, ReturnType<typeof selectDetectors>>();
  const detectorsFor = (names: string[] | undefined) => {
    const key = names ? names.join(',') : '*';
    let chosen = selections.get(key);
    if (!chosen) selections.set(key, (chosen = selectDetectors(names)));
    return chosen;
  };
  port.on('message', (req: WorkerRequest) => {
    try {
      const detectors = detectorsFor(req.detectorNames ?? undefined);
      const results = req.jobs.map((job) => {
        const outcome = runJob(
          job,
          detectors,
          project,
          throttled(job.path, (progress) => port.postMessage({ id: req.id, progress } satisfies WorkerProgress)),
        );
        // the caller has the text it sent: do not copy it back
        return job.text === undefined ? outcome : { ...outcome, text: null };
      });
      port.postMessage({ id: req.id, results } satisfies WorkerReply);
    } catch (err) {
      const e = err as Error;
      port.postMessage({ id: req.id, error: { message: e.message, stack: e.stack } } satisfies WorkerReply);
    }
  });
}
