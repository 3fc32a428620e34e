import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/catalog';
import { CODE_FIX_STEPS } from '../fix-steps';
import { IAC_FIX_FAMILIES } from '../iac-fix-families';
import { projectRoot } from '../generated-files';

const ENGINE = path.join(projectRoot(__dirname), 'src', 'engine');

function engineFiles(dir = ENGINE): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? engineFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Rule-specific behaviour lives with the rule (its detector, its fix step, its metadata), never in the engine. */
describe('the fix engine names no rule and no fix step', () => {
  const catalog = loadCatalog();
  const names = new Set([
    ...catalog.rules.map((r) => r.id),
    ...catalog.rules.flatMap((r) => (r.transform ? [r.transform] : [])),
    ...CODE_FIX_STEPS.map((s) => s.name),
    ...Object.keys(IAC_FIX_FAMILIES),
  ]);

  it('knows the names it looks for', () => {
    expect(names.size).toBeGreaterThan(catalog.rules.length);
    expect(engineFiles().length).toBeGreaterThan(5);
  });

  it.each([...names])('%s appears in no file of src/engine/', (name) => {
    // a name stands alone: `no-timeout` is not a part of `no-timeout-x`, nor of an identifier
    const pattern = new RegExp(`(^|[^\\w-])${name.replace(/[-]/g, '\\-')}(?![\\w-])`);
    const hits = engineFiles().filter((f) => pattern.test(fs.readFileSync(f, 'utf8')));
    expect(hits.map((f) => path.relative(ENGINE, f))).toEqual([]);
  });
});
