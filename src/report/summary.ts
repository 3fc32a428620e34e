import { SEVERITIES, type Finding, type ScanResult, type Severity } from '../types';

export interface Summary {
  total: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  suppressed: number;
  filesScanned: number;
}

export function summarize(result: Pick<ScanResult, 'findings' | 'suppressed' | 'filesScanned'>): Summary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byRule: Record<string, number> = {};
  for (const f of result.findings) {
    bySeverity[f.severity]++;
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  }
  return {
    total: result.findings.length,
    bySeverity,
    byRule,
    suppressed: result.suppressed.length,
    filesScanned: result.filesScanned,
  };
}

/** Findings at or above a severity threshold (the ones that make the exit code 1). */
export function atOrAbove(findings: Finding[], threshold: Severity): Finding[] {
  const limit = SEVERITIES.indexOf(threshold);
  return findings.filter((f) => SEVERITIES.indexOf(f.severity) <= limit);
}
