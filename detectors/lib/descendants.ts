import type { Node } from '@babel/types';
import { childKeys, isFunctionNode, isNode } from '../../src/parse/walk';

export interface DescendOptions {
  /** enter nested function bodies (default true) */
  intoFunctions?: boolean;
}

/**
 * Depth-first visit of `root` and its descendants with their ancestry (nearest last, `root`
 * excluded). Returning false from `visit` skips that node's children.
 */
export function forEachDescendant(
  root: Node,
  visit: (node: Node, ancestors: readonly Node[]) => boolean | void,
  options: DescendOptions = {},
): void {
  const intoFunctions = options.intoFunctions ?? true;
  const stack: Node[] = [];
  const step = (node: Node): void => {
    if (visit(node, stack) === false) return;
    if (!intoFunctions && node !== root && isFunctionNode(node)) return;
    stack.push(node);
    for (const key of childKeys(node)) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const child of value) if (isNode(child)) step(child);
      } else if (isNode(value)) step(value);
    }
    stack.pop();
  };
  step(root);
}

/** True when `root` or a descendant satisfies `test`. */
export function someDescendant(
  root: Node,
  test: (node: Node, ancestors: readonly Node[]) => boolean,
  options: DescendOptions = {},
): boolean {
  let found = false;
  forEachDescendant(
    root,
    (node, ancestors) => {
      if (found) return false;
      if (test(node, ancestors)) found = true;
      return !found;
    },
    options,
  );
  return found;
}

/** The name of a callee: `f` for `f()`, `m` for `a.b.m()`, null otherwise. */
export function calleeName(node: Node): string | null {
  if (node.type === 'Identifier') return node.name;
  if ((node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') && !node.computed) {
    return node.property.type === 'Identifier' ? node.property.name : null;
  }
  return null;
}

export function isCall(node: Node): node is Extract<Node, { type: 'CallExpression' | 'OptionalCallExpression' }> {
  return node.type === 'CallExpression' || node.type === 'OptionalCallExpression';
}
