import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { loadConfig } from '../config/load-config';
import { playbook } from '../report/playbook';
import type { ScanResult } from '../types';
import { assertSomethingChecked } from '../report/report-gate';
import { runScan, type ScanCommandOptions } from './scan-command';

export const DEFAULT_PLAYBOOK = '.opencode/docs/HARDENING-PLAYBOOK.md';

/**
 * Writes (or regenerates, keeping the user's own text) the hardening playbook; returns its path.
 * The fix engine runs in memory first, so that the playbook promises a fix exactly for the
 * findings `harden-codemod fix` fixes, and names the policies the generated module defines.
 */
export async function writePlaybook(
  result: ScanResult,
  out?: string,
  options: { config?: string; date?: string } = {},
): Promise<string> {
  const { settleFixability } = await import('../engine/fixability');
  const config = loadConfig(result.root, options.config);
  const settled = await settleFixability(result, config);
  const file = path.resolve(result.root, out ?? DEFAULT_PLAYBOOK);
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic.sync(
    file,
    playbook(settled.result, { date: options.date ?? new Date().toISOString().slice(0, 10), existing, config }),
  );
  return file;
}

/** `harden-codemod playbook`: Analyze mode, the spec's playbook and no code change. */
export async function playbookCommand(
  paths: string[],
  options: Omit<ScanCommandOptions, 'format' | 'severity'> & { out?: string },
): Promise<number> {
  const result = await runScan(paths, options);
  assertSomethingChecked(result, paths, options.include);
  const file = await writePlaybook(result, options.out, { config: options.config });
  process.stdout.write(
    `Playbook written: ${path.relative(process.cwd(), file) || file} (${result.findings.length} findings)\n`,
  );
  return 0;
}
