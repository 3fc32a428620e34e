import type { Node } from '@babel/types';
import type { CallHandling } from '../../src/contract-types';
import { childKeys, isFunctionNode, isNode, type NodePath } from '../../src/parse/walk';
import { REQUEST_READS } from './awaits-dependency';
import { calleeName, isCall } from './descendants';
import { propertyName } from './node-text';
import { isWrapper, unwrap } from './unwrap';

/*
 * Where a rejected promise goes: into a try/catch, a `.catch`, on to the enclosing function's
 * caller, or nowhere (an unhandled rejection, which stops a Node 20 process). Shared by the
 * route rule (an async handler's awaits outside try/catch) and the callers model (how each
 * call of a function takes a rejection once the function may reject).
 */

/** Awaited calls that only read or validate the incoming request, or wait: they do not reach a dependency. */
// `next` is the next middleware (Koa's downstream, Express's next), judged where it is registered
const LOCAL_AWAITS = new Set(['next', ...REQUEST_READS, 'sleep', 'delay', 'wait', 'setTimeout']);

/** Whether an awaited expression can reject because of a dependency (not request parsing, not a sleep). */
export function awaitsDependency(argument: Node | null | undefined): boolean {
  const n = unwrap(argument, { await: true });
  if (!n) return false;
  if (n.type === 'NewExpression' && n.callee.type === 'Identifier' && n.callee.name === 'Promise') return false;
  if (isCall(n)) {
    const name = calleeName(n.callee);
    if (name && LOCAL_AWAITS.has(name)) return false;
    // `await x.catch(handler)` and `Promise.allSettled([...])` settle instead of rejecting
    if (name === 'catch' || name === 'allSettled') return false;
  }
  return n.type !== 'Identifier' || !/^(sleep|delay|wait)\w*$/i.test(n.name);
}

/**
 * The first `await` (or `for await`) of a function's own body that can reject and that no
 * try/catch of the function surrounds, else null. Nested functions are not searched.
 */
export function firstUnprotectedAwait(fn: Node): Node | null {
  const body = (fn as Node & { body: Node }).body;
  let found: Node | null = null;
  const visit = (node: Node, protectedHere: boolean): void => {
    if (found) return;
    if (node !== fn && isFunctionNode(node)) return;
    if (!protectedHere) {
      if (node.type === 'AwaitExpression' && awaitsDependency(node.argument)) {
        found = node;
        return;
      }
      if (node.type === 'ForOfStatement' && node.await) {
        found = node;
        return;
      }
    }
    if (node.type === 'TryStatement') {
      visit(node.block, protectedHere || node.handler !== null);
      if (node.handler) visit(node.handler, protectedHere);
      if (node.finalizer) visit(node.finalizer, protectedHere);
      return;
    }
    for (const key of childKeys(node)) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value))
        for (const child of value) {
          if (isNode(child)) visit(child, protectedHere);
        }
      else if (isNode(value)) visit(value, protectedHere);
    }
  };
  visit(body, false);
  return found;
}

/** Whether a path sits in the `block` of a try with a catch, within its own function. */
export function insideTryWithCatch(path: NodePath): boolean {
  for (let p: NodePath | null = path; p?.parent; p = p.parent) {
    if (isFunctionNode(p.node)) return false;
    const parent = p.parent.node;
    if (parent.type === 'TryStatement' && p.key === 'block' && parent.handler) return true;
  }
  return false;
}

export interface CallOutcome {
  handling: CallHandling;
  /** the path whose value is the call's result once awaited (for reading how the caller uses it) */
  valuePath: NodePath | null;
  /** for 'propagates': the function the rejection reaches */
  within: NodePath | null;
}

const isPromiseStatic = (callee: Node, names: RegExp): boolean =>
  callee.type === 'MemberExpression' &&
  callee.object.type === 'Identifier' &&
  callee.object.name === 'Promise' &&
  names.test(propertyName(callee) ?? '');

/**
 * How the promise a call returns is treated: followed through `.then`/`.finally` chains,
 * `Promise.all([...])`, `await` and `return`, up to the enclosing function.
 */
