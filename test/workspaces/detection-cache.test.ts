import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeDetectors } from '../../src/registry/detectors';
import { detectFile } from '../../src/detect/detect-file';
import { fromPlainProject, toPlainProject } from '../../src/detect/plain-facts';
import { cacheDir, cacheKeyParts, openCache } from '../../src/scan/detection-cache';
import { detectMany } from '../../src/scan/worker-pool';
import { HANDLER, sampleFiles, sampleProject } from './sample-files';

const made: string[] = [];
const tempRoot = (withNodeModules: boolean): string => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-cache-'));
  if (withNodeModules) fs.mkdirSync(path.join(root, 'node_modules'));
  made.push(root, cacheDir(root));
  return root;
};
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const names = codeDetectors.map((d) => d.name);

describe('detection cache', () => {
  it('lives in node_modules/.cache/harden-codemod, else in the temp dir by root', () => {
    const withNm = tempRoot(true);
    expect(cacheDir(withNm)).toBe(path.join(withNm, 'node_modules', '.cache', 'harden-codemod'));
    const without = tempRoot(false);
    expect(cacheDir(without).startsWith(os.tmpdir())).toBe(true);
    expect(cacheDir(without)).not.toBe(cacheDir(tempRoot(false)));
  });

  it('round-trips a detection (facts with Sets and Maps) identically across runs', () => {
    const root = tempRoot(true);
    const project = sampleProject(root);
    const file = {
      path: 'src/handler.ts',
      absPath: path.join(root, 'src/handler.ts'),
      text: HANDLER,
      lang: 'ts' as const,
    };
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(file.absPath, HANDLER);
    const detection = detectFile(file, codeDetectors, project);
    expect(detection.findings.length).toBeGreaterThan(0);

    const key = cacheKeyParts({ detectorNames: names, config: project.config, project: toPlainProject(project) });
    const first = openCache(root, key, true);
    expect(first.get(file.path, HANDLER)).toBeUndefined();
    first.set(file.path, HANDLER, detection);
    expect(fs.existsSync(cacheDir(root))).toBe(false); // nothing written before flush
    first.flush();

    const second = openCache(root, key, true);
    const hit = second.get(file.path, HANDLER);
    expect(hit!.findings).toEqual(JSON.parse(JSON.stringify(detection.findings)));
    expect(hit!.facts).toEqual(detection.facts);
    expect(hit!.facts.frameworks).toBeInstanceOf(Set);
    expect(hit!.facts.handlerExports).toBeInstanceOf(Map);
    expect(hit!.notes).toEqual(detection.notes);

    // a changed file misses; so does another key (other rules, config or version)
    expect(second.get(file.path, `${HANDLER}\n// edited\n`)).toBeUndefined();
    expect(openCache(root, [...key.slice(0, -1), '{"other":true}'], true).get(file.path, HANDLER)).toBeUndefined();
    expect(
      openCache(root, cacheKeyParts({ detectorNames: names.slice(1), config: project.config }), true).get(
        file.path,
        HANDLER,
      ),
    ).toBeUndefined();
  });

  it('disabled: never hits and writes nothing', () => {
    const root = tempRoot(true);
    const cache = openCache(root, ['k'], false);
    cache.set('a.ts', 'x', {
      findings: [],
      notes: [],
      parsed: false,
      facts: detectFile({ path: 'a.ts', absPath: '/a.ts', text: '', lang: 'ts' }, [], sampleProject(root)).facts,
    });
    cache.flush();
    expect(cache.get('a.ts', 'x')).toBeUndefined();
    expect(fs.existsSync(cacheDir(root))).toBe(false);
  });

  it('a scan through detectMany gives the same results cold and warm, and re-detects only edited files', async () => {
    const root = tempRoot(false);
    const files = sampleFiles(root, 60, {
      'src/handler.ts': HANDLER,
      'src/other.js': 'try { run() } catch (e) {}\nconsole.log("x")\n',
    });
    const project = toPlainProject(sampleProject(root));
    const key = cacheKeyParts({ detectorNames: names, config: project.config, project });
    const plain = await detectMany(files, project, undefined, { workers: 0 });
    expect(plain.flatMap((r) => r.detection?.findings ?? []).length).toBeGreaterThan(0);

    const cold = openCache(root, key, true);
    const coldRun = await detectMany(files, project, undefined, { workers: 0, cache: cold });
    cold.flush();
    const warm = openCache(root, key, true);
    let detected = 0;
    const spy = {
      get: (p: string, t: string) => {
        const d = warm.get(p, t);
        if (!d) detected++;
        return d;
      },
      set: warm.set,
      flush: warm.flush,
    };
    const warmRun = await detectMany(files, project, undefined, { workers: 0, cache: spy });
    expect(detected).toBe(0);
    for (const run of [coldRun, warmRun]) {
      expect(run.map((r) => r.detection?.findings)).toEqual(plain.map((r) => r.detection?.findings));
      expect(run.map((r) => r.detection?.facts)).toEqual(plain.map((r) => r.detection?.facts));
      expect(run.map((r) => r.text)).toEqual(plain.map((r) => r.text));
    }

    fs.writeFileSync(path.join(root, 'src/other.js'), 'console.log("changed")\n');
    detected = 0;
    const edited = await detectMany(files, project, undefined, { workers: 0, cache: spy });
    expect(detected).toBe(1);
    expect(edited.find((r) => r.path === 'src/other.js')!.detection!.findings.map((f) => f.line)).not.toContain(2);
    expect(fromPlainProject(project).packageDependencies).toEqual(new Set(['axios', '@aws-sdk/client-dynamodb']));
  });
});
