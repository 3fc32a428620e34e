/**
 * Property tests of the fixes on random small programs and on random mutations of the fixture
 * inputs: the engine (scan → every fix step on one AST → write) and each transform run alone
 * never throw, their output re-parses, and a second application changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import jscodeshift, { type API, type FileInfo, type Options } from 'jscodeshift';
import { describe, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import { computeChanges } from '../../src/engine/compute-changes';
import { writeChanges } from '../../src/engine/write-changes';
import { languageOf } from '../../src/parse/parse-options';
import { scan } from '../../src/scan/scan';
import { CODE_FIX_STEPS } from '../../src/registry/fix-steps';
import { REPO } from '../helpers/cli';
import {
  fixtureInputs,
  mutate,
  mutation,
  parsesCleanly,
  program,
  type GeneratedProgram,
} from '../helpers/program-fragments';
import { reparseProblem, shortDiff, writeTree } from '../helpers/robustness';

/** A fixed seed keeps `npm test` reproducible; set HC_PROPERTY_SEED to explore other inputs. */
const SEED = Number(process.env.HC_PROPERTY_SEED ?? 20_240_611);
const config = defaultConfig();
const PACKAGE = JSON.stringify(
  {
    name: 'prop',
    version: '1.0.0',
    dependencies: { axios: '^1.0.0', '@aws-sdk/client-dynamodb': '^3.0.0' },
    devDependencies: { '@types/aws-lambda': '^8.0.0' },
  },
  null,
  2,
);

type Transform = (file: FileInfo, api: API, options: Options) => string | undefined | null;

/** Every fix step of the registry, as the standalone transform `jscodeshift -t transforms/<name>.ts` runs. */
const TRANSFORMS: Record<string, Transform> = Object.fromEntries(CODE_FIX_STEPS.map((s) => [s.name, s.transform]));

const show = (p: GeneratedProgram): string => `--- ${p.file} ---\n${p.code}`;

/** The engine twice on one file: no step failure, nothing discarded, output re-parses, second run empty. */
async function engineTwice(input: GeneratedProgram): Promise<void> {
  const dir = writeTree({ 'package.json': PACKAGE, [input.file]: input.code }, 'hc-prop-');
  try {
    const first = await computeChanges(scan({ root: dir, config }), config);
    const broken = first.left.filter((l) => / failed: |rewrite discarded/.test(l.reason));
    if (broken.length)
      throw new Error(
        `fix steps failed:\n${broken.map((l) => `  ${l.finding.ruleId}@${l.finding.line}: ${l.reason}`).join('\n')}\n${show(input)}`,
      );
    await writeChanges(dir, first.changes, { allowDirty: true });
    for (const c of first.changes) {
      const problem = reparseProblem(c.file, fs.readFileSync(path.join(dir, c.file), 'utf8'));
      if (problem)
        throw new Error(
          `${c.file} does not re-parse after the fix: ${problem}\n${show(input)}\n--- after ---\n${c.after}`,
        );
    }
    const second = await computeChanges(scan({ root: dir, config }), config);
    if (second.changes.length) {
      const diffs = second.changes
        .map((c) => `${c.file} [${c.fixes.join(', ') || c.kind}]\n${shortDiff(c.file, c.before, c.after)}`)
        .join('\n');
      throw new Error(`a second fix changed ${second.changes.length} file(s):\n${diffs}\n${show(input)}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const api: API = { jscodeshift, j: jscodeshift, stats: () => undefined, report: () => undefined };

/** Each transform alone, as `jscodeshift -t` runs it (dry, so no module is written): twice. */
function transformsTwice(input: GeneratedProgram): void {
  const file = path.join('/nonexistent-root', input.file);
  for (const [name, transform] of Object.entries(TRANSFORMS) as Array<[string, Transform]>) {
    let once: string;
    try {
      once = transform({ path: file, source: input.code }, api, { dry: true }) ?? input.code;
    } catch (err) {
      throw new Error(`${name} threw: ${(err as Error).message}\n${show(input)}`);
    }
    const problem = reparseProblem(input.file, once);
    if (problem)
      throw new Error(`${name}: output does not re-parse: ${problem}\n${show(input)}\n--- after ---\n${once}`);
    let twice: string;
    try {
      twice = transform({ path: file, source: once }, api, { dry: true }) ?? once;
    } catch (err) {
      throw new Error(`${name} threw on its own output: ${(err as Error).message}\n${show(input)}`);
    }
    if (twice !== once)
      throw new Error(`${name} is not idempotent:\n${shortDiff(input.file, once, twice)}\n${show(input)}`);
  }
}

const FIXTURES = fixtureInputs(REPO);
const mutatedFixture: fc.Arbitrary<GeneratedProgram> = fc
  .tuple(fc.constantFrom(...FIXTURES), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([f, ms]) => ({ file: f.file, code: mutate(f.code, ms) }));

const cleanProgram = program.filter((p) => parsesCleanly(p.file, p.code));
const cleanMutant = mutatedFixture.filter((p) => parsesCleanly(p.file, p.code));

describe('fix properties', () => {
  it('the inputs are real: fixtures of every code transform, programs that parse', () => {
    const missing = Object.keys(TRANSFORMS).filter((t) => !FIXTURES.some((f) => f.file.startsWith(`src/${t}-`)));
    if (FIXTURES.length < 20 || missing.length)
      throw new Error(`${FIXTURES.length} fixture inputs; none for ${missing.join(', ')}`);
    const sample = fc.sample(program, { numRuns: 50, seed: SEED });
    const parsing = sample.filter((p) => parsesCleanly(p.file, p.code)).length;
    if (parsing < 45) throw new Error(`only ${parsing}/50 generated programs parse`);
    if (!sample.every((p) => languageOf(p.file))) throw new Error('generated a file that is not code');
  });

  it('engine on random programs: no failure, output re-parses, second run changes nothing', async () => {
    await fc.assert(fc.asyncProperty(cleanProgram, engineTwice), {
      numRuns: 150,
      seed: SEED,
      interruptAfterTimeLimit: 50_000,
      markInterruptAsFailure: false,
    });
  }, 120_000);

  it('engine on mutated fixture inputs: same properties', async () => {
    await fc.assert(fc.asyncProperty(cleanMutant, engineTwice), {
      numRuns: 100,
      seed: SEED,
      interruptAfterTimeLimit: 40_000,
      markInterruptAsFailure: false,
    });
  }, 120_000);

  it('each transform alone, on random programs and mutated fixtures: never throws, re-parses, idempotent', () => {
    fc.assert(fc.property(fc.oneof(cleanProgram, cleanMutant), transformsTwice), {
      numRuns: 150,
      seed: SEED,
      interruptAfterTimeLimit: 40_000,
      markInterruptAsFailure: false,
    });
  }, 120_000);
});
