import type { Collection, JSCodeshift } from 'jscodeshift';
import { insertArgumentCode, parseExpression, sourceOf } from './code-splice';
import { CHANGED, COVERED, isUrlLike, skipped, type FixOutcome } from './call-arguments';
import { abortSignalTimeout, addProperty, findProperty, isObjectLiteral, isTimeoutSignal } from './object-literals';

/*
 * Deadlines for the global fetch and node:http(s) requests, both through an AbortSignal:
 * aborting destroys the request and rejects (fetch) or emits 'error' (http). The http
 * `timeout` option is not used: it only reports an idle socket and never ends the request.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

/** `controller.signal` where the file aborts `controller` from a setTimeout: a hand-made deadline. */
function abortedByTimer(j: JSCodeshift, root: Collection, signal: AnyNode): boolean {
  if (signal?.type !== 'MemberExpression' || signal.object.type !== 'Identifier' || signal.property.name !== 'signal')
    return false;
  const controller = signal.object.name;
  return root.find(j.CallExpression, { callee: { type: 'Identifier', name: 'setTimeout' } }).some((timer) => {
    const callback = timer.node.arguments[0];
    return (
      callback !== undefined &&
      j(callback)
        .find(j.CallExpression, {
          callee: {
            type: 'MemberExpression',
            object: { type: 'Identifier', name: controller },
            property: { name: 'abort' },
          },
        })
        .size() > 0
    );
  });
}

/**
 * Gives an options object a timeout signal: adds `signal`, or combines an existing signal
 * with the timeout through `AbortSignal.any` (Node >= 20.3).
 */
function ensureTimeoutSignal(j: JSCodeshift, root: Collection, options: AnyNode, ms: number): FixOutcome {
  const prop = findProperty(options, 'signal');
  if (!prop) {
    addProperty(j, options, 'signal', abortSignalTimeout(ms));
    return CHANGED;
  }
  if (prop.type !== 'ObjectProperty') return skipped('the signal is not a plain property');
  if (isTimeoutSignal(j, prop.value) || abortedByTimer(j, root, prop.value)) return COVERED;
  prop.value = parseExpression(j, `AbortSignal.any([${sourceOf(j, prop.value)}, ${abortSignalTimeout(ms)}])`);
  prop.shorthand = false;
  return CHANGED;
}

/** `fetch(url)` / `fetch(url, init)`: the init literal gets a timeout signal. */
export function fixFetchCall(j: JSCodeshift, root: Collection, call: AnyNode, ms: number): FixOutcome {
  const args: AnyNode[] = call.arguments;
  if (args.length === 0 || args.some((a) => a.type === 'SpreadElement'))
    return skipped('spread arguments hide the init');
  if (args.length === 1) {
    insertArgumentCode(j, call, 1, [`{ signal: ${abortSignalTimeout(ms)} }`]);
    return CHANGED;
  }
  if (!isObjectLiteral(args[1])) return skipped('the init is not an object literal');
  return ensureTimeoutSignal(j, root, args[1], ms);
}

const isFunction = (n: AnyNode): boolean => n?.type === 'ArrowFunctionExpression' || n?.type === 'FunctionExpression';

/** `http.request(options, cb)`, `https.get(url, options, cb)`, `request(url, cb)`. */
export function fixNodeRequest(j: JSCodeshift, root: Collection, call: AnyNode, ms: number): FixOutcome {
  const args: AnyNode[] = call.arguments;
  if (args.some((a) => a.type === 'SpreadElement')) return skipped('spread arguments hide the options');
  const [first, second] = args;
  const options = isObjectLiteral(first) ? first : isObjectLiteral(second) ? second : null;
  if (options) {
    // a socket `timeout` comes with its own 'timeout' handler that ends the request
    if (findProperty(options, 'timeout')) return COVERED;
    return ensureTimeoutSignal(j, root, options, ms);
  }
  if (isUrlLike(first) && (args.length === 1 || isFunction(second))) {
    insertArgumentCode(j, call, 1, [`{ signal: ${abortSignalTimeout(ms)} }`]);
    return CHANGED;
  }
  return skipped('the options are not an object literal');
}
