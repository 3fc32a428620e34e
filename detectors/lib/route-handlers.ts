import type { CallExpression, File, Node } from '@babel/types';
import type { DetectorContext } from '../../src/detect/detector-api';
import type { RouteFramework } from '../../src/contract-types';
import { isFunctionNode, type NodePath, type Visitors } from '../../src/parse/walk';
import { useServerModel } from './http-servers';
import { exportedFunctions, topLevelBindings } from './lambda-handlers';
import { patternNames } from './local-scope';
import { literalText, propertyName } from './node-text';
import { lowestMajor, nearestDependencies } from './package-manifests';
import { unwrap } from './unwrap';

/*
 * The route part of the HTTP-server model: which functions a file registers as Express,
 * Fastify or Koa route handlers (`app.get('/x', h)`, `router.post(...)`, `app.route('/x').get(h)`,
 * `fastify.route({ handler })`, `koaRouter.get(...)`, `app.use(h)`), and whether the framework
 * turns a rejected handler into an error answer. Express 4 does not: a rejected async handler
 * is an unhandled rejection, which stops a Node 20 process.
 */

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'head', 'options', 'use']);
/** Libraries that make Express 4 pass a rejected handler to `next(err)`. */
const EXPRESS_ASYNC_PATCHES = [
  'express-async-errors',
  '@awaitjs/express',
  'express-promise-router',
  'express-async-router',
];
const KOA_ROUTERS = new Set(['@koa/router', 'koa-router']);
/** Parameter names that hold an Express app or router handed in by the caller (`module.exports = (app) => {...}`). */
const EXPRESS_PARAMS = /^(app|router|api|server)$/;
const FASTIFY_PARAMS = /^(fastify|instance|app|server)$/;

export interface RouteHandler {
  /** the handler function: inline, or a function of this file registered by name */
  fn: Node;
  framework: RouteFramework;
  /** the registration call; null for an exported controller registered in another file */
  call: CallExpression | null;
  /** `get`, `post`, `use`, `route` ..., `exported` for a controller */
  method: string;
  /** registered by name: the top-level binding */
  named: string | null;
}

/** A handler registered by a name this file does not define (an import, `controller.show`). */
export interface HandlerReference {
  node: Node;
  framework: RouteFramework;
}

export interface RouteModel {
  /** Express routes of this file turn a rejection into an answer (Express 5 or an async-errors patch) */
  expressCatches: boolean;
  /** resolved at `Program:exit` */
  handlers(): RouteHandler[];
  references(): HandlerReference[];
}

interface Pending {
  call: CallExpression;
  path: NodePath;
  receiver: Node;
  method: string;
}

function isRequireOf(node: Node | null | undefined, source: string): boolean {
  return (
    !!node &&
    node.type === 'CallExpression' &&
    node.callee.type === 'Identifier' &&
    node.callee.name === 'require' &&
    literalText(node.arguments[0] as Node) === source
  );
}

/** Whether Express turns rejected handlers of this file into errors: Express 5, or a patch library loaded. */
export function expressCatchesRejections(ctx: DetectorContext): boolean {
  if (
    EXPRESS_ASYNC_PATCHES.some((p) => ctx.imports.sources.has(p)) ||
    sideEffectLoads(ctx).some((s) => EXPRESS_ASYNC_PATCHES.includes(s))
  )
    return true;
  const deps = nearestDependencies(ctx.project, ctx.file.path);
  if (!deps) return false;
  if (EXPRESS_ASYNC_PATCHES.some((p) => p in deps)) return true;
  const major = deps.express ? lowestMajor(deps.express) : null;
  return major !== null && major >= 5;
}

/** `import 'x'` and a bare `require('x')` statement: loaded for their side effects (a patch). */
function sideEffectLoads(ctx: DetectorContext): string[] {
  const out: string[] = [];
  for (const stmt of ctx.ast.program.body) {
    if (stmt.type === 'ImportDeclaration' && stmt.specifiers.length === 0) out.push(stmt.source.value);
    if (stmt.type === 'ExpressionStatement' && isRequireCall(stmt.expression))
      out.push(literalText((stmt.expression as CallExpression).arguments[0] as Node) ?? '');
  }
  return out;
}

function isRequireCall(node: Node): boolean {
  return node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require';
}

