import type { ComputedChanges } from './compute-changes';

/**
 * The end of a fix summary: the reserved concurrency the IaC fixes took from the account (it
 * keeps at least 100 executions unreserved, so a large total can fail the deploy), then the
 * values to supply before the next deploy. The fixed templates deploy without them.
 */
export function deploySummaryLines(
  computed: Pick<ComputedChanges, 'beforeDeploy' | 'reservedConcurrencyAdded'>,
): string[] {
  const lines: string[] = [];
  if (computed.reservedConcurrencyAdded > 0) {
    lines.push(
      `  reserved concurrency added: ${computed.reservedConcurrencyAdded} in total (the account keeps at least 100 executions unreserved)`,
    );
  }
  if (computed.beforeDeploy.length) {
    lines.push('  before the next deploy:');
    for (const item of computed.beforeDeploy) lines.push(`    - ${item}`);
  }
  return lines;
}
