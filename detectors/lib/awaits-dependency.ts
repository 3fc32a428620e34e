import type { Node } from '@babel/types';
import { calleeName, isCall, someDescendant } from './descendants';
import { unwrap } from './unwrap';

/** Awaited calls that only read or validate the incoming request: failing them is a client error. */
export const REQUEST_READS: ReadonlySet<string> = new Set([
  'json',
  'text',
  'formData',
  'arrayBuffer',
  'blob',
  'validate',
  'validateAsync',
  'parseAsync',
  'safeParseAsync',
]);
/** Calls that reach a remote dependency even when not awaited. */
const REMOTE_CALLS = new Set([
  'fetch',
  'axios',
  'got',
  'jwtVerify',
  'getSigningKey',
  'createRemoteJWKSet',
  'send',
  'request',
]);
const REMOTE_KEY = /jwk|keyset|getkey|signingkey/i;

function isLocalAwait(argument: Node): boolean {
  const n = unwrap(argument, { await: true, void: true });
  return isCall(n) && REQUEST_READS.has(calleeName(n.callee) ?? '');
}

function isRemoteCall(node: Node): boolean {
  if (!isCall(node)) return false;
  const callee = unwrap(node.callee, { await: true, void: true });
  const name = calleeName(callee);
  if (name && REMOTE_CALLS.has(name)) return true;
  if (
    callee.type === 'MemberExpression' &&
    callee.object.type === 'Identifier' &&
    /^(axios|got)$/.test(callee.object.name)
  )
    return true;
  // jsonwebtoken's verify with a static secret is local; with a JWKS key resolver it calls out
  if (name === 'verify') {
    return node.arguments.some((a) => someDescendant(a, (d) => d.type === 'Identifier' && REMOTE_KEY.test(d.name)));
  }
  return false;
}

/**
 * Whether a try block calls a dependency: it awaits something other than request parsing,
 * or calls a known remote API (fetch, axios, an SDK `.send`, a JWKS-backed verify).
 */
export function callsDependency(block: Node): boolean {
  return someDescendant(block, (n) => {
    if (n.type === 'AwaitExpression') return n.argument !== null && !isLocalAwait(n.argument);
    if (n.type === 'ForOfStatement' && n.await) return true;
    return isRemoteCall(n);
  });
}
