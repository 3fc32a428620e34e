import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan, scanAsync } from '../../src/scan/scan';

/*
 * Call sites of project functions are collected in a second pass, only in the files that hold a
 * changed contract and in the files that import them (directly or through other modules): the
 * callers must come out as complete as when every importing file was parsed up front.
 */

function project(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-callsites-'));
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write(
    'src/store.ts',
    'export async function loadOrder(id: string) {\n  try {\n    return await fetch(`https://orders.internal/${id}`);\n  } catch (err) {\n    return null;\n  }\n}\n',
  );
  // no catch, no client, nothing else to report: only the callers need this file
  write(
    'src/service.ts',
    "import { loadOrder } from './store';\n\nexport async function getOrder(id: string) {\n  return loadOrder(id);\n}\n",
  );
  write(
    'src/routes/index.ts',
    "const { getOrder } = require('../service');\n\nexport function main(id: string) {\n  getOrder(id);\n}\n",
  );
  write('src/other.ts', "import { x } from './util';\nexport const y = x;\n");
  write('src/util.ts', 'export const x = 1;\n');
  return root;
}

const EXPECTED = [
  { file: 'src/service.ts', line: 4, testsDefault: false, via: [], verdict: { kind: 'passes-on', to: 'getOrder' } },
  {
    file: 'src/routes/index.ts',
    line: 4,
    testsDefault: false,
    via: ['getOrder'],
    verdict: {
      kind: 'unsafe',
      reason: 'called without await, return or .catch: a rejection would be unhandled and stop the process',
    },
  },
];

describe('call sites for changed contracts', () => {
  it('reach through importers no other detector parses, in the in-process scan', () => {
    const root = project();
    const swallow = scan({ root, paths: [root] }).findings.filter((f) => f.ruleId === 'silent-error-swallow');
    expect(swallow.map((f) => f.file)).toEqual(['src/store.ts']);
    expect(swallow[0]!.data?.callers).toEqual(EXPECTED);
    expect(swallow[0]!.data?.callersIncomplete).toBeUndefined();
  });

  it('reach the same callers in the scan the CLI runs, with and without the cache', async () => {
    const root = project();
    for (const cache of [false, true, true]) {
      const swallow = (await scanAsync({ root, paths: [root], cache, quiet: true })).findings.filter(
        (f) => f.ruleId === 'silent-error-swallow',
      );
      expect(swallow[0]!.data?.callers).toEqual(EXPECTED);
    }
  });
});
