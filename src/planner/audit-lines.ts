import { playbookSections } from '../report/playbook';
import type { ScanResult } from '../types';

export interface AuditRow {
  area: string;
  /** ❌ (critical or high findings), ⚠️ (others), ✅ (none) */
  status: string;
  /** e.g. "5 (3 critical, 2 high)" or "0" */
  findings: string;
}

/**
 * The playbook's audit-summary rows, read from the section the playbook itself renders so
 * that the terminal and the document always agree on an area's status.
 */
export function auditRows(result: ScanResult): AuditRow[] {
  const section = playbookSections(result, '').find((s) => s.name === 'audit-summary');
  if (!section) return [];
  return section.body
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Area |'))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()))
    .map(([area = '', status = '', findings = '']) => ({ area, status, findings }));
}

/** The rows as aligned terminal lines. */
export function auditLines(result: ScanResult): string[] {
  const rows = auditRows(result);
  const width = Math.max(0, ...rows.map((r) => r.area.length));
  // ⚠️ carries a variation selector and renders one column wider than its length says
  return rows.map((r) => `  ${r.status}${r.status === '⚠️' ? ' ' : '  '}${r.area.padEnd(width)}  ${r.findings}`);
}
