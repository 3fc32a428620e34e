import type { ComputedChanges } from '../engine/compute-changes';
import { writeChanges } from '../engine/write-changes';
import { diffStat } from '../report/diff-report';
import { compareScans, validationReport } from '../report/validation-report';
import type { ScanResult } from '../types';
import { fixSummary } from './fix-summary';
import { installDependencies } from './install-dependencies';
import { scanSession, type Session } from './open-session';
import type { SelectionOptions } from './selection';

/** How computed fixes are written: the refusals a user may lift, and whether to install what they add. */
export interface ApplyOptions extends SelectionOptions {
  allowDirty?: boolean;
  allowSymlinks?: boolean;
  allowReadOnly?: boolean;
  install?: boolean;
}

/**
 * Writes computed changes, installs added dependencies when asked, then re-scans and prints
 * the before/after validation (spec phase 5). Exit code 1 when the fix added findings or
 * broke a file's parse. Shared by `fix --yes` and the interactive planner.
 */
export async function applyAndValidate(
  session: Session,
  options: ApplyOptions,
  before: ScanResult,
  computed: ComputedChanges,
): Promise<{ code: number; after: ScanResult }> {
  await writeChanges(before.root, computed.changes, {
    allowDirty: options.allowDirty,
    allowSymlinks: options.allowSymlinks,
    allowReadOnly: options.allowReadOnly,
  });
  process.stdout.write(`${diffStat(computed.changes)}\n${fixSummary(before, computed, true)}`);
  // the commands name folders relative to the current directory
  const installFailed = options.install ? !installDependencies(computed.installCommands, process.cwd()) : false;
  // the fixes are on disk whatever the install did: validate them
  const after = await scanSession(session);
  const comparison = compareScans(before, after);
  process.stdout.write(validationReport(comparison));
  if (installFailed) return { code: 2, after };
  return { code: comparison.regressions.length > 0 || comparison.newParseErrors.length > 0 ? 1 : 0, after };
}
