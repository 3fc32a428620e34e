import { describe, expect, it } from 'vitest';
import type { CodeDetector, ProjectFacts } from '../../src/detect/detector-api';
import type { RawFinding } from '../../src/types';
import { detect } from './detect';

/**
 * Table-driven detector tests in the style of typescript-eslint's RuleTester: a `valid` list of
 * code that must stay silent and an `invalid` list, each case with exactly the findings it must
 * yield (message id and position; no extra finding passes).
 */

/** A snippet to scan. A leading newline is dropped, so line 1 is the first line of code. */
export interface DetectorTestCase {
  /** the test's title; the first line of code when absent */
  name?: string;
  code: string;
  /** posix path in the scanned tree (default `src/example.ts`): its extension picks the parser, its folders the role */
  filename?: string;
  /** project facts the detector reads (config, IaC handlers, package dependencies) */
  project?: Partial<ProjectFacts>;
}

/** One expected finding, like an ESLint error: message id, then 1-based line and column of its start. */
export interface ExpectedFinding {
  messageId: string;
  line: number;
  column: number;
  /** needed where the detector reports more than one rule */
  ruleId?: string;
  endLine?: number;
  endColumn?: number;
  /** matched as a subset of the finding's data */
  data?: Record<string, unknown>;
  /** the finding's text (a string must match whole; a pattern anywhere) */
  message?: string | RegExp;
  dependency?: RawFinding['dependency'];
}

export type ValidCase = string | DetectorTestCase;

export interface InvalidCase extends DetectorTestCase {
  errors: ExpectedFinding[];
}

export interface DetectorTests {
  valid: ValidCase[];
  invalid: InvalidCase[];
  /** the rules under test (default: every rule the detector declares); findings of other rules are ignored */
  rules?: readonly string[];
}

const asCase = (c: ValidCase): DetectorTestCase => (typeof c === 'string' ? { code: c } : c);

const titleOf = (c: DetectorTestCase): string =>
  c.name ?? c.code.replace(/^\n/, '').split('\n')[0]!.trim().slice(0, 100);

/** The findings of the rules under test for one case, in report order (line, column, rule, message id). */
export function findingsOf(detector: CodeDetector, c: DetectorTestCase, rules?: readonly string[]): RawFinding[] {
  const wanted = new Set(rules ?? detector.ruleIds);
  return detect(detector, c.code.replace(/^\n/, ''), { path: c.filename, project: c.project })
    .filter((f) => wanted.has(f.ruleId))
    .sort(
      (a, b) =>
        a.line - b.line ||
        a.column - b.column ||
        a.ruleId.localeCompare(b.ruleId) ||
        (a.messageId ?? '').localeCompare(b.messageId ?? ''),
    );
}

/** The keys an expectation names, read from the finding: what `toEqual` compares. */
function projection(f: RawFinding, e: ExpectedFinding): Record<string, unknown> {
  const out: Record<string, unknown> = { messageId: f.messageId, line: f.line, column: f.column };
  if (e.ruleId !== undefined) out.ruleId = f.ruleId;
  if (e.endLine !== undefined) out.endLine = f.endLine;
  if (e.endColumn !== undefined) out.endColumn = f.endColumn;
  return out;
}

function core(e: ExpectedFinding): Record<string, unknown> {
  const { data: _data, message: _message, dependency: _dependency, ...rest } = e;
  return rest;
}

/** Checks one invalid case: exactly the expected findings, in order, with what each names. */
export function expectFindings(detector: CodeDetector, c: InvalidCase, rules?: readonly string[]): void {
  const found = findingsOf(detector, c, rules);
  const unexpected = found.slice(c.errors.length).map((f) => `${f.line}:${f.column} ${f.messageId} ${f.message}`);
  expect(unexpected, 'findings beyond the expected ones').toEqual([]);
  expect(
    found.map((f, i) => (c.errors[i] ? projection(f, c.errors[i]) : f)),
    'findings (messageId, line, column)',
  ).toEqual(c.errors.map(core));
  c.errors.forEach((e, i) => {
    const f = found[i]!;
    if (e.data) expect(f.data, `data of finding ${i + 1}`).toMatchObject(e.data);
    if (e.dependency) expect(f.dependency, `dependency of finding ${i + 1}`).toEqual(e.dependency);
    if (typeof e.message === 'string') expect(f.message, `message of finding ${i + 1}`).toBe(e.message);
    else if (e.message) expect(f.message, `message of finding ${i + 1}`).toMatch(e.message);
  });
}

/** Registers the table as vitest cases: `valid` must stay silent, `invalid` must yield exactly its errors. */
export function testDetector(title: string, detector: CodeDetector, tests: DetectorTests): void {
  describe(title, () => {
    if (tests.valid.length) {
      it.each(tests.valid.map((c) => [titleOf(asCase(c)), asCase(c)] as const))('stays silent: %s', (_t, c) => {
        expect(findingsOf(detector, c, tests.rules).map((f) => `${f.line}:${f.column} ${f.messageId}`)).toEqual([]);
      });
    }
    if (tests.invalid.length) {
      it.each(tests.invalid.map((c) => [titleOf(c), c] as const))('reports: %s', (_t, c) => {
        expect(c.errors.length, 'an invalid case names at least one finding').toBeGreaterThan(0);
        expectFindings(detector, c, tests.rules);
      });
    }
  });
}
