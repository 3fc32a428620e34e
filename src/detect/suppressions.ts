import type { FileNote } from '../types';

/**
 * Inline suppressions: `// harden-codemod-ignore <rule-id>[,<rule-id>] -- <reason>` (or `#` in
 * YAML) on the finding's line or the line above. `*` matches every rule.
 */
export interface Suppression {
  ruleIds: string[];
  reason: string;
  /** false when the comment gives no `-- reason` (the README asks for one) */
  reasonGiven: boolean;
}

const DIRECTIVE = /(?:\/\/|\/\*|#)\s*harden-codemod-ignore\s+([*\w,-]+)(?:\s+--\s*(.*?))?\s*(?:\*\/)?\s*$/;

export function collectSuppressions(text: string): Map<number, Suppression> {
  const out = new Map<number, Suppression>();
  if (!text.includes('harden-codemod-ignore')) return out;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const m = DIRECTIVE.exec(line);
    const reason = (m?.[2] ?? '').trim();
    if (m)
      out.set(i + 1, {
        ruleIds: m[1]!.split(',').filter(Boolean),
        reason: reason || 'no reason given',
        reasonGiven: reason !== '',
      });
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

/**
 * Warnings about a file's suppression comments: a rule id the catalog does not know (it
 * suppresses nothing; the closest known id is suggested) and a comment without a reason.
 */
export function suppressionWarnings(
  file: string,
  text: string,
  knownIds: readonly string[],
  closest: (id: string) => string,
): FileNote[] {
  const out: FileNote[] = [];
  const known = new Set(knownIds);
  for (const [line, s] of collectSuppressions(text)) {
    for (const id of s.ruleIds) {
      if (id === '*' || known.has(id)) continue;
      out.push({
        file,
        line,
        kind: 'suppression',
        message: `harden-codemod-ignore names an unknown rule id "${id}" and suppresses nothing (did you mean "${closest(id)}"?)`,
      });
    }
    if (!s.reasonGiven)
      out.push({
        file,
        line,
        kind: 'suppression',
        message: `harden-codemod-ignore ${s.ruleIds.join(',')} gives no reason: add one after \`--\``,
      });
  }
  return out;
}
