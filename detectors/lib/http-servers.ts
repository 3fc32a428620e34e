import type { CallExpression, File, Node } from '@babel/types';
import type { DetectorContext } from '../../src/detect/detector-api';
import type { NodePath, Visitors } from '../../src/parse/walk';
import { requireSource, type ImportIndex } from '../../src/parse/imports';
import { literalText, propertyName } from './node-text';
import { isWrapper, unwrap } from './unwrap';

/**
 * The HTTP server model: which long-running servers a file makes (framework, the variable that
 * holds the app, the http server wrapping it), where they listen, how many routes they serve,
 * and which paths are probes. Detectors read it through `useServerModel`; the probe and shutdown
 * fixes read the same classification through `ServerApps` over their recast AST (the same Babel
 * node shapes, the same import index), so detection and fix never disagree on what a server is.
 */

/** The long-running servers the production-readiness rules know how to recognise. */
export type ServerFramework = 'express' | 'fastify' | 'koa' | 'http' | 'nestjs' | 'hono';

/** What an expression or variable holds, when it is a server or an app. */
export interface ServerApp {
  framework: ServerFramework;
  /** for `http.createServer(app)`: the framework of the wrapped app */
  wraps: ServerFramework | null;
  /** the variable routes are registered on: the app's own, or the app an http server serves; null when none */
  app: string | null;
  /** `http.createServer(handler)` with a handler imported or built out of sight: it may answer probes itself */
  external: boolean;
}

/** A `.listen(` of a server made in this file. */
export interface ListenSite extends ServerApp {
  call: CallExpression;
  path: NodePath;
  /** the variable the listen target is held in (`app` in `app.listen()`), null for a chained call */
  target: string | null;
  /** the variable the listen result is stored in (`const server = app.listen()`), if any */
  stored: string | null;
}

export interface ServerModel {
  /** the apps made in this file, by variable; `at` is the expression that made it (`express()`, `new Koa()`) */
  apps: Map<string, ServerApp & { at: Node }>;
  /** the listens of known servers; call at Program:exit (resolved once, whichever detector asks first) */
  listens(): ListenSite[];
  /** the other listens: targets that are not a server made in this file (an imported app), resolved with listens() */
  otherListens(): Array<{ call: CallExpression; target: string | null }>;
  /** route registrations with a literal path (`app.get('/x', h)`, `fastify.route({ url })`) */
  routes: number;
  /** routers of project modules mounted under a literal path (`app.use('/api/runs', runRouter)`) */
  mounts: number;
  /** route plugins of project modules registered on a Fastify app (`app.register(routes, { prefix: '/v1' })`) */
  plugins: number;
  /**
   * The listens of servers held in a field of a class of this file (`this.server = fastify()`,
   * `this.server.listen()`): the class's callers, in other files, start and stop them.
   */
  fieldListens(): ListenSite[];
}

/** node:http and its kin: their createServer makes a server. */
export const HTTP_SOURCE = /^(node:)?(http|https|http2)$/;
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options']);
/** A path segment naming a probe: /health, /healthz, /readyz, /live, /ping, /status ... */
export const PROBE_PATH = /(^|\/)_?(health|ready|readiness|live|livez|liveness|ping|status)[\w-]*(\/|\?|$)/i;
/** Adapters that run an app inside Lambda: such a file's server never listens in production. */
export const SERVERLESS_ADAPTER =
  /^(serverless-http|@vendia\/serverless-express|@codegenie\/serverless-express|aws-serverless-express|@fastify\/aws-lambda|aws-lambda-fastify|@hono\/aws-lambda)$/;
/** Test and tooling paths: servers there are fixtures, not services. */
export const NON_SERVICE_PATH =
  /(^|\/)(scripts?|bin|__tests__|__mocks__|__fixtures__|test|tests|e2e)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

/** Whether a string names a probe route (`/healthz`, `/api/ready`): a path, with a probe segment. */
export function isProbePath(value: string): boolean {
  return value.startsWith('/') && PROBE_PATH.test(value);
}

const isWhole = (imported: string | undefined): boolean => imported === 'default' || imported === '*';

/**
 * The servers and apps of one file, by variable, classified from its module bindings. Bind
 * every `x = <init>` in source order, then classify listen targets.
 */
export class ServerApps {
  readonly apps = new Map<string, ServerApp & { at: Node }>();
  constructor(private readonly imports: ImportIndex) {}

  private imported(local: string): { source: string; name: string } | null {
    const b = this.imports.byLocal.get(local);
    return b ? { source: b.source, name: b.imported } : null;
  }

  /** Records `id = init` when init makes a server or app. */
  bind(id: Node, init: Node | null | undefined): void {
    if (id.type !== 'Identifier' || !init) return;
    const kind = this.classify(init);
    if (kind)
      this.apps.set(id.name, { ...kind, app: kind.app ?? (kind.framework === 'http' ? null : id.name), at: init });
  }

