import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import { computeChanges } from '../../src/engine/compute-changes';
import { writeChanges } from '../../src/engine/write-changes';
import { scan } from '../../src/scan/scan';
import { REPO } from '../helpers/cli';
import { fixtureInputs, mutate, mutation, parsesCleanly, program, type GeneratedProgram } from '../helpers/program-fragments';
import { reparseProblem, shortDiff, writeTree } from '../helpers/robustness';
const config = defaultConfig();
const PACKAGE = JSON.stringify({ name: 'prop', version: '1.0.0', dependencies: { axios: '^1.0.0', cockatiel: '^3.2.1', '@aws-lambda-powertools/logger': '^2.0.0' }, devDependencies: { '@types/aws-lambda': '^8.0.0' } });
const SKIP = (process.env.SKIP ?? 'no-timeout').split(',');
async function engineTwice(input: GeneratedProgram): Promise<void> {
  const dir = writeTree({ 'package.json': PACKAGE, [input.file]: input.code }, 'hc-prop-');
  try {
    const first = await computeChanges(scan({ root: dir, config, skip: SKIP }), config);
    const broken = first.left.filter((l) => / failed: |rewrite discarded/.test(l.reason));
    if (broken.length) throw new Error(`fix steps failed:\n${broken.map((l) => `  ${l.finding.ruleId}@${l.finding.line}: ${l.reason}`).join('\n')}\n${input.code}`);
    writeChanges(dir, first.changes, { allowDirty: true });
    for (const c of first.changes) { const p = reparseProblem(c.file, fs.readFileSync(path.join(dir, c.file), 'utf8')); if (p) throw new Error(`reparse ${p}\n${input.code}\n---\n${c.after}`); }
    const second = await computeChanges(scan({ root: dir, config, skip: SKIP }), config);
    if (second.changes.length) throw new Error(`second:\n${second.changes.map((c) => shortDiff(c.file, c.before, c.after)).join('\n')}\n--- input\n${input.code}`);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
}
const FIX = fixtureInputs(REPO);
const mut = fc.tuple(fc.constantFrom(...FIX), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([f, ms]) => ({ file: f.file, code: mutate(f.code, ms) }));
const noOptCatch = (p: GeneratedProgram) => !/catch\s*\{/.test(p.code);
it('explore', async () => {
  const arb = process.env.MUT ? mut : program;
  await fc.assert(fc.asyncProperty(arb.filter((p) => parsesCleanly(p.file, p.code) && noOptCatch(p)), engineTwice), { numRuns: Number(process.env.RUNS ?? 200), seed: Number(process.env.SEED ?? 1) });
}, 300_000);
