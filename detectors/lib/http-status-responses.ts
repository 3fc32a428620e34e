import type { Node } from '@babel/types';
import { calleeName, forEachDescendant, isCall, someDescendant } from './descendants';
import { keyName } from './node-text';
import { unwrap } from './unwrap';

export type ResponseStyle = 'apigw' | 'express' | 'fastify' | 'koa';

export interface StatusResponse {
  /** the return statement or call that produces the status */
  node: Node;
  status: number;
  style: ResponseStyle;
}

const KOA_CONTEXT = /^(ctx|context)$/;
const FASTIFY_REPLY = /^reply$/;
const EXPRESS_RESPONSE = /^(res|response)$/;

function numeric(node: Node | undefined): number | null {
  if (!node) return null;
  const n = unwrap(node, { await: true, void: true });
  return n.type === 'NumericLiteral' ? n.value : null;
}

function rootName(node: Node): string | null {
  let n = unwrap(node, { await: true, void: true });
  while (isCall(n) || n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') {
    if (isCall(n)) n = n.callee;
    else if (n.object.type === 'ThisExpression') return n.property.type === 'Identifier' ? n.property.name : null;
    else n = n.object;
  }
  return n.type === 'Identifier' ? n.name : null;
}

/** The status a single node sets or answers with, if it is a response construct. */
function responseAt(node: Node, parent: Node | undefined): StatusResponse | null {
  if (node.type === 'ObjectExpression') {
    const prop = node.properties.find((p) => keyName(p) === 'statusCode');
    const status = prop && prop.type === 'ObjectProperty' ? numeric(prop.value) : null;
    if (status === null) return null;
    const at = parent && parent.type === 'ReturnStatement' ? parent : node;
    return { node: at, status, style: 'apigw' };
  }
  if (isCall(node) && node.callee.type === 'MemberExpression') {
    const method = calleeName(node.callee);
    const root = rootName(node.callee.object);
    const status = numeric(node.arguments[0]);
    if (status === null || !root) return null;
    if (method === 'code' || (method === 'status' && FASTIFY_REPLY.test(root)))
      return { node, status, style: 'fastify' };
    if (method === 'status' || method === 'sendStatus') return { node, status, style: 'express' };
    if (method === 'throw' && KOA_CONTEXT.test(root)) return { node, status, style: 'koa' };
    return null;
  }
  if (node.type === 'AssignmentExpression' && node.left.type === 'MemberExpression') {
    const key = calleeName(node.left);
    const status = numeric(node.right);
    const root = rootName(node.left.object);
    if (status === null || !root) return null;
    if (key === 'status' && KOA_CONTEXT.test(root)) return { node, status, style: 'koa' };
    if (key === 'statusCode' && EXPRESS_RESPONSE.test(root)) return { node, status, style: 'express' };
  }
  return null;
}

/** `res.json(...)` / `res.send(...)` straight on the response object: Express answers 200. */
function implicitOk(node: Node): StatusResponse | null {
  if (!isCall(node) || node.callee.type !== 'MemberExpression') return null;
  const method = calleeName(node.callee);
  const object = unwrap(node.callee.object, { await: true, void: true });
  if ((method === 'json' || method === 'send') && object.type === 'Identifier' && EXPRESS_RESPONSE.test(object.name)) {
    return { node, status: 200, style: 'express' };
  }
  return null;
}

/** Response statuses produced in a handler body (nested functions excluded), with their ancestry. */
export function statusResponses(body: Node): Array<StatusResponse & { ancestors: Node[] }> {
  const explicit: Array<StatusResponse & { ancestors: Node[] }> = [];
  const implicit: Array<StatusResponse & { ancestors: Node[] }> = [];
  forEachDescendant(
    body,
    (node, ancestors) => {
      const found = responseAt(node, ancestors[ancestors.length - 1]);
      if (found) explicit.push({ ...found, ancestors: [...ancestors] });
      const ok = implicitOk(node);
      if (ok) implicit.push({ ...ok, ancestors: [...ancestors] });
    },
    { intoFunctions: false },
  );
  return explicit.length > 0 ? explicit : implicit;
}

/** 2xx or a 4xx a client would not retry: the answers that hide an outage. */
export function isMisleadingStatus(status: number): boolean {
  return (status >= 200 && status < 300) || (status >= 400 && status < 500 && status !== 408 && status !== 429);
}

const ERROR_FIELDS = new Set([
  'code',
  'name',
  'status',
  'statusCode',
  'errno',
  'type',
  'message',
  'response',
  'reason',
  'cause',
  'syscall',
  '$fault',
  '$metadata',
  'httpStatusCode',
]);

/** A test that tells errors apart: `instanceof`, `err.code === ...`, `isAxiosError(err)`, `err.name`. */
export function classifiesError(test: Node): boolean {
  return someDescendant(
    test,
    (n) => {
      if (n.type === 'BinaryExpression' && n.operator === 'instanceof') return true;
      if ((n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') && !n.computed) {
        const key = calleeName(n);
        return key !== null && ERROR_FIELDS.has(key);
      }
      if (isCall(n)) return /^is[A-Z_$]/.test(calleeName(n.callee) ?? '');
      return false;
    },
    { intoFunctions: false },
  );
}

/** The node sits in a branch chosen by an error-classifying test. */
export function isGuarded(node: Node, ancestors: readonly Node[]): boolean {
  let child = node;
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if ((a.type === 'IfStatement' || a.type === 'ConditionalExpression') && child !== a.test && classifiesError(a.test))
      return true;
    if (a.type === 'LogicalExpression' && child === a.right && classifiesError(a.left)) return true;
    if (
      a.type === 'SwitchStatement' &&
      child !== a.discriminant &&
      (classifiesError(a.discriminant) || a.cases.some((c) => c.test && classifiesError(c.test)))
    )
      return true;
    child = a;
  }
  return false;
}

/** An earlier error-classifying branch that escalates (throws, 5xx, `next(err)`), so what follows is the residue. */
export function hasEscalatingBranchBefore(body: Node, position: number): boolean {
  return someDescendant(
    body,
    (n) => {
      if (n.type !== 'IfStatement' || (n.end ?? 0) > position || !classifiesError(n.test)) return false;
      return someDescendant(
        n.consequent,
        (c) => {
          if (c.type === 'ThrowStatement') return true;
          if (isCall(c) && ['next', 'reject'].includes(calleeName(c.callee) ?? '')) return true;
          const r = responseAt(c, undefined);
          return r !== null && r.status >= 500;
        },
        { intoFunctions: false },
      );
    },
    { intoFunctions: false },
  );
}
