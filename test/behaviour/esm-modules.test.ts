import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli';
import { buildService, fixedCopy } from '../helpers/run-service';

/*
 * Every ES module the fix changes or creates loads in Node: generated imports carry the file
 * extension ES modules need (`.mjs` beside `.mjs`, `.js` in a "type": "module" package, `.js`
 * for TypeScript with NodeNext resolution), so the handler does not fail with ERR_MODULE_NOT_FOUND.
 */

const SERVICES = path.join(REPO, 'test/fixtures/esm-services');

/** Imports a module in a fresh Node process; returns its export names, or the error. */
function load(file: string): { exports: string[]; error: string } {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      'const m = await import(process.argv[1]); console.log(JSON.stringify(Object.keys(m)));',
      pathToFileURL(file).href,
    ],
    {
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return {
    exports: r.status === 0 && last.startsWith('[') ? (JSON.parse(last) as string[]) : [],
    error: r.status === 0 ? '' : r.stderr,
  };
}

function linkModules(dir: string): void {
  if (!fs.existsSync(path.join(dir, 'node_modules')))
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}

describe('fixed ES modules load in Node', () => {
  it('.mjs files import generated .mjs modules, with the extension', () => {
    const dir = fixedCopy(path.join(SERVICES, 'mjs-lambda'), [], 'hc-esm-mjs-');
    linkModules(dir);
    expect(fs.existsSync(path.join(dir, 'resilience/logger.mjs'))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'lib/prices.mjs'), 'utf8')).toContain("from '../resilience/errors.mjs'");
    for (const [file, exported] of [
      ['app.mjs', 'handler'],
      ['lib/prices.mjs', 'priceOf'],
      ['resilience/errors.mjs', 'classify'],
      ['resilience/logger.mjs', 'logger'],
    ] as const) {
      const r = load(path.join(dir, file));
      expect(r.error, file).toBe('');
      expect(r.exports, file).toContain(exported);
    }
  });

  it('a "type": "module" package imports ./x.js', () => {
    const dir = fixedCopy(path.join(SERVICES, 'type-module'), [], 'hc-esm-type-');
    linkModules(dir);
    expect(fs.readFileSync(path.join(dir, 'src/stock.js'), 'utf8')).toContain("from './resilience/errors.js'");
    for (const [file, exported] of [
      ['src/handler.js', 'level'],
      ['src/stock.js', 'stockOf'],
      ['src/resilience/errors.js', 'classify'],
      ['src/resilience/logger.js', 'logger'],
    ] as const) {
      const r = load(path.join(dir, file));
      expect(r.error, file).toBe('');
      expect(r.exports, file).toContain(exported);
    }
  });

  it('TypeScript with NodeNext resolution compiles and its output loads', () => {
    const dir = fixedCopy(path.join(SERVICES, 'ts-nodenext'), [], 'hc-esm-ts-');
    expect(fs.readFileSync(path.join(dir, 'src/rates.ts'), 'utf8')).toContain("from './resilience/errors.js'");
    const dist = buildService(dir);
    for (const [file, exported] of [
      ['handler.js', 'quote'],
      ['rates.js', 'currentRate'],
      ['resilience/errors.js', 'classify'],
    ] as const) {
      const r = load(path.join(dist, file));
      expect(r.error, file).toBe('');
      expect(r.exports, file).toContain(exported);
    }
  });
});
