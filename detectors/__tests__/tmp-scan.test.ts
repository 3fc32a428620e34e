import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { detectFile } from '../../src/detect/detect-file';
import { languageOf } from '../../src/parse/parse-options';
import { projectFacts } from '../../test/helpers/detect';
import logging from '../logging';
import health from '../health-probes';
import state from '../lambda-state';
import idem from '../idempotency';
it('scan', () => {
  const root = process.env.SCAN_ROOT!;
  const files = execSync(`find ${root} -type f \\( -name '*.ts' -o -name '*.js' -o -name '*.mjs' -o -name '*.cjs' \\) -not -name '*.d.ts'`).toString().trim().split('\n');
  const out: string[] = [];
  for (const f of files) {
    const lang = languageOf(f); if (!lang) continue;
    const rel = f.slice(root.length + 1);
    const r = detectFile({ path: rel, absPath: f, text: readFileSync(f, 'utf8'), lang }, [logging, health, state, idem], projectFacts());
    for (const x of r.findings) out.push(`${rel}:${x.line} ${x.ruleId} ${x.message} ${JSON.stringify(x.data)}`);
    if (r.facts.handlerExports.size || r.facts.frameworks.size) out.push(`  facts ${rel} ${JSON.stringify([...r.facts.frameworks])} ${JSON.stringify([...r.facts.handlerExports])}`);
  }
  console.log(out.join('\n'));
});
