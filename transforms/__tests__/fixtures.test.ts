import fs from 'node:fs';
import path from 'node:path';
import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/parse/parse-source';
import { languageOf } from '../../src/parse/parse-options';
import { defaultConfig } from '../../src/config/config-schema';
import type { ServiceState } from '../../src/api/fix-context';
import { codeFixStep } from '../../src/registry/fix-steps';
import { createFixContext } from '../lib/transform-api';
import { recastParserFor } from '../lib/recast-parser';

/**
 * Walks __testfixtures__/<transform>/<case>.input.<ext> and checks, for every case: the
 * transform's output equals <case>.output.<ext>; running it again on its output changes
 * nothing (idempotent); the output re-parses. A case whose output file is byte-identical
 * to its input is an "already fixed" case: the transform must return nothing for it.
 * A step that only makes generated modules available (error-taxonomy, policy-layer) changes
 * no code: its cases have <case>.modules.txt instead, the modules it asks for from that file,
 * one `<path> <module system>` line each, and the file must come out unchanged.
 */
const FIXTURES = path.resolve(__dirname, '../../__testfixtures__');

/** The generated modules a step asks for on a file, as `<path below /virtual> <esm|commonjs>` lines. */
function requestedModules(name: string, file: string, source: string): string {
  const j = jscodeshift.withParser(recastParserFor(file));
  const state: ServiceState = { modules: new Map(), dependencies: new Map(), skipped: [] };
  codeFixStep(name)!.step(createFixContext(j, j(source), file, defaultConfig(), state));
  return [...state.modules.values()]
    .map((m) => `${path.relative('/virtual', m.file)} ${/^export /m.test(m.content) ? 'esm' : 'commonjs'}`)
    .sort()
    .join('\n');
}

type Transform = { default: (f: unknown, api: unknown, o: unknown) => string | undefined | null };

async function runTransform(name: string, file: string, source: string): Promise<string> {
  // the default export, exactly as `npx jscodeshift -t transforms/<name>.ts` would call it
  const mod = (await import(path.resolve(__dirname, '..', `${name}.ts`))) as Transform;
  const j = jscodeshift.withParser('tsx');
  const api = { jscodeshift: j, j, stats: () => undefined, report: () => undefined };
  const out = mod.default({ path: file, source }, api, { dry: true });
  return out ?? source;
}

const transforms = fs.existsSync(FIXTURES)
  ? fs
      .readdirSync(FIXTURES)
      .filter(
        (d) =>
          fs.statSync(path.join(FIXTURES, d)).isDirectory() && fs.existsSync(path.resolve(__dirname, '..', `${d}.ts`)),
      )
  : [];

describe.each(transforms)('transform %s', (name) => {
  const dir = path.join(FIXTURES, name);
  const inputs = fs.readdirSync(dir).filter((f) => /\.input\.[cm]?[jt]sx?$/.test(f));
  it('has at least five fixture cases', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(5);
  });
  it.each(inputs)('%s', async (inputName) => {
    const input = fs.readFileSync(path.join(dir, inputName), 'utf8');
    // a virtual path outside any package: generated modules resolve to ./resilience/<module>
    const fakePath = path.join('/virtual/src', inputName.replace('.input', ''));
    const modulesName = inputName.replace(/\.input\.[cm]?[jt]sx?$/, '.modules.txt');
    if (fs.existsSync(path.join(dir, modulesName))) {
      expect(await runTransform(name, fakePath, input)).toBe(input);
      expect(requestedModules(name, fakePath, input)).toBe(fs.readFileSync(path.join(dir, modulesName), 'utf8').trim());
      return;
    }
    const outputName = inputName.replace('.input.', '.output.');
    const expected = fs.readFileSync(path.join(dir, outputName), 'utf8');
    const output = await runTransform(name, fakePath, input);
    expect(output).toBe(expected);
    expect(await runTransform(name, fakePath, output)).toBe(output);
    const lang = languageOf(fakePath)!;
    const reparsed = parseSource(output, lang);
    expect(reparsed.ok && reparsed.recovered.length === 0).toBe(true);
  });
});
