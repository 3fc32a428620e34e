import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { playbook } from '../report/playbook';
import type { ScanResult } from '../types';
import { runScan, type ScanCommandOptions } from './scan-command';

export const DEFAULT_PLAYBOOK = '.opencode/docs/HARDENING-PLAYBOOK.md';

/** Writes (or regenerates, keeping the user's own text) the hardening playbook; returns its path. */
export function writePlaybook(result: ScanResult, out?: string, date = new Date().toISOString().slice(0, 10)): string {
  const file = path.resolve(result.root, out ?? DEFAULT_PLAYBOOK);
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic.sync(file, playbook(result, { date, existing }));
  return file;
}

/** `harden-codemod playbook`: Analyze mode, the spec's playbook and no code change. */
export async function playbookCommand(paths: string[], options: Omit<ScanCommandOptions, 'format' | 'severity'> & { out?: string }): Promise<number> {
  const result = await runScan(paths, options);
  const file = writePlaybook(result, options.out);
  process.stdout.write(`Playbook written: ${path.relative(process.cwd(), file) || file} (${result.findings.length} findings)\n`);
  return 0;
}