  /** What server or app an expression makes or holds, or null. */
  classify(raw: Node | null | undefined): ServerApp | null {
    const node = unwrap(raw, { await: true });
    if (!node) return null;
    if (node.type === 'Identifier') return this.apps.get(node.name) ?? null;
    const app = (framework: ServerFramework): ServerApp => ({ framework, wraps: null, app: null, external: false });
    if (node.type === 'NewExpression' && node.callee.type === 'Identifier') {
      const from = this.imported(node.callee.name);
      if (from?.source === 'koa' && isWhole(from.name)) return app('koa');
      if (from?.source === 'hono' && from.name === 'Hono') return app('hono');
      return null;
    }
    if (node.type !== 'CallExpression') return null;
    const callee = node.callee;
    const loaded = requireSource(callee);
    if (loaded === 'express' || loaded === 'fastify') return app(loaded);
    if (callee.type === 'Identifier') {
      const from = this.imported(callee.name);
      if (from?.source === 'express' && isWhole(from.name)) return app('express');
      if (from?.source === 'fastify' && (isWhole(from.name) || from.name === 'fastify')) return app('fastify');
      if (from && HTTP_SOURCE.test(from.source) && from.name === 'createServer') return this.httpServer(node);
    }
    if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier') {
      const from = this.imported(callee.object.name);
      const prop = propertyName(callee);
      if (prop === 'createServer' && from && HTTP_SOURCE.test(from.source) && isWhole(from.name))
        return this.httpServer(node);
      if (prop === 'create' && from?.source === '@nestjs/core' && from.name === 'NestFactory') return app('nestjs');
    }
    return null;
  }

  /** `http.createServer(handler)`: the handler decides what it serves; one from out of sight may serve probes. */
  private httpServer(call: CallExpression): ServerApp {
    const server = { framework: 'http' as const, wraps: null, app: null, external: false };
    const handler = call.arguments.find((a) => a.type !== 'ObjectExpression') as Node | undefined;
    if (!handler || handler.type === 'ArrowFunctionExpression' || handler.type === 'FunctionExpression') return server;
    const inner = this.classify(handler);
    if (inner) {
      const name = unwrap(handler, { await: true });
      const app = inner.app ?? (name?.type === 'Identifier' && inner.framework !== 'http' ? name.name : null);
      return { ...server, wraps: inner.wraps ?? inner.framework, app, external: inner.external };
    }
    if (handler.type === 'Identifier') return { ...server, external: this.imports.byLocal.has(handler.name) };
    return { ...server, external: true };
  }
}

/** The variable a value ends up in: `const x = <value>` or `x = <value>`, looking through `await`. */
export function storedIn(path: NodePath): string | null {
  let p = path.parent;
  while (p && isWrapper(p.node, { await: true })) p = p.parent;
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

/** `this.server`: the name of a field of `this`, or null. */
function thisField(node: Node | null | undefined): string | null {
  const n = unwrap(node, { await: true });
  return n?.type === 'MemberExpression' && n.object.type === 'ThisExpression' ? propertyName(n) : null;
}

/** `routes`, `routes(deps)`, `require('./routes')`, `import('./routes')`: a plugin from the project's own modules. */
function projectModuleOf(ctx: DetectorContext, node: Node | undefined): boolean {
  const n = unwrap(node, { await: true });
  if (!n) return false;
  if (n.type === 'Identifier') return !!ctx.imports.sourceOf(n.name)?.startsWith('.');
  if (n.type !== 'CallExpression') return false;
  const loaded = requireSource(n) ?? (n.callee.type === 'Import' ? literalText(n.arguments[0] as Node) : null);
  return loaded ? loaded.startsWith('.') : projectModuleOf(ctx, n.callee);
}

function collect(ctx: DetectorContext): Collected {
  const pending: Array<{ call: CallExpression; path: NodePath; targetNode: Node }> = [];
  const servers = new ServerApps(ctx.imports);
  /** servers held in fields of `this`, by field name */
  const fields = new Map<string, ServerApp>();
  let resolved: ListenSite[] | null = null;
  const others: Array<{ call: CallExpression; target: string | null }> = [];
  const model: ServerModel = {
    apps: servers.apps,
    routes: 0,
    mounts: 0,
    plugins: 0,
    fieldListens() {
      const out: ListenSite[] = [];
      for (const { call, path, targetNode } of pending) {
        const field = thisField(targetNode);
        const kind = field ? fields.get(field) : undefined;
        if (kind) out.push({ call, path, ...kind, target: null, stored: storedIn(path) });
      }
      return out;
    },
    otherListens() {
      model.listens();
      return others;
    },
    listens() {
      if (resolved) return resolved;
      resolved = [];
      for (const { call, path, targetNode } of pending) {
        const kind = servers.classify(targetNode);
        const t = unwrap(targetNode, { await: true });
        if (!kind) {
          others.push({ call, target: t?.type === 'Identifier' ? t.name : null });
          continue;
        }
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
  const bind = (id: Node, init: Node | null | undefined): void => servers.bind(id, init);

  const visitors: Visitors = {
    VariableDeclarator(path: NodePath) {
      const node = path.node as Node & { id: Node; init?: Node | null };
      bind(node.id, node.init);
    },
    AssignmentExpression(path: NodePath) {
      const node = path.node as Node & { left: Node; right: Node };
      bind(node.left, node.right);
      const field = thisField(node.left);
      const kind = field ? servers.classify(node.right) : null;
      if (field && kind) fields.set(field, kind);
    },
    CallExpression(path: NodePath<CallExpression>) {
      const call = path.node;
      const callee = call.callee;
      if (callee.type !== 'MemberExpression') return;
      const method = propertyName(callee);
      if (method === 'listen') pending.push({ call, path, targetNode: callee.object });
      const first = call.arguments[0] as Node | undefined;
      const routePath = literalText(first);
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
      // `app.register(routes, { prefix: '/v1' })` on a Fastify app, the plugin from a project module: its routes are served here
      if (method === 'register' && projectModuleOf(ctx, first)) {
        const field = thisField(callee.object);
        const app = field ? fields.get(field) : servers.classify(callee.object);
        if (app?.framework === 'fastify') model.plugins++;
      }
      // `app.use('/api/runs', runRouter)` with the router from a project module: its routes are served here
      if (method === 'use' && routePath?.startsWith('/') && !PROBE_PATH.test(routePath)) {
        const mounted = call.arguments.slice(1).some((a) => {
          const src = a.type === 'Identifier' ? ctx.imports.sourceOf(a.name) : requireSource(a as Node);
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
