/**
 * Inline suppressions: `// harden-codemod-ignore <rule-id>[,<rule-id>] -- <reason>` (or `#` in
 * YAML) on the finding's line or the line above. `*` matches every rule.
 */
export interface Suppression {
  ruleIds: string[];
  reason: string;
}

const DIRECTIVE = /(?:\/\/|\/\*|#)\s*harden-codemod-ignore\s+([*\w,-]+)(?:\s+--\s*(.*?))?\s*(?:\*\/)?\s*$/;

export function collectSuppressions(text: string): Map<number, Suppression> {
  const out = new Map<number, Suppression>();
  if (!text.includes('harden-codemod-ignore')) return out;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const m = DIRECTIVE.exec(line);
    if (m) out.set(i + 1, { ruleIds: m[1]!.split(',').filter(Boolean), reason: (m[2] ?? '').trim() || 'no reason given' });
  });
  return out;
}

export function suppressionFor(map: Map<number, Suppression>, ruleId: string, line: number): Suppression | null {
  for (const l of [line, line - 1]) {
    const s = map.get(l);
    if (s && (s.ruleIds.includes(ruleId) || s.ruleIds.includes('*'))) return s;
  }
  return null;
}
