import type { ResolvedConfig } from '../config/config-schema';
import type { SettledScan } from '../engine/fixability';
import { writeChanges, type WriteOptions } from '../engine/write-changes';
import type { ScanOptions } from '../scan/scan';
import type { Finding, ScanResult } from '../types';
import { settleFixes } from './compute-fixes';
import { scanSession, sessionOf } from './open-session';

export interface FixOptions extends ScanOptions, WriteOptions {
  /** write the changes (all or nothing); default false: compute them in memory only */
  write?: boolean;
  /** only these findings (the planner's choice, a --dependency slice); default all */
  select?: (f: Finding) => boolean;
}

export interface FixResult extends SettledScan {
  /** the scan the changes were computed from, its `fixable` flags settled by the fix */
  result: ScanResult;
  config: ResolvedConfig;
  written: boolean;
}

/**
 * The library's fix: the CLI's scan (detection cache unless `cache: false`, worker threads for
 * large trees), every change computed in memory (the scan's `fixable` flags settled by it),
 * and, with `write: true`, all of them written or none. What `harden-codemod fix --yes` does,
 * without the printing and the validation re-scan.
 */
export async function fix(options: FixOptions = {}): Promise<FixResult> {
  const session = sessionOf(options);
  const settled = await settleFixes(session, await scanSession(session), options.select);
  if (options.write) await writeChanges(session.root, settled.computed.changes, options);
  return { ...settled, config: session.config, written: Boolean(options.write) };
}
