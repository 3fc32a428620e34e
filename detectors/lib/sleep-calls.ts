import type { File, Node } from '@babel/types';
import { calleeName, forEachDescendant, isCall } from './descendants';
import { unwrap } from './unwrap';

const SLEEP_NAME = /^(sleep|delay|wait|pause|snooze)(Ms|Millis|Seconds)?$/i;
const RANDOM_NAME = /random|jitter/i;
/** Math and number helpers that transform a delay without adding randomness. */
const PURE_HELPERS = new Set([
  'min',
  'max',
  'pow',
  'floor',
  'ceil',
  'round',
  'trunc',
  'abs',
  'Number',
  'parseInt',
  'parseFloat',
  'ms',
]);

/**
 * The delay expression of an awaited sleep: `sleep(d)`, `delay(d)`, `setTimeout(d)` from
 * timers/promises, `new Promise((r) => setTimeout(r, d))`. Null when the await is not a sleep.
 */
export function sleepDelay(awaited: Node): Node | null {
  const n = unwrap(awaited, { await: true, void: true });
  if (isCall(n)) {
    const name = calleeName(n.callee);
    if (name && (SLEEP_NAME.test(name) || name === 'setTimeout')) return n.arguments[0] ?? n;
    return null;
  }
  if (n.type === 'NewExpression' && n.callee.type === 'Identifier' && n.callee.name === 'Promise') {
    let delay: Node | null = null;
    const executor = n.arguments[0];
    if (!executor) return null;
    forEachDescendant(executor, (d) => {
      if (!delay && isCall(d) && calleeName(d.callee) === 'setTimeout') delay = d.arguments[1] ?? d;
    });
    return delay;
  }
  return null;
}

export type Jitter = 'jitter' | 'none' | 'unknown';

/** Where each name gets its value in a file: declarations, assignments, defaults, function bodies. */
export type ValueIndex = Map<string, Node[]>;

export function indexValues(ast: File): ValueIndex {
  const index: ValueIndex = new Map();
  const add = (name: string, value: Node): void => {
    const list = index.get(name) ?? [];
    list.push(value);
    index.set(name, list);
  };
  forEachDescendant(ast.program, (n) => {
    if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier' && n.init) add(n.id.name, n.init);
    else if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier') add(n.left.name, n.right);
    else if (n.type === 'AssignmentPattern' && n.left.type === 'Identifier') add(n.left.name, n.right);
    else if (n.type === 'FunctionDeclaration' && n.id) add(n.id.name, n.body);
    else if ((n.type === 'ClassMethod' || n.type === 'ObjectMethod') && n.key.type === 'Identifier')
      add(n.key.name, n.body);
  });
  return index;
}

/**
 * Whether a delay has a random component, following local names and local helper functions.
 * A call to a function this file does not define is 'unknown' (it may well add jitter).
 */
export function delayJitter(expr: Node, values: ValueIndex, seen: Set<Node> = new Set()): Jitter {
  if (seen.has(expr)) return 'none';
  seen.add(expr);
  let result: Jitter = 'none';
  const merge = (j: Jitter): void => {
    if (j === 'jitter' || (j === 'unknown' && result === 'none')) result = j;
  };
  forEachDescendant(expr, (n, ancestors) => {
    if (result === 'jitter') return false;
    if (n.type === 'Identifier' && RANDOM_NAME.test(n.name)) {
      result = 'jitter';
      return false;
    }
    if (isCall(n)) {
      const callee = unwrap(n.callee, { await: true, void: true });
      const name = calleeName(callee);
      if (name && PURE_HELPERS.has(name)) return true;
      if (
        callee.type === 'Identifier' ||
        (callee.type === 'MemberExpression' && callee.object.type === 'ThisExpression')
      ) {
        const bodies = name ? values.get(name) : undefined;
        if (!bodies) merge('unknown');
        else for (const b of bodies) merge(delayJitter(b, values, seen));
      } else merge('unknown');
      return true;
    }
    const parent = ancestors[ancestors.length - 1];
    const isReference =
      n.type === 'Identifier' &&
      !(parent && parent.type === 'MemberExpression' && parent.property === n && !parent.computed);
    if (isReference) for (const v of values.get(n.name) ?? []) merge(delayJitter(v, values, seen));
    return true;
  });
  return result;
}

/** Awaited sleeps in a subtree, with their delay, skipping nested functions (and nested loops if asked). */
export function awaitedSleeps(root: Node, options: { skipLoops?: boolean } = {}): Array<{ await: Node; delay: Node }> {
  const out: Array<{ await: Node; delay: Node }> = [];
  forEachDescendant(
    root,
    (n) => {
      if (n !== root && options.skipLoops && /^(For|ForOf|ForIn|While|DoWhile)Statement$/.test(n.type)) return false;
      if (n.type === 'AwaitExpression' && n.argument) {
        const delay = sleepDelay(n.argument);
        if (delay) out.push({ await: n, delay });
      }
      return true;
    },
    { intoFunctions: false },
  );
  return out;
}
