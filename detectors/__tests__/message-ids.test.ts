import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from '@babel/parser';
import type { Node } from '@babel/types';
import { describe, expect, it } from 'vitest';

/*
 * Every message id a detector can report is exercised by at least one invalid case of its tests
 * (typescript-eslint keeps the same rule: a message no test produces is a message no one has read).
 * Ids are read from the detector's source: the `messageId` of each report, through a ternary, a
 * local function returning ids, or a finding passed on (`s.messageId`, whose literal is elsewhere).
 * A case names an id only in its `errors`, and the tester fails unless the detector reports it
 * there, so an id named in a green test file is an id that file exercises.
 */

const DETECTORS = path.resolve(__dirname, '..');
const TESTS = __dirname;
const ID = /^[a-z][a-zA-Z0-9]*$/;

const parseTs = (file: string): Node =>
  parse(readFileSync(file, 'utf8'), { sourceType: 'module', plugins: ['typescript'] }).program;

function visit(node: unknown, fn: (n: Node) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((n) => visit(n, fn));
  const n = node as Node;
  if (typeof n.type !== 'string') return;
  fn(n);
  for (const [key, value] of Object.entries(n)) {
    if (key === 'loc' || key.endsWith('Comments')) continue;
    visit(value, fn);
  }
}

/** The string values an expression can take: a literal, or either branch of a ternary or `||`. */
function literals(node: Node | null | undefined): string[] {
  if (!node) return [];
  if (node.type === 'StringLiteral') return [node.value];
  if (node.type === 'ConditionalExpression') return [...literals(node.consequent), ...literals(node.alternate)];
  if (node.type === 'LogicalExpression') return [...literals(node.left), ...literals(node.right)];
  if (node.type === 'TSAsExpression' || node.type === 'TSSatisfiesExpression') return literals(node.expression);
  return [];
}

const isMessageIdKey = (n: Node): boolean =>
  n.type === 'ObjectProperty' && !n.computed && n.key.type === 'Identifier' && n.key.name === 'messageId';

/** The ids a detector file reports; throws on a `messageId` it cannot read. */
export function reportedIds(file: string): Set<string> {
  const program = parseTs(file);
  const functions = new Map<string, Node>();
  visit(program, (n) => {
    if (n.type === 'FunctionDeclaration' && n.id) functions.set(n.id.name, n);
  });
  const ids = new Set<string>();
  visit(program, (n) => {
    if (!isMessageIdKey(n) || n.type !== 'ObjectProperty') return;
    const value = n.value;
    let found = literals(value);
    if (found.length === 0 && value.type === 'CallExpression' && value.callee.type === 'Identifier') {
      const fn = functions.get(value.callee.name);
      const returned: string[] = [];
      visit(fn, (r) => {
        if (r.type === 'ReturnStatement' && r.argument) returned.push(...literals(r.argument));
      });
      found = returned;
    }
    const passedOn =
      value.type === 'MemberExpression' && value.property.type === 'Identifier' && value.property.name === 'messageId';
    if (found.length === 0 && !passedOn)
      throw new Error(`${path.basename(file)}:${n.loc?.start.line}: messageId is neither literal nor traceable`);
    for (const id of found) ids.add(id);
  });
  return ids;
}

/** The ids the invalid cases of the test files importing `detector` name. */
function exercisedIds(detector: string): Set<string> {
  const ids = new Set<string>();
  for (const name of readdirSync(TESTS).filter((f) => f.endsWith('.test.ts'))) {
    const program = parseTs(path.join(TESTS, name));
    let imports = false;
    visit(program, (n) => {
      if (n.type === 'ImportDeclaration' && n.source.value === `../${detector}`) imports = true;
    });
    if (!imports) continue;
    visit(program, (n) => {
      if (isMessageIdKey(n) && n.type === 'ObjectProperty' && n.value.type === 'StringLiteral') ids.add(n.value.value);
    });
  }
  return ids;
}

const detectorFiles = readdirSync(DETECTORS)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''));

describe('detector message ids', () => {
  it('finds the detectors and their ids', () => {
    const all = detectorFiles.flatMap((d) => [...reportedIds(path.join(DETECTORS, `${d}.ts`))]);
    expect(detectorFiles).toContain('timeouts');
    expect(all).toContain('callWithoutTimeout');
    expect(all).toContain('emptyCatch'); // read through the function that picks the id
  });

  it.each(detectorFiles)('%s: every id is camelCase and exercised by an invalid case', (detector) => {
    const reported = reportedIds(path.join(DETECTORS, `${detector}.ts`));
    for (const id of reported) expect(id, `${detector} message id`).toMatch(ID);
    const exercised = exercisedIds(detector);
    expect([...reported].filter((id) => !exercised.has(id)).sort(), 'ids no invalid case produces').toEqual([]);
    expect([...exercised].filter((id) => !reported.has(id)).sort(), 'ids the detector does not report').toEqual([]);
  });
});
