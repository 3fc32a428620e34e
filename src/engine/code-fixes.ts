import fs from 'node:fs';
import path from 'node:path';
import jscodeshift from 'jscodeshift';
import { loadCatalog } from '../catalog/catalog';
import type { ResolvedConfig } from '../config/config-schema';
import type { ProjectFacts } from '../detect/detector-api';
import { detectFile } from '../detect/detect-file';
import { languageOf, type SourceLanguage } from '../parse/parse-options';
import { parseSource } from '../parse/parse-source';
import { toFinding } from '../scan/finalize-findings';
import type { Finding, RawFinding } from '../types';
import { createFixContext, printRoot } from '../../transforms/lib/transform-api';
import type { RunView, ServiceState } from '../api/fix-context';
import { detectPolicyFacts, factSource } from '../../transforms/lib/finding-facts';
import { recastParserFor } from '../../transforms/lib/recast-parser';
import { codeDetectors } from '../registry/detectors';
import { CODE_FIX_STEPS, codeFixStep } from '../registry/fix-steps';
import { joinFileText, splitFileText } from './file-text';

export interface FileFixResult {
  /** the new text, or null when nothing changed or the result was discarded */
  after: string | null;
  before: string;
  fixed: Finding[];
  left: Array<{ finding: Finding; reason: string }>;
  /** what the fix steps chose, per line of the original file (e.g. how a call is retried) */
  notes: Array<{ line: number; text: string }>;
}

/** Follow-up passes when a fix's own output holds a finding another chosen fix handles. */
const MAX_PASSES = 3;

/** The fix steps a set of findings asks for, as step name → its findings, in implementation order. */
export function stepsFor(findings: Finding[]): Array<{ name: string; findings: Finding[] }> {
  const catalog = loadCatalog();
  const byStep = new Map<string, Finding[]>();
  for (const f of findings) {
    const transform = catalog.byId.get(f.ruleId)?.transform;
    if (!transform || !f.fixable) continue;
    byStep.set(transform, [...(byStep.get(transform) ?? []), f]);
  }
  // a module step that runs with its dependents (the error taxonomy) joins every file where one of them runs
  const joining = new Set(
    CODE_FIX_STEPS.filter((s) => byStep.has(s.name)).flatMap((s) =>
      s.requires.filter((r) => codeFixStep(r)?.meta.runsWithDependents),
    ),
  );
  const out: Array<{ name: string; findings: Finding[] }> = [];
  for (const s of CODE_FIX_STEPS) {
    const own = byStep.get(s.name);
    if (own) out.push({ name: s.name, findings: own });
    else if (joining.has(s.name)) out.push({ name: s.name, findings: [] });
  }
  return out;
}

/** The code detectors' findings of some rules on a text in memory (the scan's own one-parse detection). */
function detectInMemory(
  absPath: string,
  text: string,
  lang: SourceLanguage,
  rules: Set<string>,
  config: ResolvedConfig,
): RawFinding[] {
  const detectors = codeDetectors.filter((d) => d.ruleIds.some((id) => rules.has(id)));
  const project: ProjectFacts = {
    root: path.dirname(absPath),
    config,
    iacHandlers: new Map(),
    usesLambda: false,
    packageDependencies: new Set(),
  };
  return detectFile({ path: path.basename(absPath), absPath, text, lang }, detectors, project).findings.filter((f) =>
    rules.has(f.ruleId),
  );
}

interface PassResult {
  text: string | null;
  failed: Array<{ finding: Finding; reason: string }>;
}

/** One pass: every chosen step of the file on ONE recast AST, printed once, or null when nothing changed. */
function runPass(
  absPath: string,
  text: string,
  findings: Finding[],
  config: ResolvedConfig,
  local: ServiceState,
  run?: RunView,
): PassResult {
  const failed: PassResult['failed'] = [];
  const j = jscodeshift.withParser(recastParserFor(absPath));
  let root;
  try {
    root = j(text);
  } catch (err) {
    return {
      text: null,
      failed: findings.map((finding) => ({
        finding,
        reason: `file does not parse for rewriting: ${(err as Error).message}`,
      })),
    };
  }
  let changed = false;
  // what the detectors learned (typed finding data): from this pass's findings, else detected once on its text
  const facts = factSource(findings, () => detectPolicyFacts(absPath, text));
  for (const { name, findings: own } of stepsFor(findings)) {
    const step = codeFixStep(name)!.step;
    const ctx = createFixContext(j, root, absPath, config, local, own.length ? own : undefined, { facts, run });
    const before = local.skipped.length;
    const notesBefore = local.notes?.length ?? 0;
    const needsBefore = local.needs?.length ?? 0;
    try {
      changed = step(ctx) || changed;
    } catch (err) {
      for (const finding of own) failed.push({ finding, reason: `${name} failed: ${(err as Error).message}` });
    }
    for (const s of local.skipped.slice(before)) s.step = name;
    for (const n of local.notes?.slice(notesBefore) ?? []) n.step = name;
    for (const n of local.needs?.slice(needsBefore) ?? []) n.step ??= name;
  }
  return { text: changed ? printRoot(root, text) : null, failed };
}

