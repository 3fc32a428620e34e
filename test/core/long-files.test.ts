import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeDetectors } from '../../src/registry/detectors';
import { defaultConfig } from '../../src/config/config-schema';
import { detectFile } from '../../src/detect/detect-file';
import { toPlainProject } from '../../src/detect/plain-facts';
import type { FileProgress } from '../../src/scan/detect-job';
import { detectMany } from '../../src/scan/worker-pool';
import { scan } from '../../src/scan/scan';
import { projectFacts } from '../helpers/detect';
import { generatedClient } from '../helpers/generated-client';

describe('long files', () => {
  it('report how far their detection is, from the parse to the end of the traversal', () => {
    const text = generatedClient(0, 3000);
    const seen: number[] = [];
    const result = detectFile(
      { path: 'src/client.ts', absPath: '/project/src/client.ts', text, lang: 'ts' },
      codeDetectors,
      projectFacts(),
      (f) => seen.push(f),
    );
    expect(result.findings.length).toBe(2 * 3000 + 1);
    expect(seen[0]).toBe(0);
    expect(seen).toContain(0.5);
    const walked = seen.filter((f) => f > 0.5);
    expect(walked.length).toBeGreaterThan(10);
    // never backwards, never past the end
    expect(walked).toEqual([...walked].sort((a, b) => a - b));
    expect(Math.max(...walked)).toBeLessThanOrEqual(1);
    expect(Math.max(...walked)).toBeGreaterThan(0.9);
  });

  it('are followed by the scan progress callback, and marked done when they finish', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-long-'));
    fs.writeFileSync(path.join(dir, 'client.ts'), generatedClient(0, 3000));
    fs.writeFileSync(path.join(dir, 'small.ts'), generatedClient(0, 2));
    const reports: FileProgress[] = [];
    const project = toPlainProject(projectFacts({ root: dir }));
    const jobs = ['client.ts', 'small.ts'].map((f) => ({ path: f, absPath: path.join(dir, f), lang: 'ts' as const }));
    await detectMany(jobs, project, undefined, { onFileProgress: (p) => reports.push(p) });
    expect(reports.every((r) => r.path === 'client.ts')).toBe(true);
    expect(reports[0]!.fraction).toBe(0);
    expect(reports[reports.length - 1]).toEqual({ path: 'client.ts', fraction: 1 });
  });

  it('past the configured size limit are not parsed, with a note naming the limit', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-limit-'));
    fs.writeFileSync(path.join(dir, 'client.ts'), generatedClient(0, 300));
    fs.writeFileSync(path.join(dir, 'small.ts'), generatedClient(0, 2));
    const config = { ...defaultConfig(), maxFileBytes: 10_000 };
    const result = scan({ root: dir, paths: [dir], config });
    expect(result.notes).toEqual([
      expect.objectContaining({
        file: 'client.ts',
        kind: 'skipped',
        message: expect.stringMatching(/over the 0\.0 MB size limit .*maxFileBytes/),
      }),
    ]);
    expect(new Set(result.findings.map((f) => f.file))).toEqual(new Set(['small.ts']));
    // with the default limit the same file is scanned
    const full = scan({ root: dir, paths: [dir] });
    expect(full.notes.filter((n) => n.kind === 'skipped')).toEqual([]);
    expect(full.findings.filter((f) => f.file === 'client.ts').length).toBeGreaterThan(300);
  });
});
