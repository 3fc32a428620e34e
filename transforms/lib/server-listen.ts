import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { localsOf, moduleBindings } from './module-bindings';
import { PROBE_PATH } from '../../detectors/lib/http-servers';

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

export type ServerKind = 'express' | 'fastify' | 'koa' | 'http' | 'nestjs';

/** A `.listen(` statement of a server the file makes, as the fixes for probes and shutdown need it. */
export interface ListenStatement {
  call: AnyNode;
  /** the statement holding the call, directly in a Program or block body */
  statement: ASTPath;
  kind: ServerKind;
  /** for `http.createServer(app)`: the framework app it serves and its variable */
  wraps: ServerKind | null;
  /** the variable routes are registered on (`app`), null when there is none to use */
  app: string | null;
  /** the variable the listen target is (`app` in `app.listen()`, `server` in `server.listen()`) */
  target: string | null;
  /** `const <stored> = app.listen(...)` */
  stored: string | null;
}

const HTTP = /^(node:)?(https?|http2)$/;
const unwrap = (n: AnyNode): AnyNode => {
  let x = n;
  while (
    x &&
    (x.type === 'AwaitExpression' ||
      x.type === 'TSAsExpression' ||
      x.type === 'TSNonNullExpression' ||
      x.type === 'ParenthesizedExpression')
  )
    x = x.type === 'AwaitExpression' ? x.argument : x.expression;
  return x;
};
const isRequireOf = (n: AnyNode, src: string): boolean =>
  n?.type === 'CallExpression' &&
  n.callee.type === 'Identifier' &&
  n.callee.name === 'require' &&
  n.arguments[0]?.value === src;

/** Every listen statement of a recognised server, in source order. */
export function listenStatements(j: JSCodeshift, root: Collection): ListenStatement[] {
  const bindings = moduleBindings(root);
  const whole = (n: string): boolean => n === 'default' || n === '*';
  const express = localsOf(bindings, (s) => s === 'express', whole);
  const fastify = localsOf(
    bindings,
    (s) => s === 'fastify',
    (n) => whole(n) || n === 'fastify',
  );
  const koa = localsOf(bindings, (s) => s === 'koa', whole);
  const httpModules = localsOf(bindings, (s) => HTTP.test(s), whole);
  const createServer = localsOf(
    bindings,
    (s) => HTTP.test(s),
    (n) => n === 'createServer',
  );
  const nest = localsOf(
    bindings,
    (s) => s === '@nestjs/core',
    (n) => n === 'NestFactory',
  );
  const apps = new Map<string, { kind: ServerKind; wraps: ServerKind | null; app: string | null }>();

  const classify = (raw: AnyNode): { kind: ServerKind; wraps: ServerKind | null; app: string | null } | null => {
    const n = unwrap(raw);
    if (!n) return null;
    if (n.type === 'Identifier') return apps.get(n.name) ?? null;
    if (n.type === 'NewExpression' && n.callee.type === 'Identifier' && koa.has(n.callee.name))
      return { kind: 'koa', wraps: null, app: null };
    if (n.type !== 'CallExpression') return null;
    const c = n.callee;
    if (isRequireOf(c, 'express') || (c.type === 'Identifier' && express.has(c.name)))
      return { kind: 'express', wraps: null, app: null };
    if (isRequireOf(c, 'fastify') || (c.type === 'Identifier' && fastify.has(c.name)))
      return { kind: 'fastify', wraps: null, app: null };
    const isCreate =
      (c.type === 'Identifier' && createServer.has(c.name)) ||
      (c.type === 'MemberExpression' &&
        c.object.type === 'Identifier' &&
        httpModules.has(c.object.name) &&
        c.property.name === 'createServer');
    if (isCreate) {
      const arg = n.arguments.find((a: AnyNode) => a.type === 'Identifier' && apps.has(a.name));
      const inner = arg ? apps.get(arg.name)! : null;
      return {
        kind: 'http',
        wraps: inner ? (inner.wraps ?? inner.kind) : null,
        app: inner ? (inner.app ?? arg.name) : null,
      };
    }
    if (
      c.type === 'MemberExpression' &&
      c.object.type === 'Identifier' &&
      nest.has(c.object.name) &&
      c.property.name === 'create'
    )
      return { kind: 'nestjs', wraps: null, app: null };
    return null;
  };

  root.find(j.VariableDeclarator).forEach((p) => {
    const id = p.node.id as AnyNode;
    if (id.type !== 'Identifier') return;
    const kind = classify(p.node.init);
    if (kind) apps.set(id.name, { ...kind, app: kind.app ?? (kind.kind === 'http' ? null : id.name) });
  });

  const out: ListenStatement[] = [];
  root.find(j.CallExpression).forEach((p) => {
    const callee = p.node.callee as AnyNode;
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.name !== 'listen') return;
    const kind = classify(callee.object);
    if (!kind) return;
    let s: ASTPath = p;
    let stored: string | null = null;
    while (s.parent && !['Program', 'BlockStatement'].includes(s.parent.node.type)) {
      if (s.parent.node.type === 'VariableDeclarator' && s.parent.node.id.type === 'Identifier')
        stored = s.parent.node.id.name;
      s = s.parent;
    }
    if (!s.parent) return;
    const target = unwrap(callee.object);
    out.push({
      call: p.node,
      statement: s,
      ...kind,
      target: target.type === 'Identifier' ? target.name : null,
      stored,
    });
  });
  return out;
}

/** The names declared directly in the block (or program) holding a statement. */
export function namesInBlock(statement: ASTPath): Set<string> {
  const names = new Set<string>();
  for (const s of (statement.parent?.node.body ?? []) as AnyNode[]) {
    const d = s.type === 'ExportNamedDeclaration' && s.declaration ? s.declaration : s;
    if (d.type === 'VariableDeclaration')
      for (const v of d.declarations) if (v.id.type === 'Identifier') names.add(v.id.name);
    if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) names.add(d.id.name);
    if (d.type === 'ImportDeclaration') for (const sp of d.specifiers ?? []) names.add(sp.local.name);
  }
  return names;
}

/** Whether the file already answers a probe path anywhere (a route, a check on req.url). */
export function hasProbeRoute(j: JSCodeshift, root: Collection): boolean {
  return root
    .find(j.StringLiteral)
    .some((p) => String(p.node.value).startsWith('/') && PROBE_PATH.test(String(p.node.value)));
}
