import type { Node } from '@babel/types';

/*
 * Expression wrappers that do not change the value a program sees: TypeScript and Flow type
 * assertions and parentheses. Detectors (Babel AST) and transforms (recast over the same Babel
 * parser) both read through them with `unwrap`.
 */

/** Wrappers that only carry a type or grouping: `x as T`, `x satisfies T`, `x!`, `<T>x`, `(x: T)`, `(x)`. */
const TYPE_WRAPPERS = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
  'TypeCastExpression',
  'ParenthesizedExpression',
]);

/** What else to look through: `await x` (the awaited value), `void x` (a promise let go). */
export interface AlsoUnwrap {
  await?: boolean;
  void?: boolean;
}

/** Whether a node is a wrapper `unwrap` looks through, given what else it may strip. */
export function isWrapper(node: { type: string } | null | undefined, also: AlsoUnwrap = {}): boolean {
  if (!node) return false;
  if (TYPE_WRAPPERS.has(node.type)) return true;
  if (node.type === 'AwaitExpression') return also.await === true;
  return also.void === true && node.type === 'UnaryExpression' && (node as { operator?: string }).operator === 'void';
}

/** The expression inside type assertions and parentheses (and `await` / `void` when asked). */
export function unwrap(node: Node, also?: AlsoUnwrap): Node;
export function unwrap(node: Node | null | undefined, also?: AlsoUnwrap): Node | null;
export function unwrap(node: Node | null | undefined, also: AlsoUnwrap = {}): Node | null {
  let n: Node | null = node ?? null;
  while (n && isWrapper(n, also)) {
    const inner: Node | null | undefined =
      n.type === 'AwaitExpression' || n.type === 'UnaryExpression'
        ? n.argument
        : (n as { expression?: Node }).expression;
    if (!inner) break;
    n = inner;
  }
  return n;
}
