import { loadCatalog } from '../catalog/catalog';
import { auditAreas, type AuditArea } from '../report/playbook';
import type { ScanResult } from '../types';

export type AuditRow = AuditArea;

/** The playbook's audit-summary rows: the terminal and the document agree on every area's status. */
export function auditRows(result: ScanResult): AuditRow[] {
  return auditAreas(result.findings, loadCatalog());
}

/** The rows as aligned terminal lines. */
export function auditLines(result: ScanResult): string[] {
  const rows = auditRows(result);
  const width = Math.max(0, ...rows.map((r) => r.area.length));
  // ⚠️ carries a variation selector and renders one column wider than its length says
  return rows.map((r) => `  ${r.status}${r.status === '⚠️' ? ' ' : '  '}${r.area.padEnd(width)}  ${r.findings}`);
}
