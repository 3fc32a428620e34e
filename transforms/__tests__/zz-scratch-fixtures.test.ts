import fs from 'node:fs';
import path from 'node:path';
import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/parse/parse-source';
import { languageOf } from '../../src/parse/parse-options';
describe.each(['wrap-in-policy', 'policy-layer'])('%s', (name) => {
  const dir = `/work/main/__testfixtures__/${name}`;
  it.each(fs.readdirSync(dir).filter((x) => x.includes('.input.')))('%s', async (f) => {
    const transform = (await import(`/work/main/transforms/${name}.ts`)).default;
    const run = (src: string): string => {
      const j = jscodeshift.withParser('tsx');
      return transform({ path: path.join('/virtual/src', f.replace('.input', '')), source: src }, { jscodeshift: j, j, stats: () => {}, report: () => {} } as never, { dry: true }) ?? src;
    };
    const input = fs.readFileSync(path.join(dir, f), 'utf8');
    const out = run(input);
    expect(out).toBe(fs.readFileSync(path.join(dir, f.replace('.input.', '.output.')), 'utf8'));
    expect(run(out)).toBe(out);
    const r = parseSource(out, languageOf(f.replace('.input', ''))!);
    expect(r.ok && r.recovered.length === 0).toBe(true);
  });
});
