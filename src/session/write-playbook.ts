import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { playbook } from '../report/playbook';
import type { ScanResult } from '../types';
import { settleFixes } from './compute-fixes';
import type { Session } from './open-session';

export const DEFAULT_PLAYBOOK = '.opencode/docs/HARDENING-PLAYBOOK.md';

/**
 * Writes (or regenerates, keeping the user's own text) the hardening playbook; returns its path.
 * The fix engine runs in memory first, so that the playbook promises a fix exactly for the
 * findings `harden-codemod fix` fixes, and names the policies the generated module defines.
 */
export async function writePlaybook(
  result: ScanResult,
  session: Pick<Session, 'config'>,
  options: { out?: string; date?: string } = {},
): Promise<string> {
  const settled = await settleFixes(session, result);
  const file = path.resolve(result.root, options.out ?? DEFAULT_PLAYBOOK);
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic.sync(
    file,
    playbook(settled.result, {
      date: options.date ?? new Date().toISOString().slice(0, 10),
      existing,
      config: session.config,
    }),
  );
  return file;
}
