import type { Node, ObjectExpression } from '@babel/types';
import type { CallIdempotency } from '../../src/rule-data/policy-rules';
import { objectShape } from './dependency-ast';
import type { DependencyCall } from './dependency-calls';
import { optionsObject, resolveValue, type DependencyModel } from './dependency-model';
import { keyName, stringValue } from './node-text';
import { unwrap } from './unwrap';

/*
 * Whether a dependency call may be sent twice. RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT
 * and DELETE are idempotent; a POST or PATCH is not, since one that timed out may have been
 * processed, unless every attempt carries the same idempotency key (the IETF `Idempotency-Key`
 * header, or a library's own option such as Stripe's `idempotencyKey`). AWS SDK commands are
 * retried by the SDK itself and count as safe to retry.
 */

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
/** axios/got/ky methods named for their HTTP method */
const METHOD_NAMES = /^(get|head|options|post|put|patch|delete)(Form)?$/;
const KEY_HEADER = /^(x-)?idempotency-key$/i;
const KEY_OPTIONS = new Set(['idempotencyKey', 'idempotency_key']);

/** The HTTP method a call sends, upper case; '?' when it is out of sight. */
function httpMethod(m: DependencyModel, call: DependencyCall, options: ObjectExpression | null): string {
  const named = METHOD_NAMES.exec(call.method);
  if (named) return named[1]!.toUpperCase();
  if (call.client === 'http' && call.method === 'get') return 'GET';
  if (options === null) return 'GET';
  const method = objectShape(options).props.get('method');
  if (!method) return objectShape(options).spread ? '?' : 'GET';
  const value = stringValue(resolveValue(m, method, call.path));
  return value ? value.toUpperCase() : '?';
}

/** The per-call options object: `axios(config)`, `got({...})`, `http.request(options)` take it first. */
function callOptions(m: DependencyModel, call: DependencyCall): ObjectExpression | null {
  const first = call.node.arguments[0] as Node | undefined;
  const direct = call.method === '' || call.method === 'request';
  const candidates =
    direct && first && unwrap(first)?.type !== 'StringLiteral' && unwrap(first)?.type !== 'TemplateLiteral'
      ? [first, call.options]
      : [call.options];
  for (const c of candidates) {
    const obj = optionsObject(m, c, call.path);
    if (typeof obj !== 'string') return obj;
  }
  return null;
}

/** A value that is the same every time it is read: names, member chains, literals and templates of them. */
function isStable(node: Node | null | undefined): boolean {
  const n = unwrap(node);
  if (!n) return false;
  switch (n.type) {
    case 'Identifier':
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'ThisExpression':
      return true;
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return isStable(n.object) && (!n.computed || isStable(n.property as Node));
    case 'TemplateLiteral':
      return n.expressions.every((e) => isStable(e as Node));
    case 'BinaryExpression':
      return n.operator === '+' && isStable(n.left as Node) && isStable(n.right);
    default:
      return false;
  }
}

function isInside(inner: Node, outer: Node): boolean {
  return (
    inner.start != null && outer.start != null && inner.start >= outer.start && (inner.end ?? 0) <= (outer.end ?? 0)
  );
}

/** The idempotency key a call sends: a header of its own headers, or a library option. */
function idempotencyKey(
  m: DependencyModel,
  call: DependencyCall,
  options: ObjectExpression | null,
): { key: string; value: Node } | null {
  if (!options) return null;
  const shape = objectShape(options);
  for (const name of KEY_OPTIONS) {
    const value = shape.props.get(name);
    if (value) return { key: `${name} option`, value };
  }
  const headers = resolveValue(m, shape.props.get('headers'), call.path);
  if (headers?.type !== 'ObjectExpression') return null;
  for (const p of headers.properties) {
    if (p.type !== 'ObjectProperty') continue;
    const name = keyName(p);
    if (name && KEY_HEADER.test(name)) return { key: `${name} header`, value: p.value as Node };
  }
  return null;
}

export function callIdempotency(m: DependencyModel, call: DependencyCall): CallIdempotency {
  if (call.client === 'aws-sdk') return { kind: 'idempotent', method: 'AWS SDK command' };
  const options = callOptions(m, call);
  const method = httpMethod(m, call, options);
  if (IDEMPOTENT_METHODS.has(method)) return { kind: 'idempotent', method };
  const key = idempotencyKey(m, call, options);
  // a key written into the call's own arguments is evaluated again on each attempt once the call is retried
  if (key)
    return { kind: 'keyed', method, key: key.key, perAttempt: isInside(key.value, call.node) && !isStable(key.value) };
  return { kind: 'not-idempotent', method };
}
