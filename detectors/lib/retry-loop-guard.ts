import type { NodePath } from '../../src/parse/walk';
import { isFunctionNode } from '../../src/parse/walk';

// for-of/for-in walk a collection (a batch), they do not repeat one call
const LOOPS = new Set(['ForStatement', 'WhileStatement', 'DoWhileStatement']);

/**
 * Whether a call sits in the `try` block of a try/catch inside a loop: a hand-written retry.
 * Callbacks passed to a call (`policy.execute(async () => ...)`) are looked through; a named
 * function boundary stops the search. Whether that loop is bounded and jittered is the
 * retry-loops detector's business: here it only means the call is retried.
 */
export function insideRetryLoop(path: NodePath): boolean {
  let inTry = false;
  for (let p: NodePath | null = path; p && p.parent; p = p.parent) {
    const parent = p.parent.node;
    if (parent.type === 'TryStatement' && p.key === 'block' && parent.handler) inTry = true;
    if (inTry && LOOPS.has(parent.type) && p.key === 'body') return true;
    if (isFunctionNode(parent)) {
      const callback = p.parent.parent && (p.parent.parent.node.type === 'CallExpression' || p.parent.parent.node.type === 'OptionalCallExpression') && p.parent.key === 'arguments';
      if (!callback) return false;
    }
  }
  return false;
}
