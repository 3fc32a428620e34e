import type { CallExpression, File, Node } from '@babel/types';
import type { DetectorContext } from '../../src/detect/detector-api';
import type { NodePath, Visitors } from '../../src/parse/walk';
import { propertyName, stringValue, unwrapExpression } from './node-text';

/** The long-running servers the production-readiness rules know how to recognise. */
export type ServerFramework = 'express' | 'fastify' | 'koa' | 'http' | 'nestjs';

/** A `.listen(` of a server made in this file. */
export interface ListenSite {
  call: CallExpression;
  path: NodePath;
  framework: ServerFramework;
  /** for `http.createServer(app)`: the framework of the wrapped app */
  wraps: ServerFramework | null;
  /** the variable the listen target is held in (`app` in `app.listen()`), null for a chained call */
  target: string | null;
  /** the variable the listen result is stored in (`const server = app.listen()`), if any */
  stored: string | null;
}

export interface ServerModel {
  /** the apps made in this file, by variable; `at` is the expression that made it (`express()`, `new Koa()`) */
  apps: Map<string, { framework: ServerFramework; wraps: ServerFramework | null; at: Node }>;
  /** the listens of known servers; call at Program:exit (resolved once, whichever detector asks first) */
  listens(): ListenSite[];
  /** route registrations with a literal path (`app.get('/x', h)`, `fastify.route({ url })`) */
  routes: number;
  /** routers of project modules mounted under a literal path (`app.use('/api/runs', runRouter)`) */
  mounts: number;
}

const HTTP_SOURCE = /^(node:)?(http|https|http2)$/;
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options']);
/** A path segment naming a probe: /health, /healthz, /readyz, /live, /ping, /status ... */
export const PROBE_PATH = /(^|\/)_?(health|ready|readiness|live|livez|liveness|ping|status)[\w-]*(\/|\?|$)/i;
/** Adapters that run an app inside Lambda: such a file's server never listens in production. */
export const SERVERLESS_ADAPTER =
  /^(serverless-http|@vendia\/serverless-express|@codegenie\/serverless-express|aws-serverless-express|@fastify\/aws-lambda|aws-lambda-fastify|@hono\/aws-lambda)$/;
/** Test and tooling paths: servers there are fixtures, not services. */
export const NON_SERVICE_PATH =
  /(^|\/)(scripts?|bin|__tests__|__mocks__|__fixtures__|test|tests|e2e)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

function loaderSource(node: Node | null | undefined): string | null {
  if (!node || node.type !== 'CallExpression') return null;
  return node.callee.type === 'Identifier' && node.callee.name === 'require' ? stringValue(node.arguments[0]) : null;
}

/** The variable a value ends up in: `const x = <value>` or `x = <value>`, looking through `await`. */
export function storedIn(path: NodePath): string | null {
  let p = path.parent;
  while (
    p &&
    (p.node.type === 'AwaitExpression' || p.node.type === 'TSAsExpression' || p.node.type === 'ParenthesizedExpression')
  )
    p = p.parent;
  if (!p) return null;
  const n = p.node;
  if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier') return n.id.name;
  if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier') return n.left.name;
  return null;
}

interface Collected {
  model: ServerModel;
  visitors: Visitors;
}

