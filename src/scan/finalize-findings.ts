import type { Catalog } from '../catalog/catalog';
import { collectSuppressions, suppressionFor, type Suppression } from '../detect/suppressions';
import type { ResolvedConfig } from '../config/config-schema';
import type { Finding, RawFinding, SuppressedFinding } from '../types';

export interface RuleFilter {
  only?: string[];
  skip?: string[];
}

/** Whether a rule runs: --only / --skip, and config severity "off". */
export function ruleEnabled(ruleId: string, filter: RuleFilter, config: ResolvedConfig): boolean {
  if (filter.only?.length && !filter.only.includes(ruleId)) return false;
  if (filter.skip?.includes(ruleId)) return false;
  return config.severity[ruleId] !== 'off';
}

/**
 * Turns a detector's raw finding into a reported one: severity from the catalog (or the
 * config's override), fixable when the rule has a transform. The message is the detector's "what";
 * reporters add the catalog's impact and fix (see fullMessage).
 */
export function toFinding(raw: RawFinding, file: string, catalog: Catalog, config: ResolvedConfig): Finding {
  const rule = catalog.byId.get(raw.ruleId);
  if (!rule) throw new Error(`finding for unknown rule "${raw.ruleId}"`);
  const override = config.severity[raw.ruleId];
  const severity = override && override !== 'off' ? override : rule.severity;
  const what = raw.message.replace(/\.$/, '');
  const finding: Finding = {
    ruleId: raw.ruleId,
    severity,
    file,
    line: raw.line,
    column: raw.column,
    endLine: raw.endLine,
    endColumn: raw.endColumn,
    message: `${what}.`,
    fixable: Boolean(rule.transform) && raw.data?.fixable !== false,
  };
  if (raw.messageId) finding.messageId = raw.messageId;
  if (raw.dependency) finding.dependency = raw.dependency;
  if (raw.data) {
    const { scope: _scope, ...rest } = raw.data;
    if (Object.keys(rest).length) finding.data = rest;
  }
  return finding;
}

/** Splits findings of one file into reported and suppressed by its inline directives. */
export function applySuppressions(
  findings: Finding[],
  text: string,
  cache?: Map<number, Suppression>,
): { kept: Finding[]; suppressed: SuppressedFinding[] } {
  const map = cache ?? collectSuppressions(text);
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of findings) {
    const s = map.size ? suppressionFor(map, f.ruleId, f.line) : null;
    if (s) suppressed.push({ ...f, reason: s.reason });
    else kept.push(f);
  }
  return { kept, suppressed };
}

const SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3 } as const;

export function sortFindings<T extends Finding>(findings: T[]): T[] {
  return findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

/** One line for terminals and JSON: what the code does, the impact, the fix. */
export function fullMessage(f: Finding, catalog: Catalog): string {
  const rule = catalog.byId.get(f.ruleId);
  return rule ? `${f.message} ${rule.impact} Fix: ${rule.fix}` : f.message;
}
