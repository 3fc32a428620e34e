import type { ResolvedConfig } from '../config/config-schema';
import { loadConfig } from '../config/load-config';
import { settleFixability, type SettledScan } from '../engine/fixability';
import { writeChanges, type WriteOptions } from '../engine/write-changes';
import { resolveRoot, scanAsync, type ScanOptions } from '../scan/scan';
import type { Finding, ScanResult } from '../types';

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
 * The library's fix: scan (the CLI's scan: detection cache unless `cache: false`, worker
 * threads for large trees), compute every change in memory (the scan's `fixable` flags settled
 * by it), and, with `write: true`, write them all or none. What `harden-codemod fix --yes`
 * does, without the printing and the validation re-scan.
 */
export async function fix(options: FixOptions = {}): Promise<FixResult> {
  const root = options.root ?? resolveRoot(options.paths);
  const config = options.config ?? loadConfig(root, options.configFile);
  const settled = await settleFixability(await scanAsync({ ...options, root, config }), config, options.select);
  if (options.write) await writeChanges(root, settled.computed.changes, options);
  return { ...settled, config, written: Boolean(options.write) };
}
