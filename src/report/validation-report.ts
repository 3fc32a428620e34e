import type { ScanResult } from '../types';
import { colors } from './colors';

export interface ScanComparison {
  rows: Array<{ ruleId: string; before: number; after: number }>;
  /** rules with more findings after the fix than before */
  regressions: string[];
  /** files that parsed before and not after */
  newParseErrors: string[];
}

/** The spec's validation (phase 5): findings per rule before and after the fix. */
export function compareScans(before: ScanResult, after: ScanResult): ScanComparison {
  const count = (r: ScanResult): Map<string, number> => {
    const m = new Map<string, number>();
    for (const f of r.findings) m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1);
    return m;
  };
  const b = count(before);
  const a = count(after);
  const rules = [...new Set([...b.keys(), ...a.keys()])].sort();
  const rows = rules.map((ruleId) => ({ ruleId, before: b.get(ruleId) ?? 0, after: a.get(ruleId) ?? 0 }));
  const parseErrors = (r: ScanResult): Set<string> =>
    new Set(r.notes.filter((n) => n.kind === 'parse-error').map((n) => n.file));
  const pb = parseErrors(before);
  return {
    rows,
    regressions: rows.filter((r) => r.after > r.before).map((r) => r.ruleId),
    newParseErrors: [...parseErrors(after)].filter((f) => !pb.has(f)),
  };
}

export function validationReport(cmp: ScanComparison): string {
  const c = colors();
  const lines = [c.bold('Validation (re-scan after the fix)')];
  const width = Math.max(8, ...cmp.rows.map((r) => r.ruleId.length));
  for (const r of cmp.rows) {
    const mark = r.after > r.before ? c.red('▲') : r.after < r.before ? c.green('▼') : ' ';
    lines.push(`  ${r.ruleId.padEnd(width)}  ${String(r.before).padStart(4)} → ${String(r.after).padEnd(4)} ${mark}`);
  }
  if (cmp.regressions.length) lines.push(c.red(`  the fix introduced new findings: ${cmp.regressions.join(', ')}`));
  if (cmp.newParseErrors.length) lines.push(c.red(`  files that no longer parse: ${cmp.newParseErrors.join(', ')}`));
  return `${lines.join('\n')}\n`;
}
