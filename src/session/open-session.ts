import type { ResolvedConfig } from '../config/config-schema';
import { loadConfig } from '../config/load-config';
import { assertSomethingChecked } from '../report/report-gate';
import { resolveRoot, scanAsync, type ScanOptions } from '../scan/scan';
import type { ScanResult } from '../types';
import { scanOptionsOf, type SelectionOptions } from './selection';

/**
 * One run over one project: the root findings are relative to, the configuration read there,
 * and the scan options of the file and rule selection. Every command, the planner and the
 * library's fix start from it, so they all scan the same way.
 */
export interface Session {
  root: string;
  config: ResolvedConfig;
  scanOptions: ScanOptions & { root: string; config: ResolvedConfig };
}

/** The session of scan options (the library's): the root and config they give, else those of their paths. */
export function sessionOf(options: ScanOptions): Session {
  const root = options.root ?? resolveRoot(options.paths);
  const config = options.config ?? loadConfig(root, options.configFile);
  return { root, config, scanOptions: { ...options, root, config } };
}

/** A command's session: the rule ids of its selection checked against the catalog, then root and configuration. */
export function openSession(paths: string[], options: SelectionOptions): Session {
  return sessionOf(scanOptionsOf(paths, options));
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
