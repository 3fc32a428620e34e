import path from 'node:path';
import { defaultConfig } from '../../src/config/config-schema';
import type { ProjectFacts } from '../../src/detect/detector-api';
import { detectFile } from '../../src/detect/detect-file';
import { languageOf } from '../../src/parse/parse-options';
import type { CodeDetector } from '../../src/detect/detector-api';
import { callFactsAt, retryLoopData, type CallFacts, type RetryLoopData } from '../../src/rule-data/policy-rules';
import dependencyPolicies from '../../detectors/dependency-policies';
import retryLoops from '../../detectors/retry-loops';
import type { FactSource } from '../../src/api/fix-context';
import timeouts from '../../detectors/timeouts';
import { timeoutData, type TimeoutData } from '../../src/rule-data/timeout-rule';
import { callFactsCollector } from '../../detectors/lib/call-facts';
import { mergeVisitors } from '../../src/parse/merge-visitors';

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
  column?: number;
  data?: Record<string, unknown>;
  dependency?: { name: string };
}

const LOOP_RULES = new Set(['retry-without-jitter', 'retry-without-max']);
const TIMEOUT_RULE = 'no-timeout';

/**
 * Runs detectors over one file's text with no project around it (a transform run by
 * jscodeshift alone): default config, no IaC, no package facts.
 */
export function detectAlone(absPath: string, text: string, detectors: CodeDetector[]): ReturnType<typeof detectFile> {
  const project: ProjectFacts = {
    root: path.dirname(absPath),
    config: defaultConfig(),
    iacHandlers: new Map(),
    usesLambda: false,
    packageDependencies: new Set(),
  };
  return detectFile(
    { path: path.basename(absPath), absPath, text, lang: languageOf(absPath) ?? 'tsx' },
    detectors,
    project,
  );
}

/** What the detectors say of a source text: the policy rules' findings, and the facts of every dependency call (reported or not). */
export interface DetectedFacts {
  findings: FactFinding[];
  calls: CallFacts[];
  /** the no-timeout findings, kept apart: they are read only by position */
  timeouts: FactFinding[];
}

/** The policy rules' findings of a source text and the facts of all its calls, from the detectors that own them (one parse). */
export function detectPolicyFacts(absPath: string, text: string): DetectedFacts {
  let calls: CallFacts[] = [];
  // reports nothing: collects the facts of the calls no finding stands for (AWS SDK commands, calls already retried)
  const collector: CodeDetector = {
    name: 'call-facts',
    ruleIds: [],
    triggers: [],
    create(ctx) {
      const c = callFactsCollector(ctx);
      return mergeVisitors(c.visitors, {
        'Program:exit': () => {
          calls = c.facts();
        },
      });
    },
  };
  const { findings } = detectAlone(absPath, text, [dependencyPolicies, retryLoops, timeouts, collector]);
  return {
    findings: findings.filter((f) => f.ruleId !== TIMEOUT_RULE),
    calls,
    timeouts: findings.filter((f) => f.ruleId === TIMEOUT_RULE),
  };
}

/** Facts from `given` findings first, then from `detect()` (run at most once, when a line is missing). */
export function factSource(given: readonly FactFinding[], detect?: () => DetectedFacts): FactSource {
  let detected: DetectedFacts | null = null;
  const all = (): readonly FactFinding[][] => {
    if (detected === null && detect) detected = detect();
    return detected ? [given as FactFinding[], detected.findings] : [given as FactFinding[]];
  };
  const anyCall = (line: number): CallFacts | null => {
    if (detected === null && detect) detected = detect();
    return detected?.calls.find((c) => c.line === line) ?? null;
  };
  const loopAt = (list: readonly FactFinding[], line: number): RetryLoopData | null => {
    for (const f of list) if (f.line === line && LOOP_RULES.has(f.ruleId)) return retryLoopData(f) ?? null;
    return null;
  };
  const timeoutIn = (list: readonly FactFinding[], line: number, column: number): TimeoutData | null => {
    for (const f of list)
      if (f.ruleId === TIMEOUT_RULE && f.line === line && f.column === column) return timeoutData(f);
    return null;
  };
  return {
    timeoutAt(line, column) {
      const facts = timeoutIn(given, line, column);
      if (facts) return facts;
      if (detected === null && detect) detected = detect();
      return detected ? timeoutIn(detected.timeouts, line, column) : null;
    },
    callFacts(line) {
      return (
        callFactsAt(given, line) ??
        (detect
          ? (all()
              .map((list) => callFactsAt(list, line))
              .find((f) => f) ?? anyCall(line))
          : null)
      );
    },
    retryLoopFacts(line) {
      return (
        loopAt(given, line) ??
        (detect
          ? (all()
              .map((list) => loopAt(list, line))
              .find((f) => f) ?? null)
          : null)
      );
    },
    dependencyAt(line) {
      const named = (list: readonly FactFinding[]): string | undefined =>
        list.find((f) => f.line === line && f.dependency?.name)?.dependency?.name;
      return (
        named(given) ??
        (detect
          ? (all()
              .map(named)
              .find((n) => n) ?? null)
          : null)
      );
    },
  };
}