export function callOutcome(callPath: NodePath): CallOutcome {
  let current: NodePath = callPath;
  let awaited = false;
  for (;;) {
    const parentPath = current.parent;
    if (!parentPath) return { handling: 'unknown', valuePath: null, within: null };
    const parent = parentPath.node;
    if (isWrapper(parent)) {
      current = parentPath;
      continue;
    }
    if (awaited) {
      // the awaited value: a try/catch around it, or the rejection leaves the function
      if (insideTryWithCatch(current)) return { handling: 'caught', valuePath: current, within: null };
      return { handling: 'propagates', valuePath: current, within: enclosingFunctionPath(current) };
    }
    if (parent.type === 'AwaitExpression') {
      awaited = true;
      current = parentPath;
      continue;
    }
    if (
      (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') &&
      parent.object === current.node
    ) {
      const chained = parentPath.parent;
      const method = propertyName(parent);
      if (!chained || !isCall(chained.node) || chained.node.callee !== parent)
        return { handling: 'unknown', valuePath: null, within: null };
      if (method === 'catch' || (method === 'then' && chained.node.arguments.length >= 2))
        return { handling: 'caught', valuePath: null, within: null };
      if (method === 'then' || method === 'finally') {
        current = chained;
        continue;
      }
      return { handling: 'unknown', valuePath: null, within: null };
    }
    if (parent.type === 'ArrayExpression') {
      // Promise.all([a(), b()]) / Promise.allSettled([...])
      const call = parentPath.parent;
      if (call && isCall(call.node) && call.node.arguments[0] === parent) {
        if (isPromiseStatic(call.node.callee, /^allSettled$/))
          return { handling: 'caught', valuePath: null, within: null };
        if (isPromiseStatic(call.node.callee, /^(all|race|any)$/)) {
          current = call;
          continue;
        }
      }
      return { handling: 'unknown', valuePath: null, within: null };
    }
    if (
      parent.type === 'ReturnStatement' ||
      (parent.type === 'ArrowFunctionExpression' && parent.body === current.node)
    ) {
      // `return f()` passes the promise on even inside a try (only `return await f()` is caught there)
      const within = parent.type === 'ArrowFunctionExpression' ? parentPath : enclosingFunctionPath(current);
      // `Promise.all(ids.map((id) => f(id)))`: the callback's promises are the array's elements
      const mapped = within ? mapCallOf(within) : null;
      if (mapped) {
        current = mapped;
        continue;
      }
      return { handling: 'propagates', valuePath: null, within };
    }
    if (
      isCall(parent) &&
      parent.arguments[0] === current.node &&
      isPromiseStatic(parent.callee, /^(all|race|any|allSettled)$/)
    ) {
      if (isPromiseStatic(parent.callee, /^allSettled$/)) return { handling: 'caught', valuePath: null, within: null };
      current = parentPath;
      continue;
    }
    if (parent.type === 'ExpressionStatement' || (parent.type === 'UnaryExpression' && parent.operator === 'void')) {
      return { handling: 'unhandled', valuePath: null, within: null };
    }
    return { handling: 'unknown', valuePath: null, within: null };
  }
}

/** The `xs.map(cb)` call whose callback is the function at `fnPath`, when its array is handed to Promise.all and the like. */
function mapCallOf(fnPath: NodePath): NodePath | null {
  const call = fnPath.parent;
  if (!call || !isCall(call.node) || call.node.arguments[0] !== fnPath.node) return null;
  const method = call.node.callee.type === 'MemberExpression' ? propertyName(call.node.callee) : null;
  if (method !== 'map' && method !== 'flatMap') return null;
  let up = call.parent;
  while (up && isWrapper(up.node)) up = up.parent;
  return up && isCall(up.node) && isPromiseStatic(up.node.callee, /^(all|race|any|allSettled)$/) ? call : null;
}

export function enclosingFunctionPath(path: NodePath): NodePath | null {
  for (let p = path.parent; p; p = p.parent) if (isFunctionNode(p.node)) return p;
  return null;
}

const NULLISH = (n: Node): boolean => n.type === 'NullLiteral' || (n.type === 'Identifier' && n.name === 'undefined');

/** Whether an expression tests the value at `path` for a default: `x === null`, `!x`, `x ?? y`, `x || y`, `if (x)`, `x ? a : b`. */
function testsValue(path: NodePath): boolean {
  let current = path;
  while (current.parent && isWrapper(current.parent.node)) current = current.parent;
  const parentPath = current.parent;
  if (!parentPath) return false;
  const parent = parentPath.node;
  if (parent.type === 'BinaryExpression' && /^[!=]==?$/.test(parent.operator)) {
    const other = parent.left === current.node ? parent.right : parent.left;
    // the usual defaults: null, undefined, false, 0, '', []
    return (
      NULLISH(other) ||
      other.type === 'BooleanLiteral' ||
      (other.type === 'NumericLiteral' && other.value === 0) ||
      (other.type === 'StringLiteral' && other.value === '') ||
      (other.type === 'ArrayExpression' && other.elements.length === 0)
    );
  }
  if (parent.type === 'UnaryExpression' && parent.operator === '!') return true;
  if (parent.type === 'LogicalExpression' && parent.left === current.node) return true;
  if (
    (parent.type === 'IfStatement' || parent.type === 'ConditionalExpression' || parent.type === 'WhileStatement') &&
    parent.test === current.node
  )
    return true;
  // `result?.x`, `result.length === 0`, `if (result.error)`: reading a property of a default tests it too
  if (
    (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') &&
    parent.object === current.node
  ) {
    return parent.optional === true || propertyName(parent) === 'length' || testsValue(parentPath);
  }
  if (parent.type === 'OptionalCallExpression' && parent.callee === current.node) return true;
  return false;
}

/**
 * Whether the caller reads the awaited result back as a default: tested directly
 * (`if (!(await f()))`) or through the variable it is stored in, within the same function.
 */
export function testsDefault(valuePath: NodePath | null): boolean {
  if (!valuePath) return false;
  if (testsValue(valuePath)) return true;
  const parent = valuePath.parent?.node;
  if (!parent || parent.type !== 'VariableDeclarator' || parent.id.type !== 'Identifier') return false;
  const name = parent.id.name;
  const scope = enclosingFunctionPath(valuePath);
  const root = scope ? scope.node : null;
  if (!root) return false;
  let found = false;
  const visit = (node: Node, path: NodePath): void => {
    if (found) return;
    if (node.type === 'Identifier' && node.name === name && path.parent?.node !== parent && testsValue(path)) {
      found = true;
      return;
    }
    for (const key of childKeys(node)) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value))
        value.forEach((child, index) => {
          if (isNode(child)) visit(child, { node: child, parent: path, key, index });
        });
      else if (isNode(value)) visit(value, { node: value, parent: path, key, index: null });
    }
  };
  visit(root, { node: root, parent: null, key: null, index: null });
  return found;
}
