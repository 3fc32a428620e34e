import type { ComputedChanges, ComputeOptions } from '../engine/compute-changes';
import type { SettledScan } from '../engine/fixability';
import type { Finding, ScanResult } from '../types';
import type { Session } from './open-session';

// The fix engine loads jscodeshift and recast: imported when a fix is computed, so a scan starts fast.

/** The chosen fixes (default all) computed in memory with the session's configuration; nothing is written. */
export async function computeFixes(
  session: Pick<Session, 'config'>,
  result: ScanResult,
  select?: (f: Finding) => boolean,
  options?: ComputeOptions,
): Promise<ComputedChanges> {
  const { computeChanges } = await import('../engine/compute-changes');
  return computeChanges(result, session.config, select, options);
}

/**
 * The fixes computed in memory and the scan's `fixable` flags settled by them: what every text
 * that promises a fix reads (a --dry-run report, JSON, SARIF, the playbook, the planner).
 */
export async function settleFixes(
  session: Pick<Session, 'config'>,
  result: ScanResult,
  select?: (f: Finding) => boolean,
): Promise<SettledScan> {
  const { settleFixability } = await import('../engine/fixability');
  return settleFixability(result, session.config, select);
}
