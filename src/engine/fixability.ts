import type { ResolvedConfig } from '../config/config-schema';
import type { Finding, ScanResult } from '../types';
import { computeChanges, type ComputedChanges } from './compute-changes';

/**
 * The scan's `fixable` is a candidate flag: the rule has a transform and the detector saw no
 * reason against it. Whether a finding is really fixed is decided by the fix step on the actual
 * node, so every text that promises a fix (reports of a --dry-run, SARIF and JSON, the playbook,
 * the planner's pre-selection) reads the flags settled here: true exactly for the findings the
 * computed changes fix.
 */
export interface SettledScan {
  result: ScanResult;
  computed: ComputedChanges;
}

/** The findings with `fixable` set from the computed fix; unchanged objects are kept as they are. */
export function withFixability(result: ScanResult, computed: Pick<ComputedChanges, 'fixed'>): ScanResult {
  const fixed = new Set<Finding>(computed.fixed);
  return {
    ...result,
    findings: result.findings.map((f) => (f.fixable === fixed.has(f) ? f : { ...f, fixable: fixed.has(f) })),
  };
}

/** Computes every fix in memory (nothing is written) and settles the scan's `fixable` flags from it. */
export async function settleFixability(
  result: ScanResult,
  config: ResolvedConfig,
  select?: (f: Finding) => boolean,
): Promise<SettledScan> {
  const computed = await computeChanges(result, config, select);
  const settled = withFixability(result, computed);
  // the computed changes refer to the findings as the caller will see them
  const renamed = new Map(result.findings.map((f, i) => [f, settled.findings[i]!]));
  const same = (f: Finding): Finding => renamed.get(f) ?? f;
  return {
    result: settled,
    computed: {
      ...computed,
      fixed: computed.fixed.map(same),
      left: computed.left.map((l) => ({ ...l, finding: same(l.finding) })),
    },
  };
}
