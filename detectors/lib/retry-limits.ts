import type { File, Node } from '@babel/types';
import type { AttemptLimit } from '../../src/rule-data/policy-rules';
import type { NodePath } from '../../src/parse/walk';
import { forEachDescendant } from './descendants';
import { hasAttemptBound, isEndlessTest } from './retry-bounds';
import { awaitedSleeps, type ValueIndex } from './sleep-calls';
import { unwrap } from './unwrap';

/*
 * How many calls a hand-written retry loop makes at most, and how long it waits between them,
 * when the code says so plainly: the numbers a fix gives the policy that replaces the loop, so
 * that no call makes more attempts than the loop did. A count that cannot be read exactly is
 * read low (never more calls than the loop made) or not at all.
 */

/** Where names get their values, and which names are `const` (only those stand for one number). */
export interface Constants {
  values: ValueIndex;
  constNames: ReadonlySet<string>;
}

/** Names declared `const` in a file. */
export function constNamesOf(ast: File): Set<string> {
  const names = new Set<string>();
  forEachDescendant(ast.program, (n) => {
    if (n.type === 'VariableDeclaration' && n.kind === 'const')
      for (const d of n.declarations) if (d.id.type === 'Identifier') names.add(d.id.name);
  });
  return names;
}

/** A number the code fixes: a literal, a constant, or arithmetic of those (`5 * 1000`, `1_000`). */
export function constantNumber(node: Node | null | undefined, constants: Constants, depth = 0): number | undefined {
  if (!node || depth > 5) return undefined;
  const n = unwrap(node, { await: true, void: true });
  if (n.type === 'NumericLiteral') return n.value;
  if (n.type === 'Identifier') {
    const bound = constants.constNames.has(n.name) ? constants.values.get(n.name) : undefined;
    return bound?.length === 1 ? constantNumber(bound[0], constants, depth + 1) : undefined;
  }
  if (n.type === 'BinaryExpression') {
    const left = constantNumber(n.left as Node, constants, depth + 1);
    const right = constantNumber(n.right, constants, depth + 1);
    if (left === undefined || right === undefined) return undefined;
    switch (n.operator) {
      case '+':
        return left + right;
      case '-':
        return left - right;
      case '*':
        return left * right;
      case '/':
        return right === 0 ? undefined : left / right;
      case '**':
        return left ** right;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** `counter < bound` / `counter <= bound` / `bound > counter`: the counter's name and the calls it allows from `start`. */
function comparison(test: Node, constants: Constants): { counter: string; limit: (start: number) => number } | null {
  const t = unwrap(test, { await: true, void: true });
  if (t.type !== 'BinaryExpression') return null;
  const flip: Record<string, string> = { '>': '<', '>=': '<=', '<': '>', '<=': '>=' };
  let { operator } = t;
  let counter = t.left as Node;
  let bound: Node = t.right;
  if (counter.type !== 'Identifier') {
    [counter, bound] = [bound, counter];
    operator = (flip[operator] ?? operator) as typeof operator;
  }
  const max = constantNumber(bound, constants);
  if (counter.type !== 'Identifier' || max === undefined) return null;
  if (operator === '<') return { counter: counter.name, limit: (start) => max - start };
  if (operator === '<=') return { counter: counter.name, limit: (start) => max - start + 1 };
  return null;
}

/** The counter goes up by one per round: `i++`, `++i`, `i += 1`, `i = i + 1`. */
function incrementsByOne(root: Node, name: string): boolean {
  let count = 0;
  forEachDescendant(
    root,
    (n) => {
      if (
        n.type === 'UpdateExpression' &&
        n.operator === '++' &&
        n.argument.type === 'Identifier' &&
        n.argument.name === name
      )
        count++;
      if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier' && n.left.name === name) {
        const one =
          n.operator === '+='
            ? n.right
            : n.operator === '=' && n.right.type === 'BinaryExpression' && n.right.operator === '+'
              ? n.right.right
              : null;
        count += one?.type === 'NumericLiteral' && one.value === 1 ? 1 : 2;
      }
    },
    { intoFunctions: false },
  );
  return count === 1;
}

/** Where a counter starts: `let attempt = 0` declared in a block around the loop, before it. */
function startOf(loopPath: NodePath, name: string, constants: Constants): number | undefined {
  for (let p: NodePath | null = loopPath; p && p.parent; p = p.parent) {
    const holder = p.parent.node as Node & { body?: unknown };
    if (!Array.isArray(holder.body) || p.index === null) continue;
    for (const stmt of (holder.body as Node[]).slice(0, p.index).reverse()) {
      if (stmt.type !== 'VariableDeclaration') continue;
      const d = stmt.declarations.find((x) => x.id.type === 'Identifier' && x.id.name === name);
      if (d) return constantNumber(d.init, constants);
    }
  }
  return undefined;
}

const positive = (calls: number | undefined): AttemptLimit =>
  calls !== undefined && Number.isInteger(calls) && calls >= 1 ? { kind: 'calls', calls } : { kind: 'unknown' };

export type Loop = Node & {
  type: 'ForStatement' | 'WhileStatement' | 'DoWhileStatement' | 'ForOfStatement' | 'ForInStatement';
  body: Node;
};

/** The calls a retry loop makes at most. */
export function attemptLimit(loopPath: NodePath<Loop>, constants: Constants): AttemptLimit {
  const loop = loopPath.node;
  if (loop.type === 'ForStatement' && loop.test) {
    const cmp = comparison(loop.test, constants);
    const init =
      loop.init?.type === 'VariableDeclaration' && loop.init.declarations.length === 1
        ? loop.init.declarations[0]!
        : null;
    if (
      cmp &&
      init &&
      init.id.type === 'Identifier' &&
      init.id.name === cmp.counter &&
      loop.update &&
      incrementsByOne(loop.update, cmp.counter)
    ) {
      const start = constantNumber(init.init, constants);
      return start === undefined ? { kind: 'unknown' } : positive(cmp.limit(start));
    }
  }
  if ((loop.type === 'WhileStatement' || loop.type === 'DoWhileStatement') && !isEndlessTest(loop.test)) {
    const cmp = comparison(loop.test, constants);
    if (cmp && incrementsByOne(loop.body, cmp.counter)) {
      const start = startOf(loopPath, cmp.counter, constants);
      return start === undefined ? { kind: 'unknown' } : positive(cmp.limit(start));
    }
  }
  const endless =
    (loop.type === 'WhileStatement' || loop.type === 'DoWhileStatement' || loop.type === 'ForStatement') &&
    isEndlessTest(loop.test);
  if (endless && !hasAttemptBound(loop)) return { kind: 'none' };
  if (endless) {
    // `if (attempt >= 3) throw err` in the catch of an endless loop: read low, so never more calls than the loop made
    let limit: AttemptLimit = { kind: 'unknown' };
    forEachDescendant(
      loop.body,
      (n) => {
        if (limit.kind !== 'unknown' || n.type !== 'IfStatement') return limit.kind === 'unknown';
        const t = unwrap(n.test, { await: true, void: true });
        if (
          t.type !== 'BinaryExpression' ||
          !['>=', '>', '===', '=='].includes(t.operator) ||
          t.left.type !== 'Identifier'
        )
          return true;
        const max = constantNumber(t.right, constants);
        const start = startOf(loopPath, t.left.name, constants);
        if (max !== undefined && start !== undefined && incrementsByOne(loop.body, t.left.name))
          limit = positive(Math.max(1, max - start));
        return true;
      },
      { intoFunctions: false },
    );
    return limit;
  }
  return { kind: 'unknown' };
}

/** The wait between attempts when every awaited sleep of the loop waits the same constant, in ms. */
export function constantDelay(loop: Loop, constants: Constants): number | undefined {
  const delays = awaitedSleeps(loop.body, { skipLoops: true }).map((s) => constantNumber(s.delay, constants));
  if (delays.length === 0 || delays.some((d) => d === undefined || d < 0)) return undefined;
  return delays.every((d) => d === delays[0]) ? delays[0] : undefined;
}
