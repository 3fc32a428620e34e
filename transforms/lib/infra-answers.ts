import type { JSCodeshift } from 'jscodeshift';
import { isFunctionNode } from './catch-helpers';
import { unwrap } from '../../detectors/lib/unwrap';

/*
 * How a catch handler answers an HTTP request (API Gateway result object, Express, Fastify,
 * Koa), and the 503 + Retry-After guard written in the same style. Used by the
 * infra-failure-status fix.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime
type AstNode = any;

/** Statuses that misreport a dependency failure as the client's fault or as a success. */
export const MISLEADING_STATUSES = new Set([200, 400, 401, 403, 404]);

export type AnswerKind = 'api-gateway' | 'express' | 'fastify' | 'koa' | 'koa-throw';

export interface Answer {
  kind: AnswerKind;
  /** the response object (`res`, `reply`, `ctx`), or the API Gateway result object */
  target: AstNode;
  /** the answer is returned (`return res.status(401).json()`), so the guard returns too */
  returned: boolean;
}

function misleadingStatus(node: AstNode): boolean {
  const n: AstNode = unwrap(node, { await: true });
  return (
    (n?.type === 'NumericLiteral' || (n?.type === 'Literal' && typeof n.value === 'number')) &&
    MISLEADING_STATUSES.has(n.value)
  );
}

function propertyNamed(obj: AstNode, name: string): AstNode {
  return obj.properties.find(
    (p: AstNode) => p.type === 'ObjectProperty' && !p.computed && (p.key.name ?? p.key.value) === name,
  );
}

/** `res.status(401).json(...)`, `reply.code(404).send()`, `res.sendStatus(403)`: the answer's shape, else null. */
function callAnswer(expression: AstNode, returned: boolean): Answer | null {
  let call: AstNode = unwrap(expression, { await: true });
  let found = false;
  let fastify = false;
  while (call?.type === 'CallExpression' && call.callee.type === 'MemberExpression' && !call.callee.computed) {
    const method = call.callee.property.name;
    if ((method === 'status' || method === 'code' || method === 'sendStatus') && misleadingStatus(call.arguments[0]))
      found = true;
    if (method === 'code') fastify = true;
    call = call.callee.object;
  }
  if (!found || call?.type !== 'Identifier') return null;
  if (call.name === 'reply') fastify = true;
  return { kind: fastify ? 'fastify' : 'express', target: call, returned };
}

/** The answer a single statement gives, looking into nested blocks but not nested functions. */
function statementAnswer(stmt: AstNode): Answer | null {
  if (!stmt || isFunctionNode(stmt)) return null;
  if (stmt.type === 'ReturnStatement' && stmt.argument) {
    const arg: AstNode = unwrap(stmt.argument, { await: true });
    if (arg.type === 'ObjectExpression') {
      const status = propertyNamed(arg, 'statusCode');
      return status && misleadingStatus(status.value) ? { kind: 'api-gateway', target: arg, returned: true } : null;
    }
    return callAnswer(arg, true);
  }
  if (stmt.type === 'ExpressionStatement') {
    const e: AstNode = unwrap(stmt.expression, { await: true });
    if (
      e.type === 'AssignmentExpression' &&
      e.left.type === 'MemberExpression' &&
      !e.left.computed &&
      e.left.property.name === 'status' &&
      e.left.object.type === 'Identifier' &&
      misleadingStatus(e.right)
    )
      return { kind: 'koa', target: e.left.object, returned: false };
    if (
      e.type === 'CallExpression' &&
      e.callee.type === 'MemberExpression' &&
      e.callee.property.name === 'throw' &&
      e.callee.object.type === 'Identifier' &&
      /^(ctx|context)$/.test(e.callee.object.name) &&
      misleadingStatus(e.arguments[0])
    ) {
      return { kind: 'koa-throw', target: e.callee.object, returned: false };
    }
    return callAnswer(e, false);
  }
  for (const key of ['consequent', 'alternate', 'body', 'block', 'handler', 'finalizer', 'cases']) {
    const child = stmt[key];
    const children: AstNode[] = Array.isArray(child) ? child : child ? [child] : [];
    for (const c of children) {
      const inner = c.type === 'BlockStatement' ? c.body : c.type === 'SwitchCase' ? c.consequent : [c];
      for (const s of inner) {
        const found = statementAnswer(s);
        if (found) return found;
      }
    }
  }
  return null;
}

