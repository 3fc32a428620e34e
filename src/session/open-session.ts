import type { ResolvedConfig } from '../config/config-schema';
import { loadConfig } from '../config/load-config';
import { assertSomethingChecked } from '../report/report-gate';
import { resolveRoot, scanAsync, type ScanOptions } from '../scan/scan';
import type { ScanResult } from '../types';
import { scanOptionsOf, type SelectionOptions } from './selection';

/**
 * One run of a command over one project: the paths it was given, the root findings are
 * relative to, the configuration read there, and the scan options of the file and rule
 * selection. Every command and the planner start from it, so they all scan the same way.
 */
export interface Session {
  paths: string[];
  root: string;
  config: ResolvedConfig;
  scanOptions: ScanOptions & { root: string; config: ResolvedConfig };
}

/** Resolves the root, checks the rule ids of the selection and loads the configuration. */
export function openSession(paths: string[], options: SelectionOptions): Session {
  const root = resolveRoot(paths);
  const selection = scanOptionsOf(paths, options);
  const config = loadConfig(root, options.config);
  return { paths, root, config, scanOptions: { ...selection, root, config } };
}

/**
 * The scan of the session: the detection cache (unless --no-cache), worker threads for large
 * trees and a progress bar on a terminal. The same path for scan, fix, the planner and the
 * re-scan that validates written fixes.
 */
export function scanSession(session: Session): Promise<ScanResult> {
  return scanAsync(session.scanOptions);
}

/** Opens the session and scans it; nothing to check under the paths is a usage error. */
export async function scanSelection(
  paths: string[],
  options: SelectionOptions,
): Promise<{ session: Session; result: ScanResult }> {
  const session = openSession(paths, options);
  const result = await scanSession(session);
  assertSomethingChecked(result, paths, options.include);
  return { session, result };
}