function collect(ctx: DetectorContext): Collected {
  const importedFrom = (name: string): string | undefined => ctx.imports.sourceOf(name);
  const importedName = (name: string): string | undefined => ctx.imports.byLocal.get(name)?.imported;
  const pending: Array<{ call: CallExpression; path: NodePath; targetNode: Node }> = [];
  let resolved: ListenSite[] | null = null;
  const model: ServerModel = {
    apps: new Map(),
    routes: 0,
    mounts: 0,
    listens() {
      if (resolved) return resolved;
      resolved = [];
      for (const { call, path, targetNode } of pending) {
        const kind = classify(targetNode);
        if (!kind) continue;
        const t = unwrapExpression(targetNode);
        resolved.push({
          call,
          path,
          ...kind,
          target: t?.type === 'Identifier' ? t.name : null,
          stored: storedIn(path),
        });
      }
      return resolved;
    },
  };

  const classify = (
    raw: Node | null | undefined,
  ): { framework: ServerFramework; wraps: ServerFramework | null } | null => {
    const node = unwrapExpression(raw);
    if (!node) return null;
    if (node.type === 'Identifier') return model.apps.get(node.name) ?? null;
    if (node.type === 'CallExpression') {
      const callee = node.callee;
      const loaded = loaderSource(callee);
      if (loaded === 'express' || loaded === 'fastify') return { framework: loaded, wraps: null };
      if (callee.type === 'Identifier') {
        const src = importedFrom(callee.name);
        const whole = ['default', '*'].includes(importedName(callee.name) ?? '');
        if (src === 'express' && whole) return { framework: 'express', wraps: null };
        if (src === 'fastify' && (whole || importedName(callee.name) === 'fastify'))
          return { framework: 'fastify', wraps: null };
        if (callee.name === 'createServer' && HTTP_SOURCE.test(src ?? '')) return wrapping(node);
      }
      if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier') {
        const src = importedFrom(callee.object.name);
        const prop = propertyName(callee);
        if (prop === 'createServer' && HTTP_SOURCE.test(src ?? '')) return wrapping(node);
        if (prop === 'create' && src === '@nestjs/core') return { framework: 'nestjs', wraps: null };
      }
    }
    if (node.type === 'NewExpression' && node.callee.type === 'Identifier' && importedFrom(node.callee.name) === 'koa')
      return { framework: 'koa', wraps: null };
    return null;
  };
  const wrapping = (call: CallExpression): { framework: ServerFramework; wraps: ServerFramework | null } => {
    const inner = call.arguments.map((a) => classify(a as Node)).find((c) => c !== null);
    return { framework: 'http', wraps: inner ? (inner.wraps ?? inner.framework) : null };
  };
  const bind = (id: Node, init: Node | null | undefined): void => {
    if (id.type !== 'Identifier' || !init) return;
    const kind = classify(init);
    if (kind) model.apps.set(id.name, { ...kind, at: init });
  };

  const visitors: Visitors = {
    VariableDeclarator(path: NodePath) {
      const node = path.node as Node & { id: Node; init?: Node | null };
      bind(node.id, node.init);
    },
    AssignmentExpression(path: NodePath) {
      const node = path.node as Node & { left: Node; right: Node };
      bind(node.left, node.right);
    },
    CallExpression(path: NodePath<CallExpression>) {
      const call = path.node;
      const callee = call.callee;
      if (callee.type !== 'MemberExpression') return;
      const method = propertyName(callee);
      if (method === 'listen') pending.push({ call, path, targetNode: callee.object });
      const first = call.arguments[0] as Node | undefined;
      const routePath = stringValue(first);
      // probes are answered for the platform, not for clients: they need no rate limit of their own
      if (
        method &&
        ROUTE_METHODS.has(method) &&
        call.arguments.length >= 2 &&
        routePath?.startsWith('/') &&
        !PROBE_PATH.test(routePath)
      )
        model.routes++;
      if (method === 'route' && first?.type === 'ObjectExpression') model.routes++;
      // `app.use('/api/runs', runRouter)` with the router from a project module: its routes are served here
      if (method === 'use' && routePath?.startsWith('/') && !PROBE_PATH.test(routePath)) {
        const mounted = call.arguments.slice(1).some((a) => {
          const src = a.type === 'Identifier' ? importedFrom(a.name) : loaderSource(a as Node);
          return !!src?.startsWith('.');
        });
        if (mounted) model.mounts++;
      }
    },
  };
  return { model, visitors };
}

const models = new WeakMap<File, ServerModel>();

/**
 * The file's servers, shared by the detectors that ask: the first gets the collecting
 * visitors to register (they must be returned from `create`); later ones get none.
 * Read it in `Program:exit`.
 */
export function useServerModel(ctx: DetectorContext): { model: ServerModel; visitors: Visitors } {
  const existing = models.get(ctx.ast);
  if (existing) return { model: existing, visitors: {} };
  const collected = collect(ctx);
  models.set(ctx.ast, collected.model);
  return collected;
}

/** Whether the file imports an adapter that runs its app in Lambda. */
export function usesServerlessAdapter(ctx: DetectorContext): boolean {
  for (const s of ctx.imports.sources) if (SERVERLESS_ADAPTER.test(s)) return true;
  return false;
}