function collect(ctx: DetectorContext): { model: RouteModel; visitors: Visitors } {
  const server = useServerModel(ctx);
  const routers = new Map<string, RouteFramework>();
  const pending: Pending[] = [];
  const expressLocals = new Set(
    ctx.imports.localsOf('express').filter((l) => ['default', '*'].includes(ctx.imports.byLocal.get(l)!.imported)),
  );
  const expressRouter = new Set(ctx.imports.localsOf('express', 'Router'));
  const koaRouter = new Set([...KOA_ROUTERS].flatMap((s) => ctx.imports.localsOf(s)));
  const deps = nearestDependencies(ctx.project, ctx.file.path) ?? {};
  const fastifyFile = ctx.imports.sources.has('fastify') || ctx.imports.sources.has('fastify-plugin');
  const expressOnly = 'express' in deps && !('fastify' in deps) && !('koa' in deps);

  /** `express.Router()`, `Router()`, `require('express').Router()`, `new KoaRouter()`. */
  const routerKind = (raw: Node | null | undefined): RouteFramework | null => {
    const n = unwrap(raw, { await: true });
    if (!n) return null;
    if (n.type === 'CallExpression' || n.type === 'NewExpression') {
      const c = n.callee;
      if (c.type === 'Identifier' && expressRouter.has(c.name)) return 'express';
      if (c.type === 'Identifier' && koaRouter.has(c.name) && n.type === 'NewExpression') return 'koa';
      if (c.type === 'MemberExpression' && propertyName(c) === 'Router') {
        if ((c.object.type === 'Identifier' && expressLocals.has(c.object.name)) || isRequireOf(c.object, 'express'))
          return 'express';
      }
    }
    return null;
  };

  /** The framework of a receiver expression, or null when it is not a known app or router. */
  const receiverKind = (raw: Node, path: NodePath): RouteFramework | null => {
    const n = unwrap(raw, { await: true });
    if (!n) return null;
    if (n.type === 'Identifier') {
      const router = routers.get(n.name);
      if (router) return router;
      const app = server.model.apps.get(n.name);
      if (app)
        return app.framework === 'express' || app.framework === 'fastify' || app.framework === 'koa'
          ? app.framework
          : null;
      if (isParameter(path, n.name)) {
        if (fastifyFile && FASTIFY_PARAMS.test(n.name)) return 'fastify';
        if (!fastifyFile && expressOnly && EXPRESS_PARAMS.test(n.name)) return 'express';
      }
      return null;
    }
    // app.route('/x').get(h).post(h2)
    if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression') {
      const m = propertyName(n.callee);
      if (m === 'route' || (m && ROUTE_METHODS.has(m))) return receiverKind(n.callee.object, path);
    }
    return null;
  };

  let resolved: { handlers: RouteHandler[]; references: HandlerReference[] } | null = null;
  const resolve = (): { handlers: RouteHandler[]; references: HandlerReference[] } => {
    if (resolved) return resolved;
    resolved = { handlers: [], references: [] };
    const locals = topLevelBindings(ctx.ast.program);
    for (const p of pending) {
      const framework = receiverKind(p.receiver, p.path);
      if (!framework) continue;
      // app.route('/x').get(h): the path was given to route()
      const chained = unwrap(p.receiver, { await: true })?.type === 'CallExpression';
      for (const arg of handlerArguments(p.call, p.method, framework, chained)) {
        const n = unwrap(arg, { await: true });
        if (!n) continue;
        if (isFunctionNode(n)) {
          resolved.handlers.push({ fn: n, framework, call: p.call, method: p.method, named: null });
        } else if (n.type === 'Identifier') {
          const bound = locals.get(n.name);
          const fn = bound && isFunctionNode(bound) ? bound : null;
          if (fn) resolved.handlers.push({ fn, framework, call: p.call, method: p.method, named: n.name });
          else resolved.references.push({ node: n, framework });
        } else if (n.type === 'MemberExpression') {
          resolved.references.push({ node: n, framework });
        }
        // a call (`asyncHandler(fn)`, `auth.required()`) is a wrapper or a middleware factory: not followed
      }
    }
    // controllers: `exports.show = async (req, res) => {...}` registered by a router file elsewhere
    if (expressOnly) {
      const known = new Set(resolved.handlers.map((h) => h.fn));
      for (const e of exportedFunctions(ctx.ast.program)) {
        // exported as the function itself: `asyncHandler(async (req, res) => ...)` is wrapped, not a bare handler
        if (e.fn && !known.has(e.fn) && isBareExport(e.site, e.fn, locals) && looksLikeRequestHandler(e.fn)) {
          known.add(e.fn);
          resolved.handlers.push({
            fn: e.fn,
            framework: 'express',
            call: null,
            method: 'exported',
            named: e.exportName,
          });
        }
      }
    }
    return resolved;
  };

  const expressCatches = expressCatchesRejections(ctx);
  const model: RouteModel = {
    expressCatches,
    handlers: () => resolve().handlers,
    references: () => resolve().references,
  };
  const bind = (id: Node, init: Node | null | undefined): void => {
    if (id.type !== 'Identifier') return;
    const kind = routerKind(init);
    if (kind) routers.set(id.name, kind);
  };
  const visitors: Visitors = {
    ...server.visitors,
    VariableDeclarator(path: NodePath) {
      server.visitors.VariableDeclarator?.(path);
      const node = path.node as Node & { id: Node; init?: Node | null };
      bind(node.id, node.init);
    },
    CallExpression(path: NodePath<CallExpression>) {
      server.visitors.CallExpression?.(path);
      const callee = path.node.callee;
      if (callee.type !== 'MemberExpression') return;
      const method = propertyName(callee);
      if (!method || (!ROUTE_METHODS.has(method) && method !== 'route')) return;
      pending.push({ call: path.node, path, receiver: callee.object, method });
    },
  };
  return { model, visitors };
}

