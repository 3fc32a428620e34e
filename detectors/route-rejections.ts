import type { CallExpression, Node } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import type { NodePath, Visitors } from '../src/parse/walk';
import { calleeName, isCall, someDescendant } from './lib/descendants';
import { awaitsDependency, firstUnprotectedAwait } from './lib/rejection-handling';
import { useRouteModel } from './lib/route-handlers';
import { NON_SERVICE_PATH, useServerModel } from './lib/http-servers';
import { lowestMajor, nearestDependencies } from './lib/package-manifests';
import { moduleSpecifierPattern } from './lib/dependency-triggers';
import { propertyName } from './lib/node-text';
import type { RouteHandler } from './lib/route-handlers';
import { mergeVisitors } from '../src/parse/merge-visitors';
import { unwrap } from './lib/unwrap';

const RULE = 'unhandled-route-rejection';

/** `getPaymentStatus(...)`, `db.send(...)`: what the route awaits, for the message. */
function awaitedName(node: Node): string {
  const arg = node.type === 'AwaitExpression' ? unwrap(node.argument, { await: true }) : null;
  if (!arg) return 'an async iterator';
  if (isCall(arg)) {
    const callee = arg.callee;
    const name = calleeName(callee);
    if (callee.type === 'MemberExpression' && name) {
      const object = unwrap(callee.object, { await: true });
      const base = object?.type === 'Identifier' ? `${object.name}.` : object?.type === 'ThisExpression' ? 'this.' : '';
      return `\`${base}${name}(...)\``;
    }
    if (name) return `\`${name}(...)\``;
  }
  return 'a promise';
}

const FRAMEWORK_NAMES = { fastify: 'Fastify', koa: 'Koa' } as const;
type AnswerFramework = keyof typeof FRAMEWORK_NAMES;

/** A handler that hands back a call's promise (`async () => load()`, `return findOrder(id)`): Fastify answers its rejection. */
function returnedCall(fn: Node): Node | null {
  const body = (fn as Node & { body: Node }).body;
  const returned =
    body.type === 'BlockStatement'
      ? body.body.flatMap((st) => (st.type === 'ReturnStatement' && st.argument ? [st.argument] : []))
      : [body];
  return (
    returned.map((r) => unwrap(r, { await: true })).find((r): r is Node => !!r && isCall(r) && awaitsDependency(r)) ??
    null
  );
}

/** `await next()` inside a try with a catch: a Koa middleware that answers failures itself. */
function catchesDownstream(fn: Node): boolean {
  const body = (fn as Node & { body: Node }).body;
  return someDescendant(
    body,
    (n) =>
      n.type === 'TryStatement' &&
      !!n.handler &&
      someDescendant(
        n.block,
        (m) => m.type === 'AwaitExpression' && isCall(m.argument) && calleeName(m.argument.callee) === 'next',
      ),
  );
}

/**
 * The Fastify/Koa apps of this file that answer every failing route with their default 500:
 * no `setErrorHandler` (Fastify) and no middleware catching `await next()` (Koa), while a route
 * of the file awaits something that can fail, or routes come from other modules
 * (`app.register(routes)`, `app.use(router.routes())`).
 */
/** What the file's calls on an app say: `app.setErrorHandler(...)` answers failures; `app.register(...)`, `app.use(router.routes())` bring routes from elsewhere. */
interface AppCalls {
  answered: Set<string>;
  delegates: Set<string>;
}

/** Collects the app calls during the shared traversal. */
function appCallVisitor(calls: AppCalls): Visitors {
  return {
    CallExpression(path: NodePath<CallExpression>) {
      const n = path.node;
      if (n.callee.type !== 'MemberExpression' || n.callee.object.type !== 'Identifier') return;
      const method = propertyName(n.callee);
      const app = n.callee.object.name;
      if (method === 'setErrorHandler') calls.answered.add(app);
      if (method === 'register') calls.delegates.add(app);
      if (method === 'use' && n.arguments.some((a: Node) => isCall(a) && calleeName(a.callee) === 'routes'))
        calls.delegates.add(app);
    },
  };
}

