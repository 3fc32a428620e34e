import type { ResolvedConfig } from '../config/config-schema';
import { loadConfig } from '../config/load-config';
import { resolveRoot, scan, type ScanOptions } from '../scan/scan';
import type { Finding, ScanResult } from '../types';
import { settleFixability, type SettledScan } from './fixability';
import { writeChanges, type WriteOptions } from './write-changes';

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
 * The library's fix: scan, compute every change in memory (the scan's `fixable` flags settled
 * by it), and, with `write: true`, write them all or none. What `harden-codemod fix --yes` does,
 * without the printing and the validation re-scan.
 */
export async function fix(options: FixOptions = {}): Promise<FixResult> {
  const root = options.root ?? resolveRoot(options.paths);
  const config = options.config ?? loadConfig(root, options.configFile);
  const settled = await settleFixability(scan({ ...options, root, config }), config, options.select);
  if (options.write) await writeChanges(root, settled.computed.changes, options);
  return { ...settled, config, written: Boolean(options.write) };
}
