import { describe, expect, it } from 'vitest';
import { codeDetectors } from '../../src/registry/detectors';
import { detectFile } from '../../src/detect/detect-file';
import { projectFacts } from '../helpers/detect';
import { generatedClient } from '../helpers/generated-client';

/*
 * Detection is linear in the size of a file: a large generated API client costs about what the
 * same calls cost split over several files. (A lookup that scanned every call of the file once
 * per named function made 8,000 calls in one file 20 times slower than in eight.)
 */

function timeDetection(calls: number, parts: number): { ms: number; findings: number } {
  const project = projectFacts();
  const texts = Array.from({ length: parts }, (_, p) => generatedClient((p * calls) / parts, calls / parts));
  const started = performance.now();
  let findings = 0;
  texts.forEach((text, p) => {
    findings += detectFile(
      { path: `src/client-${p}.ts`, absPath: `/project/src/client-${p}.ts`, text, lang: 'ts' },
      codeDetectors,
      project,
    ).findings.length;
  });
  return { ms: performance.now() - started, findings };
}

describe('cost inside one file', () => {
  it('8,000 dependency calls in one file cost less than twice the same calls over 8 files', () => {
    timeDetection(800, 8); // warm up the parser and the detectors
    // the best of two runs each: the machine is shared, a single run can be slowed by others
    const one = Math.min(timeDetection(8000, 1).ms, timeDetection(8000, 1).ms);
    const split = Math.min(timeDetection(8000, 8).ms, timeDetection(8000, 8).ms);
    expect(one).toBeLessThan(2 * split);
  }, 120_000);

  it('finds every call of the large file (the speed is not bought by skipping work)', () => {
    const { findings } = timeDetection(8000, 1);
    // no-retry and no-circuit-breaker on each of the 8,000 calls, no-timeout once on the instance
    expect(findings).toBe(2 * 8000 + 1);
  }, 120_000);
});
