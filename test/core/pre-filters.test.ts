import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { codeDetectors } from '../../src/registry/detectors';
import type { CodeDetector, SourceFile } from '../../src/detect/detector-api';
import { detectFile, detectorApplies } from '../../src/detect/detect-file';
import { toPlainFacts } from '../../src/detect/plain-facts';
import { languageOf } from '../../src/parse/parse-options';
import { projectFacts } from '../helpers/detect';
import { everyKth, sourceFilesUnder } from '../helpers/robustness';

/*
 * The text pre-filter decides which files are parsed at all. Triggers are the text without
 * which a detector cannot report: on real code they must leave most files unparsed, and running
 * every detector on every file (no pre-filter) must find exactly what the pre-filtered run finds.
 */

const NODE_MODULES = path.join(__dirname, '../../node_modules');
const SAMPLE = 400;

let sample: SourceFile[] = [];

beforeAll(() => {
  const candidates = sourceFilesUnder(NODE_MODULES);
  const files = everyKth(candidates, Math.max(1, Math.floor(candidates.length / SAMPLE)));
  sample = files
    .map((rel) => ({
      path: rel,
      absPath: path.join(NODE_MODULES, rel),
      text: fs.readFileSync(path.join(NODE_MODULES, rel), 'utf8'),
      lang: languageOf(rel)!,
    }))
    .filter((f) => f.lang);
});

/** The same detectors with no pre-filter: they visit every file. */
const unfiltered: CodeDetector[] = codeDetectors.map((d) => ({ ...d, triggers: [] }));

describe('detector pre-filters on real code', () => {
  it('leave most files unparsed', () => {
    expect(sample.length).toBeGreaterThan(300);
    const project = projectFacts();
    // the scan's first pass: every detector but the callers facts, which a second pass reads
    // only around changed contracts (test/core/call-sites-pass.test.ts)
    const parsed = sample.filter((f) =>
      codeDetectors.some((d) => d.name !== 'callers' && detectorApplies(d, f, project)),
    ).length;
    const share = parsed / sample.length;
    // broad substrings ('ey', '{}', 'async', 'import') matched over 99% of these files
    expect(share).toBeLessThan(0.5);
    // each broad-fact detector on its own filters, too
    for (const name of ['secrets', 'idempotency', 'capacity', 'timeouts', 'config-hygiene']) {
      const d = codeDetectors.find((x) => x.name === name)!;
      const visited = sample.filter((f) => detectorApplies(d, f, project)).length / sample.length;
      expect(visited, name).toBeLessThan(0.3);
    }
  });

  it('drop no finding and no fact: every detector on every file finds the same', () => {
    const project = projectFacts();
    const differences: string[] = [];
    for (const file of sample) {
      const filtered = detectFile(file, codeDetectors, project);
      const all = detectFile(file, unfiltered, project);
      // calls of project functions matter where they can reach a changed contract: a call of a
      // relative module's function, or any call in a file holding such a function (its catch)
      const contract = all.findings.some((f) => f.data && 'contract' in f.data);
      const callsMatter = contract || (all.facts.calls ?? []).some((c) => 'source' in c.callee);
      const key = (d: typeof filtered): string =>
        JSON.stringify({
          findings: d.findings,
          facts: { ...toPlainFacts(d.facts), calls: callsMatter ? (d.facts.calls ?? []) : null },
        });
      if (key(filtered) !== key(all)) differences.push(`${file.path}: ${key(all).slice(0, 300)}`);
    }
    expect(differences).toEqual([]);
  });

  it('visit a file the infrastructure declares as a handler whatever its text', () => {
    const file: SourceFile = {
      path: 'src/run.js',
      absPath: '/project/src/run.js',
      text: 'module.exports.main = async (e) => e;\n',
      lang: 'js',
    };
    const idempotency = codeDetectors.find((d) => d.name === 'idempotency')!;
    expect(detectorApplies(idempotency, file, projectFacts())).toBe(false);
    const declared = projectFacts({
      iacHandlers: new Map([
        ['src/run.js', [{ file: 'src/run.js', exportName: 'main', triggers: ['sqs'], source: 'iac' }]],
      ]),
    });
    expect(detectorApplies(idempotency, file, declared)).toBe(true);
    expect([...detectFile(file, codeDetectors, declared).facts.handlerExports]).toEqual([['main', 'sqs']]);
  });
});
