import type { Node } from '@babel/types';
import { collectImports } from '../parse/imports';
import { parseSource } from '../parse/parse-source';
import { walk, type Visitors } from '../parse/walk';
import type { FileNote, RawFinding } from '../types';
import type { CodeDetector, DetectorContext, FileFacts, ProjectFacts, SourceFile } from './detector-api';

export interface FileDetection {
  findings: RawFinding[];
  facts: FileFacts;
  notes: FileNote[];
  parsed: boolean;
}

export function emptyFacts(): FileFacts {
  return {
    frameworks: new Set(),
    relativeImports: new Set(),
    handlerExports: new Map(),
    dependencies: [],
    resilienceLibraries: new Set(),
  };
}

function position(node: Node, end?: Node): Pick<RawFinding, 'line' | 'column' | 'endLine' | 'endColumn'> {
  const start = node.loc?.start ?? { line: 1, column: 0 };
  const stop = (end ?? node).loc?.end ?? start;
  return { line: start.line, column: start.column + 1, endLine: stop.line, endColumn: stop.column + 1 };
}

const triggerTests = new WeakMap<CodeDetector, (text: string) => boolean>();

/**
 * A detector's text pre-filter as one test: its plain substrings joined into one regular
 * expression (one scan of the text instead of one per trigger), then its own expressions.
 */
function triggerTest(detector: CodeDetector): (text: string) => boolean {
  let test = triggerTests.get(detector);
  if (!test) {
    const plain = detector.triggers.filter((t): t is string => typeof t === 'string');
    const patterns = detector.triggers
      .filter((t): t is RegExp => t instanceof RegExp)
      .map((re) => new RegExp(re.source, re.flags.replace(/[gy]/g, '')));
    if (plain.length)
      patterns.unshift(new RegExp(plain.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')));
    test = (text) => patterns.some((re) => re.test(text));
    triggerTests.set(detector, test);
  }
  return test;
}

/**
 * Whether a detector visits a file: its triggers match, or it records Lambda handler exports and
 * the infrastructure declares this file as a handler (any export may then be one, whatever its text).
 */
export function detectorApplies(detector: CodeDetector, file: SourceFile, project: ProjectFacts): boolean {
  if (detector.triggers.length === 0 || triggerTest(detector)(file.text)) return true;
  return Boolean(detector.records?.includes('handlerExports') && project.iacHandlers.has(file.path));
}

/**
 * Runs every detector whose text pre-filter matches on one file: one parse, one traversal.
 * Detectors whose triggers are absent are not instantiated; if none match, nothing is parsed.
 */
export function detectFile(
  file: SourceFile,
  detectors: readonly CodeDetector[],
  project: ProjectFacts,
  onProgress?: (fraction: number) => void,
): FileDetection {
  const facts = emptyFacts();
  const active = detectors.filter((d) => detectorApplies(d, file, project));
  if (active.length === 0) return { findings: [], facts, notes: [], parsed: false };
  const limit = project.config.maxFileBytes;
  if (file.text.length > limit) {
    const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;
    const message = `not parsed: ${mb(file.text.length)} is over the ${mb(limit)} size limit (raise \`maxFileBytes\` in the config to scan it)`;
    return { findings: [], facts, parsed: false, notes: [{ file: file.path, kind: 'skipped', message }] };
  }
  onProgress?.(0);
  const outcome = parseSource(file.text, file.lang);
  if (!outcome.ok) {
    const { message, line, column } = outcome.error;
    return {
      findings: [],
      facts,
      parsed: false,
      notes: [{ file: file.path, kind: 'parse-error', message, line, column }],
    };
  }
  const findings: RawFinding[] = [];
  const imports = collectImports(outcome.ast);
  const base: Omit<DetectorContext, 'report'> = { file, ast: outcome.ast, imports, project, facts };
  const visitorSets: Visitors[] = [];
  for (const detector of active) {
    const ctx: DetectorContext = {
      ...base,
      report(r) {
        if (!detector.ruleIds.includes(r.ruleId)) {
          throw new Error(`detector "${detector.name}" reported "${r.ruleId}", which it does not declare`);
        }
        findings.push({
          ruleId: r.ruleId,
          ...position(r.node, r.endNode),
          messageId: r.messageId,
          message: r.message,
          dependency: r.dependency,
          data: r.data,
        });
      },
    };
    visitorSets.push(detector.create(ctx));
  }
  // parsing is about half the work of a file; the traversal, then the detectors' whole-file checks the rest
  onProgress?.(0.5);
  const length = Math.max(1, file.text.length);
  walk(
    outcome.ast.program,
    visitorSets,
    onProgress && {
      every: 2048,
      at: (offset) => onProgress(0.5 + (0.3 * offset) / length),
      finishing: (done, total) => onProgress(0.8 + (0.2 * done) / total),
    },
  );
  const notes: FileNote[] = outcome.recovered.length
    ? [
        {
          file: file.path,
          kind: 'parse-error',
          message: `recovered from: ${outcome.recovered[0]!.message}`,
          line: outcome.recovered[0]!.line,
          column: outcome.recovered[0]!.column,
        },
      ]
    : [];
  return { findings, facts, notes, parsed: true };
}
