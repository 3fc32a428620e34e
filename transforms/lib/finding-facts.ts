import path from 'node:path';
import { defaultConfig } from '../../src/config/config-schema';
import type { ProjectFacts } from '../../src/detect/detector-api';
import { detectFile } from '../../src/detect/detect-file';
import { languageOf } from '../../src/parse/parse-options';
import { callFactsAt, retryLoopData, type CallFacts, type RetryLoopData } from '../../src/rule-data/policy-rules';
import dependencyPolicies from '../../detectors/dependency-policies';
import retryLoops from '../../detectors/retry-loops';

/*
 * Where a fix step reads what the detectors learned about the code it rewrites: the typed data
 * of the findings it was given, and, for a line no given finding speaks of (a call whose own
 * rule was not chosen, or a transform run standalone by jscodeshift), the same detectors run
 * once on the text being fixed. Facts are never re-derived by a transform.
 */

/** A finding as far as facts go: its rule, line and data. */
export interface FactFinding {
  ruleId: string;
  line: number;
  data?: Record<string, unknown>;
  dependency?: { name: string };
}

export interface FactSource {
  /** Facts of the dependency call starting at `line`, or null when no detector reported it. */
  callFacts(line: number): CallFacts | null;
  /** Data of the hand-written retry loop starting at `line`, or null. */
  retryLoopFacts(line: number): RetryLoopData | null;
  /** The dependency name the detectors gave the call at `line` (the policy key comes from it), or null. */
  dependencyAt(line: number): string | null;
}

const LOOP_RULES = new Set(['retry-without-jitter', 'retry-without-max']);

/** The policy rules' findings of a source text, from the detectors that own them (one parse). */
export function detectPolicyFacts(absPath: string, text: string): FactFinding[] {
  const lang = languageOf(absPath) ?? 'tsx';
  const project: ProjectFacts = { root: path.dirname(absPath), config: defaultConfig(), iacHandlers: new Map(), usesLambda: false, packageDependencies: new Set() };
  return detectFile({ path: path.basename(absPath), absPath, text, lang }, [dependencyPolicies, retryLoops], project).findings;
}

/** Facts from `given` findings first, then from `detect()` (run at most once, when a line is missing). */
export function factSource(given: readonly FactFinding[], detect?: () => FactFinding[]): FactSource {
  let detected: FactFinding[] | null = null;
  const all = (): readonly FactFinding[][] => {
    if (detected === null && detect) detected = detect();
    return detected ? [given as FactFinding[], detected] : [given as FactFinding[]];
  };
  const loopAt = (list: readonly FactFinding[], line: number): RetryLoopData | null => {
    for (const f of list) if (f.line === line && LOOP_RULES.has(f.ruleId)) return retryLoopData(f) ?? null;
    return null;
  };
  return {
    callFacts(line) {
      return callFactsAt(given, line) ?? (detect ? all().map((list) => callFactsAt(list, line)).find((f) => f) ?? null : null);
    },
    retryLoopFacts(line) {
      return loopAt(given, line) ?? (detect ? all().map((list) => loopAt(list, line)).find((f) => f) ?? null : null);
    },
    dependencyAt(line) {
      const named = (list: readonly FactFinding[]): string | undefined => list.find((f) => f.line === line && f.dependency?.name)?.dependency?.name;
      return named(given) ?? (detect ? all().map(named).find((n) => n) ?? null : null);
    },
  };
}
