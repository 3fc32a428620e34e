import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPlainProject } from '../../src/detect/plain-facts';
import { detectMany, shouldUseWorkers } from '../../src/scan/worker-pool';
import { HANDLER, sampleFiles, sampleProject } from './sample-files';

const REPO = path.resolve(__dirname, '..', '..');
// Workers need compiled JavaScript: build the pool and everything it imports (no type check)
// inside the repository, so the output resolves packages from its node_modules.
const BUILD = path.join(REPO, 'test', 'tmp', `worker-pool-build-${process.pid}`);
let compiled: typeof import('../../src/scan/worker-pool');
let root: string;

beforeAll(() => {
  execFileSync(
    process.execPath,
    [
      path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'),
      '--noCheck',
      '--outDir',
      BUILD,
      '--rootDir',
      REPO,
      '--module',
      'commonjs',
      '--target',
      'es2022',
      '--moduleResolution',
      'node10',
      '--esModuleInterop',
      '--resolveJsonModule',
      '--skipLibCheck',
      '--types',
      'node',
      path.join(REPO, 'src', 'scan', 'worker-pool.ts'),
      path.join(REPO, 'src', 'scan', 'detect-worker.ts'),
    ],
    { cwd: REPO, stdio: 'pipe' },
  );
  compiled = createRequire(__filename)(path.join(BUILD, 'src', 'scan', 'worker-pool.js')) as typeof compiled;
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-workers-'));
});
afterAll(() => {
  fs.rmSync(BUILD, { recursive: true, force: true });
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('detectMany', () => {
  it('gives identical results, in the same order, in worker threads and in-process', async () => {
    const files = sampleFiles(root, 150, {
      'src/handler.ts': HANDLER,
      'src/broken.ts': 'console.log("x");\nexport const = ;\n',
      'src/binary.js': 'a\u0000b',
      'src/view.tsx': 'export const V = () => { try { load() } catch {} return <div>{console.log(1)}</div>; };\n',
    });
    files.push({ path: 'src/missing.ts', absPath: path.join(root, 'src/missing.ts'), lang: 'ts' });
    const project = toPlainProject(sampleProject(root));
    const progress: number[] = [];
    const inProcess = await detectMany(files, project, undefined, { workers: 0 });
    const inWorkers = await compiled.detectMany(
      files,
      project,
      (done, total) => {
        expect(total).toBe(files.length);
        progress.push(done);
      },
      { workers: 2 },
    );

    expect(inWorkers.map((r) => r.path)).toEqual(files.map((f) => f.path));
    expect(inWorkers).toEqual(inProcess);
    expect(inWorkers.flatMap((r) => r.detection?.findings ?? []).length).toBeGreaterThan(5);
    expect(inWorkers.find((r) => r.path === 'src/handler.ts')!.detection!.findings.length).toBeGreaterThan(0);
    expect(inWorkers.find((r) => r.path === 'src/binary.js')!.readNote?.kind).toBe('skipped');
    expect(inWorkers.find((r) => r.path === 'src/missing.ts')!.readNote?.kind).toBe('unreadable');
    expect(inWorkers.find((r) => r.path === 'src/broken.ts')!.detection!.notes[0]?.kind).toBe('parse-error');
    expect(progress.at(-1)).toBe(files.length);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('respects the enabled detectors in workers', async () => {
    const files = sampleFiles(root, 40, { 'src/handler.ts': HANDLER });
    const project = toPlainProject(sampleProject(root));
    const options = { detectorNames: ['logging'] };
    const inWorkers = await compiled.detectMany(files, project, undefined, { ...options, workers: 2 });
    expect(inWorkers).toEqual(await detectMany(files, project, undefined, { ...options, workers: 0 }));
  });

  it('a pool kept open runs a later, smaller pass with other detectors on the same workers', async () => {
    const files = sampleFiles(root, 60, { 'src/handler.ts': HANDLER });
    const project = toPlainProject(sampleProject(root));
    const pool = new compiled.DetectionPool();
    try {
      const first = await compiled.detectMany(files, project, undefined, { workers: 2, pool });
      expect(pool.size).toBe(2);
      // 3 files would run in-process on their own; the warm pool takes them
      const few = files.slice(0, 3);
      const second = await compiled.detectMany(few, project, undefined, { detectorNames: ['logging'], pool });
      expect(pool.size).toBe(2);
      expect(pool.runs).toBe(2);
      expect(first).toEqual(await detectMany(files, project, undefined, { workers: 0 }));
      expect(second).toEqual(await detectMany(few, project, undefined, { detectorNames: ['logging'], workers: 0 }));
      expect(second.flatMap((r) => r.detection?.findings ?? []).every((f) => f.ruleId === 'unstructured-logging')).toBe(
        true,
      );
    } finally {
      await pool.close();
    }
    expect(pool.size).toBe(0);
  });

  it('a pool refuses a second pass while one runs, and any pass once its workers are gone', async () => {
    const files = sampleFiles(root, 30, { 'src/handler.ts': HANDLER });
    const project = toPlainProject(sampleProject(root));
    const pending = files.map((job, index) => ({ index, job }));
    const pool = new compiled.DetectionPool();
    pool.start(2, { project });
    const first = pool.detect(pending, () => undefined);
    await expect(pool.detect(pending, () => undefined)).rejects.toThrow(/already running/);
    await first;
    await pool.close();
    await expect(pool.detect(pending, () => undefined)).rejects.toThrow(/no running workers/);
  });

  it('a detector that throws in a worker fails the run, as it would in-process', async () => {
    const project = toPlainProject(sampleProject(root));
    // a config the detectors cannot read makes them throw where they use it
    const broken = { ...project, config: null as unknown as typeof project.config };
    const files = sampleFiles(root, 0, { 'src/handler.ts': HANDLER, 'src/b.ts': HANDLER });
    const inProcess = detectMany(files, broken, undefined, { workers: 0 }).then(
      () => 'ok',
      (e: Error) => e.message,
    );
    const inWorkers = compiled.detectMany(files, broken, undefined, { workers: 2 }).then(
      () => 'ok',
      (e: Error) => e.message,
    );
    const message = await inProcess;
    expect(message).not.toBe('ok');
    expect(await inWorkers).toBe(message);
  });
});

describe('shouldUseWorkers', () => {
  it.each([
    [10, 50_000, false],
    [150, 5_000_000, false],
    [5000, 200_000, false],
    [400, 2_000_000, os.availableParallelism() > 1],
    [3000, 17_000_000, os.availableParallelism() > 1],
  ])('%i files, %i bytes → %s', (files, bytes, expected) => {
    expect(shouldUseWorkers(files, bytes)).toBe(expected);
  });
});
