import type { ScanResult } from '../types';
import { summarize } from './summary';
import { loadCatalog } from '../catalog/catalog';
import { fullMessage } from '../scan/finalize-findings';

/** The JSON contract (version 1): stable keys, posix paths relative to root, 1-based positions. */
export function jsonReport(result: ScanResult): string {
  const summary = summarize(result);
  const catalog = loadCatalog();
  return `${JSON.stringify(
    {
      version: 1,
      root: result.root,
      discovery: result.discovery,
      findings: result.findings.map((f) => ({
        ruleId: f.ruleId,
        severity: f.severity,
        file: f.file,
        line: f.line,
        column: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
        message: fullMessage(f, catalog),
        ...(f.dependency ? { dependency: f.dependency } : {}),
        ...(f.package ? { package: f.package } : {}),
        fixable: f.fixable,
      })),
      suppressed: result.suppressed.map((f) => ({ ruleId: f.ruleId, file: f.file, line: f.line, reason: f.reason })),
      notes: result.notes,
      summary: {
        bySeverity: summary.bySeverity,
        byRule: summary.byRule,
        total: summary.total,
        suppressed: summary.suppressed,
        filesScanned: summary.filesScanned,
      },
    },
    null,
    2,
  )}\n`;
}
