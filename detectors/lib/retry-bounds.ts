import type { Node } from '@babel/types';
import { calleeName, forEachDescendant, isCall, someDescendant } from './descendants';
import { classifiesError } from './http-status-responses';
import { unwrap } from './unwrap';

const COUNTER =
  /attempt|retries|retry(count|num|left)|tries|tried|count|left|remaining|limit|max|deadline|budget|elapsed|expire/i;
const RELATIONAL = new Set(['<', '<=', '>', '>=']);
const EQUALITY = new Set(['===', '!==', '==', '!=']);

function nameOf(node: Node): string | null {
  const n = unwrap(node, { await: true, void: true });
  if (n.type === 'Identifier') return n.name;
  if (n.type === 'UpdateExpression') return nameOf(n.argument);
  return calleeName(n);
}

/** Names changed by `x++`, `x += n` or `x = x + n` inside the subtree: counters and clocks. */
function updatedNames(root: Node): Set<string> {
  const names = new Set<string>();
  forEachDescendant(
    root,
    (n) => {
      if (n.type === 'UpdateExpression' && n.argument.type === 'Identifier') names.add(n.argument.name);
      if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier' && n.operator !== '=')
        names.add(n.left.name);
    },
    { intoFunctions: false },
  );
  return names;
}

/**
 * Whether a retry loop or retrying function has an attempt or time bound: a comparison of a
 * counter (by name, or a name the code increments, or one of `params`) or of the clock, or a
 * `!retriesLeft` style test.
 */
export function hasAttemptBound(root: Node, params: readonly string[] = []): boolean {
  const counters = updatedNames(root);
  for (const p of params) counters.add(p);
  const isCounter = (side: Node): boolean =>
    someDescendant(
      side,
      (d) => {
        if (d.type === 'UpdateExpression') return true;
        const name = d.type === 'Identifier' ? d.name : null;
        if (name && (counters.has(name) || COUNTER.test(name))) return true;
        if (d.type === 'MemberExpression' && !d.computed && d.property.type === 'Identifier') {
          return (
            COUNTER.test(d.property.name) ||
            (d.object.type === 'Identifier' && d.object.name === 'Date' && d.property.name === 'now')
          );
        }
        return false;
      },
      { intoFunctions: false },
    );
  return someDescendant(
    root,
    (n) => {
      if (n.type === 'BinaryExpression' && (RELATIONAL.has(n.operator) || EQUALITY.has(n.operator)))
        return isCounter(n.left) || isCounter(n.right);
      if (n.type === 'UnaryExpression' && n.operator === '!') {
        const name = nameOf(n.argument);
        return name !== null && (counters.has(name) || COUNTER.test(name));
      }
      // `if (retries--)`: a counter used as the test itself; `if (policy.shouldRetry(err, attempt))`: a counter handed to a decider
      if (n.type === 'IfStatement' || n.type === 'ConditionalExpression') {
        const name = nameOf(n.test);
        if (name !== null && COUNTER.test(name)) return true;
        return someDescendant(n.test, (d) => isCall(d) && d.arguments.some(isCounter), { intoFunctions: false });
      }
      return false;
    },
    { intoFunctions: false },
  );
}

/** `while (true)`, `for (;;)`, `do {} while (1)`: a loop whose own test never ends it. */
export function isEndlessTest(test: Node | null | undefined): boolean {
  if (!test) return true;
  const t = unwrap(test, { await: true, void: true });
  return (t.type === 'BooleanLiteral' && t.value) || (t.type === 'NumericLiteral' && t.value !== 0);
}

const CONDITIONAL = new Set(['IfStatement', 'ConditionalExpression', 'LogicalExpression', 'SwitchStatement']);

function conditionTest(node: Node): Node | null {
  if (node.type === 'IfStatement' || node.type === 'ConditionalExpression') return node.test;
  if (node.type === 'LogicalExpression') return node.left;
  if (node.type === 'SwitchStatement') return node.discriminant;
  return null;
}

/**
 * A catch that can leave the loop on failure for a reason other than the error's type: a
 * throw or return that is unconditional, or guarded by something we cannot see into (a retry
 * strategy, a token bucket). Exits guarded only by `err.code`/`instanceof` tests still retry
 * transient errors forever.
 */
export function hasFailureExit(handler: Node): boolean {
  return someDescendant(
    handler,
    (n, ancestors) => {
      if (n.type !== 'ThrowStatement' && n.type !== 'ReturnStatement') return false;
      const start = ancestors.indexOf(handler);
      const within = ancestors.slice(start + 1);
      return !within.some((a) => CONDITIONAL.has(a.type) && classifiesError(conditionTest(a)!));
    },
    { intoFunctions: false },
  );
}
