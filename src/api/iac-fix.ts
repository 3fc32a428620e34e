import type { ResolvedConfig } from '../config/config-schema';
import type { FileChange, Finding, ScanResult } from '../types';

/**
 * An IaC fix family that writes repository files from the scan rather than editing the
 * templates its findings are in (the operational workflows). It runs after the template fixes
 * and sees their changes: a queue a template fix adds may need its own file too.
 */
export interface RepositoryFix {
  /** the catalog's `transform:` value of the rules it fixes */
  name: string;
  apply(
    result: ScanResult,
    findings: Finding[],
    templateChanges: readonly FileChange[],
    config: ResolvedConfig,
  ): { changes: FileChange[]; fixed: Finding[]; left: Array<{ finding: Finding; reason: string }> };
}
