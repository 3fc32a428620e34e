import type { Node } from '@babel/types';
import type { RetryLoopRef } from '../../src/rule-data/policy-rules';
import type { NodePath } from '../../src/parse/walk';
import { isFunctionNode } from '../../src/parse/walk';
import { forEachDescendant, someDescendant } from './descendants';
import { patternNames } from './dependency-ast';
import { isSelfCall, selfReference } from './self-calls';
import { awaitedSleeps } from './sleep-calls';

// for-of/for-in walk a collection (a batch), they do not repeat one call
const LOOPS = new Set(['ForStatement', 'WhileStatement', 'DoWhileStatement']);

/** The hand-written retry around a call, with the statement (loop or function) that does the retrying. */
export interface EnclosingRetry extends RetryLoopRef {
  node: Node;
}

/** Names the call's answer is held in: `const res = await fetch()`, `const { status } = await api.get()`, `res = await ...`. */
function answerNames(path: NodePath): string[] {
  let p: NodePath | null = path;
  while (
    p?.parent &&
    /^(AwaitExpression|TSAsExpression|TSNonNullExpression|TSSatisfiesExpression|ParenthesizedExpression)$/.test(
      p.parent.node.type,
    )
  )
    p = p.parent;
  const holder = p?.parent?.node;
  if (holder?.type === 'VariableDeclarator' && p!.key === 'init') return patternNames(holder.id);
  if (holder?.type === 'AssignmentExpression' && p!.key === 'right' && holder.left.type === 'Identifier')
    return [holder.left.name];
  return [];
}

const mentionsAny = (node: Node, names: readonly string[]): boolean =>
  someDescendant(node, (d) => d.type === 'Identifier' && names.includes(d.name), { intoFunctions: false });

/** A loop that decides from the answer whether to go round again, and waits: `if (!res.ok) { await sleep(); continue; }`. */
function repeatsOnAnswer(loop: Node, names: readonly string[]): boolean {
  if (names.length === 0) return false;
  const body = (loop as Node & { body: Node }).body;
  if (awaitedSleeps(body, { skipLoops: true }).length === 0) return false;
  let decides = false;
  forEachDescendant(
    body,
    (n) => {
      if (decides || (n !== body && LOOPS.has(n.type))) return false;
      if (n.type === 'IfStatement' && mentionsAny(n.test, names)) decides = true;
      return !decides;
    },
    { intoFunctions: false },
  );
  return decides;
}

/**
 * A function that retries by calling itself: from the catch of the try around the call (not
 * handing it the error, which is propagating like `next(err)`), or when the answer says so.
 */
function retriesItself(fnPath: NodePath, call: Node, names: readonly string[]): boolean {
  const self = selfReference(fnPath);
  if (!self) return false;
  const fn = fnPath.node as Node & { body: Node };
  let found = false;
  forEachDescendant(
    fn.body,
    (n) => {
      if (found) return false;
      if (n.type === 'TryStatement' && n.handler && someDescendant(n.block, (d) => d === call)) {
        const param = n.handler.param?.type === 'Identifier' ? n.handler.param.name : null;
        found = someDescendant(
          n.handler.body,
          (d) => isSelfCall(d, self) && !(param && d.arguments.some((a) => mentionsAny(a as Node, [param]))),
          { intoFunctions: false },
        );
      }
      if (!found && n.type === 'IfStatement' && names.length && mentionsAny(n.test, names)) {
        found = someDescendant(n, (d) => isSelfCall(d, self), { intoFunctions: false });
      }
      return !found;
    },
    { intoFunctions: false },
  );
  return found;
}

/**
 * The hand-written retry a call sits in: a loop whose `try` block holds it, a loop that goes
 * round again on the answer after a wait, or a function that calls itself to retry. Callbacks
 * passed to a call (`policy.execute(async () => ...)`) are looked through; a named function
 * boundary stops the search, after checking whether that function retries itself. Whether the
 * retry is bounded and jittered is the retry-loops detector's business: here it only means the
 * call is retried, so that no policy is ever put inside it.
 */
export function enclosingRetryLoop(path: NodePath): EnclosingRetry | null {
  let inTry = false;
  const names = answerNames(path);
  const at = (node: Node, shape: RetryLoopRef['shape']): EnclosingRetry => ({
    node,
    shape,
    line: node.loc?.start.line ?? 0,
  });
  for (let p: NodePath | null = path; p && p.parent; p = p.parent) {
    const parent = p.parent.node;
    if (parent.type === 'TryStatement' && p.key === 'block' && parent.handler) inTry = true;
    if (LOOPS.has(parent.type) && p.key === 'body') {
      if (inTry) return at(parent, 'try-loop');
      if (repeatsOnAnswer(parent, names)) return at(parent, 'status-loop');
    }
    if (isFunctionNode(parent)) {
      if (retriesItself(p.parent, path.node, names)) return at(parent, 'recursion');
      const callback =
        p.parent.parent &&
        (p.parent.parent.node.type === 'CallExpression' || p.parent.parent.node.type === 'OptionalCallExpression') &&
        p.parent.key === 'arguments';
      if (!callback) return null;
    }
  }
  return null;
}

/** Whether a call is retried by hand (see enclosingRetryLoop). */
export function insideRetryLoop(path: NodePath): boolean {
  return enclosingRetryLoop(path) !== null;
}
