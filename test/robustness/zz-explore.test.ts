import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import { computeChanges } from '../../src/engine/compute-changes';
import { scan } from '../../src/scan/scan';
import { REPO } from '../helpers/cli';
import { copyFiles, everyKth, sourceFilesUnder } from '../helpers/robustness';
it('x', async () => {
  const nm = path.join(REPO, 'node_modules');
  const c = sourceFilesUnder(nm); const files = everyKth(c, 3);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-x-'));
  copyFiles(nm, root, files); fs.writeFileSync(path.join(root, 'package.json'), '{}');
  const r = scan({ root, paths: files.map((f) => path.join(root, f)), config: defaultConfig() });
  const ch = await computeChanges(r, defaultConfig());
  for (const l of ch.left.filter((x) => x.reason.startsWith('no safe rewrite'))) {
    const lines = fs.readFileSync(path.join(root, l.finding.file), 'utf8').split('\n');
    console.log('LEFT', l.finding.ruleId, l.finding.file, l.finding.line, '\n', lines.slice(l.finding.line - 4, l.finding.line + 2).join('\n'));
  }
}, 300_000);