function appsWithDefaultAnswers(
  ctx: DetectorContext,
  handlers: RouteHandler[],
  calls: AppCalls,
): Array<{ name: string; framework: AnswerFramework; at: Node; awaitLine: number | null }> {
  const { model } = useServerModel(ctx);
  const apps = [...model.apps].filter(([, a]) => a.framework === 'fastify' || a.framework === 'koa');
  if (!apps.length) return [];
  const answered = new Set(calls.answered);
  const { delegates } = calls;
  for (const h of handlers) {
    if (h.framework === 'koa' && h.method === 'use' && h.call && catchesDownstream(h.fn)) {
      const receiver = h.call.callee.type === 'MemberExpression' ? h.call.callee.object : null;
      if (receiver?.type === 'Identifier') answered.add(receiver.name);
    }
  }
  const out: Array<{ name: string; framework: AnswerFramework; at: Node; awaitLine: number | null }> = [];
  for (const [name, app] of apps) {
    const framework = app.framework as AnswerFramework;
    if (answered.has(name)) continue;
    const exposed =
      handlers
        .filter((h) => h.framework === framework)
        .map(
          (h) =>
            ((h.fn as Node & { async?: boolean }).async ? firstUnprotectedAwait(h.fn) : null) ?? returnedCall(h.fn),
        )
        .find((a) => a !== null) ?? null;
    if (!exposed && !delegates.has(name)) continue;
    out.push({ name, framework, at: app.at, awaitLine: exposed?.loc?.start.line ?? null });
  }
  return out;
}

/**
 * An async Express 4 route handler that awaits something outside any try/catch: Express 4
 * does not catch the rejected promise, so a failing dependency becomes an unhandled rejection
 * that stops the Node 20 process (and every request in flight with it). Express 5, the
 * express-async-errors family, handlers wrapped in a helper (`asyncHandler(fn)`), Fastify and
 * Koa pass the failure to an error handler instead. Fastify and Koa apps are reported only when
 * they have no error handler of their own: their default answers every failure 500, so a
 * dependency that is down gets no 503 with Retry-After (the process stays up there).
 */
function create(ctx: DetectorContext) {
  const { model, visitors } = useRouteModel(ctx);
  const calls: AppCalls = { answered: new Set(), delegates: new Set() };
  return mergeVisitors(visitors, appCallVisitor(calls), {
    'Program:exit'() {
      if (NON_SERVICE_PATH.test(ctx.file.path)) return;
      for (const app of appsWithDefaultAnswers(ctx, model.handlers(), calls)) {
        const name = FRAMEWORK_NAMES[app.framework];
        const deps = nearestDependencies(ctx.project, ctx.file.path);
        const major = deps?.[app.framework] ? lowestMajor(deps[app.framework]!) : null;
        const where = app.awaitLine
          ? `a route calls a dependency (line ${app.awaitLine})`
          : 'its routes are registered from other modules';
        ctx.report({
          ruleId: RULE,
          node: app.at,
          messageId: 'appWithoutErrorHandler',
          message: `${name} app \`${app.name}\` has no error handler and ${where}: ${name}'s default answers every failure 500, so a dependency that is down gets no 503 with Retry-After`,
          data: { framework: app.framework, app: app.name, awaitLine: app.awaitLine, frameworkMajor: major },
        });
      }
      if (model.expressCatches) return;
      const seen = new Set<Node>();
      for (const h of model.handlers()) {
        if (h.framework !== 'express' || seen.has(h.fn)) continue;
        seen.add(h.fn);
        if (!(h.fn as Node & { async?: boolean }).async) continue;
        const exposed = firstUnprotectedAwait(h.fn);
        if (!exposed) continue;
        ctx.report({
          ruleId: RULE,
          node: h.fn,
          // the head of the handler (`async (req, res)`), not its whole body
          endNode: (h.fn as Node & { params: Node[] }).params.at(-1),
          messageId: 'asyncHandlerUnguardedAwait',
          message: `async Express 4 route handler awaits ${awaitedName(exposed)} (line ${exposed.loc?.start.line ?? '?'}) outside try/catch: a rejection is not passed to next() and crashes the process`,
          data: { framework: 'express', method: h.method, named: h.named, awaitLine: exposed.loc?.start.line ?? null },
        });
      }
    },
  });
}

const routeRejections: CodeDetector = {
  name: 'route-rejections',
  ruleIds: [RULE],
  // an app or router made here or handed in (`module.exports = (app) => { app.get(...) }`), or an exported controller
  triggers: [
    moduleSpecifierPattern(['express', 'fastify', 'koa']),
    'Router',
    /\b(?:app|router|api|server|fastify|instance)\.(?:get|post|put|patch|delete|del|all|head|options|use|route|register)\s*\(/,
    'req, res',
    'req,res',
    'request, response',
  ],
  create,
};

export default routeRejections;
