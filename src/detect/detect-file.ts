import type { Node } from '@babel/types';
import { collectImports } from '../parse/imports';
import { parseSource } from '../parse/parse-source';
import { walk, type Visitors } from '../parse/walk';
import type { FileNote } from '../types';
import type { CodeDetector, DetectorContext, FileFacts, ProjectFacts, Report, SourceFile } from './detector-api';

/** A finding before the catalog gives it a severity and the run filters it. */
export interface RawFinding {
  ruleId: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  dependency?: Report['dependency'];
  data?: Record<string, unknown>;
}

export interface FileDetection {
  findings: RawFinding[];
  facts: FileFacts;
  notes: FileNote[];
  parsed: boolean;
}

export function emptyFacts(): FileFacts {
  return { frameworks: new Set(), relativeImports: new Set(), handlerExports: new Map(), dependencies: [], resilienceLibraries: new Set() };
}

function position(node: Node, end?: Node): Pick<RawFinding, 'line' | 'column' | 'endLine' | 'endColumn'> {
  const start = node.loc?.start ?? { line: 1, column: 0 };
  const stop = (end ?? node).loc?.end ?? start;
  return { line: start.line, column: start.column + 1, endLine: stop.line, endColumn: stop.column + 1 };
}

const triggerPatterns = new WeakMap<CodeDetector, RegExp>();

/** A detector's text pre-filter as one regular expression: one scan of the text instead of one per trigger. */
function triggerPattern(detector: CodeDetector): RegExp {
  let re = triggerPatterns.get(detector);
  if (!re) {
    re = new RegExp(detector.triggers.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
    triggerPatterns.set(detector, re);
  }
  return re;
}

/**
 * Runs every detector whose text pre-filter matches on one file: one parse, one traversal.
 * Detectors whose triggers are absent are not instantiated; if none match, nothing is parsed.
 */
export function detectFile(file: SourceFile, detectors: readonly CodeDetector[], project: ProjectFacts): FileDetection {
  const facts = emptyFacts();
  const active = detectors.filter((d) => d.triggers.length === 0 || triggerPattern(d).test(file.text));
  if (active.length === 0) return { findings: [], facts, notes: [], parsed: false };
  const outcome = parseSource(file.text, file.lang);
  if (!outcome.ok) {
    const { message, line, column } = outcome.error;
    return { findings: [], facts, parsed: false, notes: [{ file: file.path, kind: 'parse-error', message, line, column }] };
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
        findings.push({ ruleId: r.ruleId, ...position(r.node, r.endNode), message: r.message, dependency: r.dependency, data: r.data });
      },
    };
    visitorSets.push(detector.create(ctx));
  }
  walk(outcome.ast.program, visitorSets);
  const notes: FileNote[] = outcome.recovered.length
    ? [{ file: file.path, kind: 'parse-error', message: `recovered from: ${outcome.recovered[0]!.message}`, line: outcome.recovered[0]!.line, column: outcome.recovered[0]!.column }]
    : [];
  return { findings, facts, notes, parsed: true };
}
