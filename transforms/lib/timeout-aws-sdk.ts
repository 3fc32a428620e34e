import type { JSCodeshift } from 'jscodeshift';
import { CHANGED, COVERED, skipped, type FixOutcome } from './call-arguments';
import { insertArgumentCode, parseExpression, sourceOf } from './code-splice';
import { addProperty, findProperty, isObjectLiteral } from './object-literals';

/*
 * AWS SDK v3 clients have no request or connection timeout by default (0 = none), and since
 * smithy's node-http-handler 4.4 a requestTimeout alone only logs a warning unless
 * `throwOnRequestTimeout: true` is set too. The plain-object `requestHandler` shorthand works
 * only on client releases that take it (see aws-sdk-versions); elsewhere the timeouts go into a
 * `new NodeHttpHandler({...})`.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

export interface AwsTimeouts {
  requestMs: number;
  connectionMs: number;
}

/** An export of an @aws-sdk/client-* package that `new` makes a client of (not a command or error). */
export function isAwsClientExport(name: string): boolean {
  return /^[A-Z]/.test(name) && !/(Command|Exception|Error|Paginator|Waiter|Input|Output)$/.test(name);
}

function timeoutEntries(t: AwsTimeouts): Array<[string, string]> {
  return [
    ['requestTimeout', String(t.requestMs)],
    ['connectionTimeout', String(t.connectionMs)],
    ['throwOnRequestTimeout', 'true'],
  ];
}

/** Adds the timeout settings an options object lacks; COVERED when it has them all. */
function completeHandlerOptions(j: JSCodeshift, options: AnyNode, t: AwsTimeouts): FixOutcome {
  let changed = false;
  for (const [name, value] of timeoutEntries(t)) {
    if (findProperty(options, name)) continue;
    addProperty(j, options, name, value);
    changed = true;
  }
  return changed ? CHANGED : COVERED;
}

/** `new NodeHttpHandler(...)` from @smithy/node-http-handler (or its older @aws-sdk name). */
function isNodeHttpHandler(node: AnyNode): boolean {
  return node?.type === 'NewExpression' && node.callee.type === 'Identifier' && node.callee.name === 'NodeHttpHandler';
}

/**
 * How the request handler is written. `add`: how a new one is written, the plain-object shorthand
 * or `new <name>({...})` (the local name of NodeHttpHandler, imported on first use). `convert`:
 * whether an existing shorthand must become a handler (the package's SDK surely does not take it).
 */
export type HandlerForm =
  { shorthand: true; convert?: false } | { shorthand: false; convert: boolean; nodeHttpHandler: () => string };

/** `new XClient()`, `new XClient({ region })`, `new XClient({ requestHandler: ... })`. */
export function fixAwsClient(
  j: JSCodeshift,
  expr: AnyNode,
  t: AwsTimeouts,
  form: HandlerForm = { shorthand: true },
): FixOutcome {
  const args: AnyNode[] = expr.arguments;
  const options = `{ ${timeoutEntries(t)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')} }`;
  const handlerCode = form.shorthand ? options : `new ${form.nodeHttpHandler()}(${options})`;
  if (args.length === 0) {
    insertArgumentCode(j, expr, 0, [`{ requestHandler: ${handlerCode} }`]);
    return CHANGED;
  }
  const config = args[0];
  if (!isObjectLiteral(config)) return skipped('the client config is not an object literal');
  const prop = findProperty(config, 'requestHandler');
  if (!prop) {
    addProperty(j, config, 'requestHandler', handlerCode);
    return CHANGED;
  }
  if (prop.type !== 'ObjectProperty') return skipped('the requestHandler is not a plain property');
  const value = prop.value;
  if (isObjectLiteral(value)) {
    const completed = completeHandlerOptions(j, value, t);
    if (form.shorthand || !form.convert) return completed;
    // a release that does not take the shorthand fails every call with it: make it a handler
    prop.value = parseExpression(j, `new ${form.nodeHttpHandler()}(${sourceOf(j, value)})`);
    return CHANGED;
  }
  if (isNodeHttpHandler(value)) {
    if (value.arguments.length === 0) {
      insertArgumentCode(j, value, 0, [options]);
      return CHANGED;
    }
    if (isObjectLiteral(value.arguments[0])) return completeHandlerOptions(j, value.arguments[0], t);
  }
  return skipped('the requestHandler is built elsewhere');
}
