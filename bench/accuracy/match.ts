import type { LabelEntry } from './label-schema';

/** The part of a scanner finding the evaluation reads. */
export interface ReportedFinding {
  ruleId: string;
  file: string;
  line: number;
  message?: string;
}

/** Why a finding counts as wrong. */
export type WrongReason = 'look-alike' | 'false-positive' | 'duplicate';

export interface Matched {
  finding: ReportedFinding;
  label: LabelEntry;
}

export interface Wrong {
  finding: ReportedFinding;
  label: LabelEntry;
  why: WrongReason;
}

export interface MatchResult {
  matched: Matched[];
  /** labelled findings no finding matched */
  misses: LabelEntry[];
  /** findings on a look-alike or a judged false positive, or a second finding on a label */
  wrong: Wrong[];
  /** findings no label covers: nobody has judged them yet */
  unjudged: ReportedFinding[];
  /** look-alike labels (flagged or not) */
  lookAlikes: LabelEntry[];
}

const covers = (label: LabelEntry, f: ReportedFinding): boolean =>
  label.rule === f.ruleId &&
  label.file === f.file &&
  ((f.line >= label.line && f.line <= (label.endLine ?? label.line)) || (label.alt?.includes(f.line) ?? false));

/**
 * Matches findings to labels by rule + file + line, one to one. The tolerance is the label's own
 * lines: a finding matches when its line is the labelled line, lies within the `endLine` the
 * reviewer gave for a statement that spans several lines, or is one of the `alt` lines the
 * reviewer accepts for the same finding. Nothing else is fuzzy: a finding one line off, in
 * another file or under another rule id does not match.
 * An exact line is preferred over a range; a finding-label takes precedence over a look-alike
 * on the same line; a second finding on an already matched label is a duplicate (noise).
 */
export function matchFindings(labels: readonly LabelEntry[], findings: readonly ReportedFinding[]): MatchResult {
  const taken = new Set<LabelEntry>();
  const matched: Matched[] = [];
  const wrong: Wrong[] = [];
  const unjudged: ReportedFinding[] = [];
  const ordered = [...findings].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId),
  );
  for (const f of ordered) {
    const candidates = labels
      .filter((l) => covers(l, f))
      .sort((a, b) => Number(b.line === f.line) - Number(a.line === f.line));
    const free = candidates.find((l) => l.kind === 'finding' && !taken.has(l));
    if (free) {
      taken.add(free);
      matched.push({ finding: f, label: free });
      continue;
    }
    const judgedWrong = candidates.find((l) => l.kind !== 'finding');
    if (judgedWrong) {
      wrong.push({
        finding: f,
        label: judgedWrong,
        why: judgedWrong.kind === 'look-alike' ? 'look-alike' : 'false-positive',
      });
      continue;
    }
    const again = candidates[0];
    if (again) wrong.push({ finding: f, label: again, why: 'duplicate' });
    else unjudged.push(f);
  }
  return {
    matched,
    misses: labels.filter((l) => l.kind === 'finding' && !taken.has(l)),
    wrong,
    unjudged,
    lookAlikes: labels.filter((l) => l.kind === 'look-alike'),
  };
}

/** Counts for one rule, one service or a whole set. Ratios are null where nothing was counted. */
export interface Score {
  labelled: number;
  found: number;
  recall: number | null;
  reported: number;
  correct: number;
  wrong: number;
  unjudged: number;
  /** correct / (correct + wrong): unjudged findings are left out until someone judges them */
  precision: number | null;
  lookAlikes: number;
  lookAlikesFlagged: number;
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

export function scoreOf(result: MatchResult, rule?: string): Score {
  const onRule = <T>(items: T[], ruleOf: (t: T) => string): T[] =>
    rule === undefined ? items : items.filter((t) => ruleOf(t) === rule);
  const matched = onRule(result.matched, (m) => m.label.rule).length;
  const misses = onRule(result.misses, (l) => l.rule).length;
  const wrong = onRule(result.wrong, (w) => w.finding.ruleId);
  const unjudged = onRule(result.unjudged, (f) => f.ruleId).length;
  const lookAlikes = onRule(result.lookAlikes, (l) => l.rule);
  const flagged = new Set(wrong.filter((w) => w.why === 'look-alike').map((w) => w.label));
  const labelled = matched + misses;
  return {
    labelled,
    found: matched,
    recall: ratio(matched, labelled),
    reported: matched + wrong.length + unjudged,
    correct: matched,
    wrong: wrong.length,
    unjudged,
    precision: ratio(matched, matched + wrong.length),
    lookAlikes: lookAlikes.length,
    lookAlikesFlagged: flagged.size,
  };
}

/** The same result with the given rules left out (to read a figure without the dominant rule). */
export function withoutRules(result: MatchResult, rules: readonly string[]): MatchResult {
  const keep = (rule: string): boolean => !rules.includes(rule);
  return {
    matched: result.matched.filter((m) => keep(m.label.rule)),
    misses: result.misses.filter((l) => keep(l.rule)),
    wrong: result.wrong.filter((w) => keep(w.finding.ruleId)),
    unjudged: result.unjudged.filter((f) => keep(f.ruleId)),
    lookAlikes: result.lookAlikes.filter((l) => keep(l.rule)),
  };
}

/** Joins the match results of several services into one (for per-set figures). */
export function combine(results: readonly MatchResult[]): MatchResult {
  return {
    matched: results.flatMap((r) => r.matched),
    misses: results.flatMap((r) => r.misses),
    wrong: results.flatMap((r) => r.wrong),
    unjudged: results.flatMap((r) => r.unjudged),
    lookAlikes: results.flatMap((r) => r.lookAlikes),
  };
}
