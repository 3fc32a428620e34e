import fs from 'node:fs';
import path from 'node:path';
import { codeDetectors } from '../../detectors';
import { defaultConfig } from '../config/config-schema';
import type { ProjectFacts } from '../detect/detector-api';
import { detectFile } from '../detect/detect-file';
import jscodeshift from 'jscodeshift';
import { loadCatalog } from '../catalog/catalog';
import type { ResolvedConfig } from '../config/config-schema';
import { parseSource } from '../parse/parse-source';
import { languageOf } from '../parse/parse-options';
import type { Finding } from '../types';
import { createFixContext, printRoot, type ServiceState } from '../../transforms/lib/transform-api';
import { recastParserFor } from '../../transforms/lib/recast-parser';
import { CODE_FIX_STEPS } from './fix-steps';
import { joinFileText, splitFileText } from './file-text';

export interface FileFixResult {
  /** the new text, or null when nothing changed or the result was discarded */
  after: string | null;
  before: string;
  fixed: Finding[];
  left: Array<{ finding: Finding; reason: string }>;
}

/**
 * How many findings of each of these rules the detectors still report on the rewritten text
 * (the same one-parse detection the scan runs, on the new text in memory).
 */
function remainingCounts(absPath: string, text: string, lang: 'ts' | 'tsx' | 'js', findings: Finding[]): Map<string, number> {
  const rules = new Set(findings.map((f) => f.ruleId));
  const detectors = codeDetectors.filter((d) => d.ruleIds.some((id) => rules.has(id)));
  const project: ProjectFacts = { root: path.dirname(absPath), config: defaultConfig(), iacHandlers: new Map(), usesLambda: false, packageDependencies: new Set() };
  const detection = detectFile({ path: path.basename(absPath), absPath, text, lang }, detectors, project);
  const counts = new Map<string, number>();
  for (const f of detection.findings) if (rules.has(f.ruleId)) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return counts;
}

/** The fix steps a set of findings asks for, as step name → its findings, in implementation order. */
export function stepsFor(findings: Finding[]): Array<{ name: string; findings: Finding[] }> {
  const catalog = loadCatalog();
  const byStep = new Map<string, Finding[]>();
  for (const f of findings) {
    const transform = catalog.byId.get(f.ruleId)?.transform;
    if (!transform || !f.fixable) continue;
    byStep.set(transform, [...(byStep.get(transform) ?? []), f]);
  }
  const out: Array<{ name: string; findings: Finding[] }> = [];
  for (const s of CODE_FIX_STEPS) {
    const own = byStep.get(s.name);
    if (own) out.push({ name: s.name, findings: own });
  }
  // the taxonomy and policy modules are prerequisites of the steps that import from them
  const names = new Set(out.map((s) => s.name));
  if ((names.has('swallowed-catch') || names.has('infra-failure-status')) && !names.has('error-taxonomy')) out.unshift({ name: 'error-taxonomy', findings: [] });
  return out;
}

/**
 * Applies every chosen fix of one file on ONE recast AST and prints once. The result is
 * re-parsed; output that does not parse is discarded and its findings left with the reason.
 */
export function fixFile(absPath: string, findings: Finding[], config: ResolvedConfig, state: ServiceState): FileFixResult {
  const raw = fs.readFileSync(absPath, 'utf8');
  const text = splitFileText(raw);
  const steps = stepsFor(findings);
  const result: FileFixResult = { after: null, before: raw, fixed: [], left: [] };
  if (!steps.length) return result;
  const j = jscodeshift.withParser(recastParserFor(absPath));
  let root;
  try {
    root = j(text.body);
  } catch (err) {
    for (const f of findings) result.left.push({ finding: f, reason: `file does not parse for rewriting: ${(err as Error).message}` });
    return result;
  }
  const local: ServiceState = { modules: new Map(), dependencies: new Map(), skipped: [] };
  let changed = false;
  for (const { name, findings: own } of steps) {
    const step = CODE_FIX_STEPS.find((s) => s.name === name)!.step;
    const ctx = createFixContext(j, root, absPath, config, local, own.length ? own : undefined);
    try {
      changed = step(ctx) || changed;
    } catch (err) {
      for (const f of own) result.left.push({ finding: f, reason: `${name} failed: ${(err as Error).message}` });
    }
  }
  const skippedLines = new Map(local.skipped.map((s) => [s.line, s.reason]));
  const attempted = findings.filter((f) => !result.left.some((l) => l.finding === f));
  if (!changed) {
    for (const f of attempted) result.left.push({ finding: f, reason: skippedLines.get(f.line) ?? 'no safe rewrite for this shape' });
    return result;
  }
  const printed = printRoot(root, text.body);
  const lang = languageOf(absPath) ?? 'tsx';
  const check = parseSource(printed, lang);
  if (!check.ok || check.recovered.length) {
    const why = check.ok ? check.recovered[0]!.message : check.error.message;
    for (const f of attempted) result.left.push({ finding: f, reason: `rewrite discarded: output does not parse (${why})` });
    return result;
  }
  const remaining = remainingCounts(absPath, printed, lang, findings);
  for (const f of attempted) {
    const reason = skippedLines.get(f.line);
    if (reason) result.left.push({ finding: f, reason });
    else if ((remaining.get(f.ruleId) ?? 0) > 0) {
      // the rewrite left this rule's finding in place: honest accounting, not a claim
      remaining.set(f.ruleId, remaining.get(f.ruleId)! - 1);
      result.left.push({ finding: f, reason: 'no safe rewrite for this shape (the finding is still there after the fix)' });
    } else result.fixed.push(f);
  }
  for (const [k, v] of local.modules) state.modules.set(k, v);
  for (const [k, v] of local.dependencies) state.dependencies.set(k, v);
  state.skipped.push(...local.skipped);
  result.after = joinFileText(text, printed);
  if (result.after === raw) result.after = null;
  return result;
}