/** The arguments of a registration that are handlers: after the path (and Fastify's options), or `route({ handler })`. */
function handlerArguments(call: CallExpression, method: string, framework: RouteFramework, chained: boolean): Node[] {
  const args = call.arguments as Node[];
  if (method === 'route') {
    const first = args[0];
    if (framework === 'fastify' && first?.type === 'ObjectExpression') {
      return first.properties.flatMap((p) =>
        p.type === 'ObjectProperty' && !p.computed && p.key.type === 'Identifier' && p.key.name === 'handler'
          ? [p.value as Node]
          : p.type === 'ObjectMethod' && p.key.type === 'Identifier' && p.key.name === 'handler'
            ? [p as Node]
            : [],
      );
    }
    return [];
  }
  const first = unwrap(args[0], { await: true });
  const hasPath =
    !!first &&
    (literalText(first) !== null ||
      first.type === 'RegExpLiteral' ||
      (first.type === 'ArrayExpression' && first.elements.every((e) => e && literalText(e) !== null)));
  if (method !== 'use' && !hasPath && !chained) return [];
  const rest = args.slice(hasPath ? 1 : 0);
  // fastify.get(path, { schema }, handler): the options object is not a handler
  const flat = rest.flatMap((a) => (a.type === 'ArrayExpression' ? (a.elements.filter(Boolean) as Node[]) : [a]));
  return flat.filter((a) => a.type !== 'ObjectExpression' && a.type !== 'SpreadElement');
}

/** Whether an export site holds the function itself (or a name bound to it), not a call wrapping it. */
function isBareExport(site: Node, fn: Node, locals: Map<string, Node>): boolean {
  const value =
    site.type === 'VariableDeclarator'
      ? site.init
      : site.type === 'AssignmentExpression'
        ? site.right
        : site.type === 'ObjectProperty'
          ? site.value
          : site.type === 'ExportSpecifier'
            ? site.local
            : site.type === 'ExportNamedDeclaration' || site.type === 'ObjectMethod'
              ? fn
              : null;
  const n = unwrap(value as Node | null, { await: true });
  if (!n) return false;
  if (n === fn) return true;
  return n.type === 'Identifier' && locals.get(n.name) === fn;
}

/** `(req, res)` / `(request, response, next)`: the signature of an Express handler. */
function looksLikeRequestHandler(fn: Node): boolean {
  const params = (fn as Node & { params: Node[] }).params;
  const name = (p: Node | undefined): string => (p?.type === 'Identifier' ? p.name : '');
  return (
    params.length >= 2 &&
    params.length <= 3 &&
    /^_?(req|request)$/.test(name(params[0])) &&
    /^_?(res|response)$/.test(name(params[1]))
  );
}

function isParameter(path: NodePath, name: string): boolean {
  for (let p: NodePath | null = path.parent; p; p = p.parent) {
    if (isFunctionNode(p.node)) {
      const fn = p.node as Node & { params: Node[] };
      if (fn.params.some((param) => patternNames(param).includes(name))) return true;
    }
  }
  return false;
}

const models = new WeakMap<File, RouteModel>();

/**
 * The file's route handlers, shared by the detectors that ask: the first gets the collecting
 * visitors (the server model's included) to return from `create`; later ones get none. Read
 * it in `Program:exit`.
 */
export function useRouteModel(ctx: DetectorContext): { model: RouteModel; visitors: Visitors } {
  const existing = models.get(ctx.ast);
  if (existing) return { model: existing, visitors: {} };
  const collected = collect(ctx);
  models.set(ctx.ast, collected.model);
  return collected;
}