/** The first top-level statement of a handler body that answers with a misleading status, and how. */
export function firstMisleadingAnswer(statements: AstNode[]): { index: number; answer: Answer } | null {
  for (let index = 0; index < statements.length; index++) {
    const answer = statementAnswer(statements[index]);
    if (answer) return { index, answer };
  }
  return null;
}

function isLiteral(node: AstNode): boolean {
  return ['StringLiteral', 'NumericLiteral', 'BooleanLiteral'].includes(node?.type);
}

/**
 * The headers of the 503 result: the original answer's headers (CORS ...) when they can be
 * reused safely, plus Retry-After. `laterNames` are declared after the guard, so not usable.
 */
function apiGatewayHeaders(
  j: JSCodeshift,
  result: AstNode,
  retryAfter: string,
  q: string,
  laterNames: Set<string>,
): string {
  const retry = `${q}Retry-After${q}: ${q}${retryAfter}${q}`;
  const headers = propertyNamed(result, 'headers')?.value;
  if (!headers) return `{ ${retry} }`;
  let root = headers;
  while (root.type === 'MemberExpression' && !root.computed) root = root.object;
  if (root.type === 'Identifier' && !laterNames.has(root.name)) return `{ ...${j(headers).toSource()}, ${retry} }`;
  if (headers.type === 'ObjectExpression') {
    const literal = headers.properties.filter(
      (p: AstNode) =>
        p.type === 'ObjectProperty' &&
        !p.computed &&
        isLiteral(p.value) &&
        (p.key.type === 'Identifier' || p.key.type === 'StringLiteral'),
    );
    const kept = literal.filter((p: AstNode) => !/^retry-after$/i.test(String(p.key.name ?? p.key.value)));
    if (literal.length === headers.properties.length)
      return `{ ${[...kept.map((p: AstNode) => j(p).toSource()), retry].join(', ')} }`;
  }
  return `{ ${retry} }`;
}

export interface GuardOptions {
  guard: string;
  errName: string;
  retryAfter: string;
  quote: string;
  laterNames: Set<string>;
}

/** Source of the `if (isInfraFailure(err)) { ...503... }` statement for an answer's style. */
export function guardSource(j: JSCodeshift, answer: Answer, o: GuardOptions): string {
  const q = o.quote;
  const message = `{ message: ${q}Service unavailable${q} }`;
  const retry = `${q}Retry-After${q}, ${q}${o.retryAfter}${q}`;
  const ret = answer.returned ? 'return ' : '';
  const end = answer.returned ? '' : '\n  return;';
  let body: string;
  switch (answer.kind) {
    case 'api-gateway':
      body = `return { statusCode: 503, headers: ${apiGatewayHeaders(j, answer.target, o.retryAfter, q, o.laterNames)}, body: JSON.stringify(${message}) };`;
      break;
    case 'express':
      body = `${ret}${answer.target.name}.status(503).set(${retry}).json(${message});${end}`;
      break;
    case 'fastify':
      body = `${ret}${answer.target.name}.code(503).header(${retry}).send(${message});${end}`;
      break;
    case 'koa':
      body = `${answer.target.name}.status = 503;\n  ${answer.target.name}.set(${retry});\n  ${answer.target.name}.body = ${message};\n  return;`;
      break;
    default:
      // http-errors copies `headers` onto the error, and Koa sets them on the response
      body = `${answer.target.name}.throw(503, ${q}Service unavailable${q}, { headers: { ${q}Retry-After${q}: ${q}${o.retryAfter}${q} } });`;
  }
  return `if (${o.guard}(${o.errName})) {\n  ${body}\n}`;
}