/**
 * Applies every chosen fix of one file on one recast AST per pass, printed once per pass. When
 * a pass's output holds a finding of a rule chosen for this run (`runRules`), for instance a
 * `console.error` that a rewritten catch keeps, a follow-up pass fixes it, so that running the
 * tool again changes nothing. The result is re-parsed; output that does not parse is discarded
 * and its findings left with the reason. Accounting is by re-detection, not by trust.
 */
export function fixFile(
  absPath: string,
  findings: Finding[],
  config: ResolvedConfig,
  state: ServiceState,
  runRules: Set<string> = new Set(findings.map((f) => f.ruleId)),
  run?: RunView,
): FileFixResult {
  const raw = fs.readFileSync(absPath, 'utf8');
  const text = splitFileText(raw);
  const result: FileFixResult = { after: null, before: raw, fixed: [], left: [], notes: [] };
  if (!stepsFor(findings).length) return result;
  const lang = languageOf(absPath) ?? 'tsx';
  const catalog = loadCatalog();
  const local: ServiceState = {
    modules: new Map(),
    dependencies: new Map(),
    skipped: [],
    needs: [],
    placement: state.placement,
  };

  let current = text.body;
  let passFindings = findings;
  for (let pass = 0; pass < MAX_PASSES && passFindings.length; pass++) {
    const notesBefore = local.notes?.length ?? 0;
    const outcome = runPass(absPath, current, passFindings, config, local, run);
    if (pass === 0) result.left.push(...outcome.failed);
    // lines of a follow-up pass are lines of an intermediate text: only the first pass's notes are shown
    if (pass > 0) local.notes?.splice(notesBefore);
    if (outcome.text === null || outcome.text === current) break;
    const check = parseSource(outcome.text, lang);
    if (!check.ok || check.recovered.length) {
      const why = check.ok ? check.recovered[0]!.message : check.error.message;
      if (pass === 0) {
        const failed = new Set(result.left.map((l) => l.finding));
        for (const f of findings)
          if (!failed.has(f))
            result.left.push({ finding: f, reason: `rewrite discarded: output does not parse (${why})` });
        return result;
      }
      break; // keep the last good pass
    }
    current = outcome.text;
    passFindings = detectInMemory(absPath, current, lang, runRules, config)
      .map((f) => toFinding(f, path.basename(absPath), catalog, config))
      .filter((f) => f.fixable);
  }

  const attempted = findings.filter((f) => !result.left.some((l) => l.finding === f));
  if (current === text.body) {
    for (const f of attempted) {
      const own = local.skipped.find(
        (s) => s.line === f.line && (!s.step || catalog.byId.get(f.ruleId)?.transform === s.step),
      );
      result.left.push({ finding: f, reason: own?.reason ?? 'no safe rewrite for this shape' });
    }
    return result;
  }
  // what the detectors still report, less the findings a step skipped on purpose (those stay, with their reason)
  const remaining = new Map<string, number>();
  for (const f of detectInMemory(absPath, current, lang, new Set(findings.map((x) => x.ruleId)), config))
    remaining.set(f.ruleId, (remaining.get(f.ruleId) ?? 0) + 1);
  // findings still reported are left: first those a step skipped on purpose (with its reason), then the others
  const skipReason = (f: Finding): string | undefined =>
    local.skipped.find((s) => s.line === f.line && (!s.step || catalog.byId.get(f.ruleId)?.transform === s.step))
      ?.reason;
  const take = (f: Finding): boolean => {
    const n = remaining.get(f.ruleId) ?? 0;
    if (n > 0) remaining.set(f.ruleId, n - 1);
    return n > 0;
  };
  const skipped = attempted.filter((f) => skipReason(f) !== undefined);
  for (const f of skipped) {
    if (take(f)) result.left.push({ finding: f, reason: skipReason(f)! });
    else result.fixed.push(f);
  }
  for (const f of attempted.filter((x) => !skipped.includes(x))) {
    if (take(f))
      result.left.push({
        finding: f,
        reason: 'no safe rewrite for this shape (the finding is still there after the fix)',
      });
    else result.fixed.push(f);
  }
  for (const [k, v] of local.modules) state.modules.set(k, v);
  for (const [k, v] of local.dependencies) state.dependencies.set(k, v);
  state.skipped.push(...local.skipped);
  if (local.requires) state.requires = [...(state.requires ?? []), ...local.requires];
  if (local.notes?.length) (state.notes ??= []).push(...local.notes);
  result.notes = (local.notes ?? []).map(({ line, text: note }) => ({ line, text: note }));
  state.needs?.push(...(local.needs ?? []));
  result.after = joinFileText(text, current);
  return result;
}
