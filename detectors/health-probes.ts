import type { CallExpression, Node } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import type { NodePath } from '../src/parse/walk';
import { literalText, objectProperty, propertyName } from './lib/node-text';
import { HTTP_SOURCE, isProbePath, PROBE_PATH, useServerModel } from './lib/http-servers';
import { mergeVisitors } from '../src/parse/merge-visitors';

const RULE = 'no-health-probes';

const FRAMEWORK_SOURCES: ReadonlyArray<[RegExp, string]> = [
  [/^express$/, 'express'],
  [/^fastify$/, 'fastify'],
  [/^koa$/, 'koa'],
  [/^@nestjs\//, 'nestjs'],
  [/^(hono|@hono\/.+|hono\/.+)$/, 'hono'],
];
/** Libraries that add probe routes themselves. */
const HEALTH_LIBRARY = /terminus|health|lightship/i;
const ROUTE_METHODS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'del',
  'all',
  'head',
  'options',
  'use',
  'route',
]);
const NEST_ROUTE_DECORATORS = new Set([
  'Get',
  'Post',
  'Put',
  'Patch',
  'Delete',
  'All',
  'Head',
  'Options',
  'Controller',
]);
/** Relative imports that probably register routes somewhere else. */
const ROUTER_MODULE = /rout|controller|api|health|endpoint|module|plugin|handler/i;
const ROUTER_LOCAL = /rout|controller|api|plugin/i;

function frameworkOf(source: string | undefined): string | undefined {
  if (!source) return undefined;
  return FRAMEWORK_SOURCES.find(([re]) => re.test(source))?.[1];
}

function requireOrImportSource(node: Node | null | undefined): string | null {
  if (!node || (node.type !== 'CallExpression' && node.type !== 'ImportExpression')) return null;
  if (node.type === 'ImportExpression') return literalText(node.source);
  const isLoader =
    (node.callee.type === 'Identifier' && node.callee.name === 'require') || node.callee.type === 'Import';
  return isLoader ? literalText(node.arguments[0]) : null;
}

/** Flags a long-running HTTP server whose file registers no health or readiness route. */
const healthProbes: CodeDetector = {
  name: 'health-probes',
  ruleIds: [RULE],
  triggers: ['express', 'fastify', 'koa', '@nestjs/', 'hono', 'createServer', '.listen('],
  records: ['frameworks', 'servesProbe'],
  create(ctx: DetectorContext) {
    const { model, visitors } = useServerModel(ctx);
    /** `serve(...)` of @hono/node-server: a Hono app's listen */
    const honoServes: CallExpression[] = [];
    let hasHealth = false;
    let ownRoutes = false;
    let routerImported = false;

    for (const source of ctx.imports.sources) {
      const fw = frameworkOf(source);
      if (fw) ctx.facts.frameworks.add(fw);
      if (HEALTH_LIBRARY.test(source) && !source.startsWith('.')) hasHealth = true;
      if (source === '@fastify/autoload') routerImported = true;
    }
    for (const b of ctx.imports.byLocal.values()) {
      if (b.source.startsWith('.') && (ROUTER_MODULE.test(b.source) || ROUTER_LOCAL.test(b.local)))
        routerImported = true;
    }

    const importedFrom = (name: string): string | undefined => ctx.imports.sourceOf(name);
    const noteRoute = (call: CallExpression): void => {
      const callee = call.callee;
      const first = call.arguments[0];
      if (callee.type === 'MemberExpression') {
        const method = propertyName(callee);
        if (!method || !ROUTE_METHODS.has(method)) return;
        const path = literalText(first);
        if (path !== null && call.arguments.length >= 2) {
          ownRoutes = true;
          if (PROBE_PATH.test(path)) hasHealth = true;
        } else if (method === 'route' && first?.type === 'ObjectExpression') {
          const url = literalText(objectProperty(first, 'url') ?? objectProperty(first, 'path'));
          if (url !== null) {
            ownRoutes = true;
            if (PROBE_PATH.test(url)) hasHealth = true;
          }
        }
      } else if (
        callee.type === 'Identifier' &&
        NEST_ROUTE_DECORATORS.has(callee.name) &&
        importedFrom(callee.name) === '@nestjs/common'
      ) {
        if (callee.name !== 'Controller') ownRoutes = true;
        const path = literalText(first);
        if (path !== null && PROBE_PATH.test(path)) hasHealth = true;
      }
    };

    return mergeVisitors(visitors, {
      StringLiteral(path: NodePath) {
        const value = (path.node as Node & { value: string }).value;
        if (isProbePath(value)) hasHealth = true;
      },
      CallExpression(path: NodePath<CallExpression>) {
        const call = path.node;
        const loaded = requireOrImportSource(call);
        if (loaded !== null && loaded.startsWith('.') && ROUTER_MODULE.test(loaded)) routerImported = true;
        noteRoute(call);
        const callee = call.callee;
        const createName =
          callee.type === 'Identifier'
            ? callee.name
            : callee.type === 'MemberExpression' && callee.object.type === 'Identifier'
              ? callee.object.name
              : null;
        const created = callee.type === 'Identifier' ? callee.name : propertyName(callee);
        if (created === 'createServer' && createName && HTTP_SOURCE.test(importedFrom(createName) ?? ''))
          ctx.facts.frameworks.add('http');
        if (callee.type === 'MemberExpression' && ['use', 'register'].includes(propertyName(callee) ?? '')) {
          // app.use(routes) / fastify.register(require('./plugin')) mounts routes written elsewhere
          for (const arg of call.arguments) {
            const src = arg.type === 'Identifier' ? importedFrom(arg.name) : requireOrImportSource(arg);
            if (src?.startsWith('.')) routerImported = true;
          }
        }
        if (
          callee.type === 'Identifier' &&
          callee.name === 'serve' &&
          importedFrom(callee.name) === '@hono/node-server'
        )
          honoServes.push(call);
      },
      'Program:exit'() {
        if (hasHealth) ctx.facts.servesProbe = true;
        if (hasHealth || (!ownRoutes && routerImported)) return;
        // a Heroku web dyno gets traffic once it binds $PORT: there is no probe to answer
        if (ctx.project.herokuOnly) return;
        // the first listen in the file, of a server whose handler is in sight or of an app
        // imported from another module of the project (`const app = require('./app'); app.listen()`):
        // its routes are there, so the scan keeps that one only if none of them answers a probe
        // (src/detect/probe-joins.ts)
        const sites: Array<{ call: CallExpression; framework: string | null; appModule?: string }> = [
          ...model.listens().map((l) => ({ call: l.call, framework: l.external ? null : (l.wraps ?? l.framework) })),
          ...model.otherListens().flatMap((l) => {
            const appModule = l.target ? importedFrom(l.target) : undefined;
            return appModule?.startsWith('.') ? [{ call: l.call, framework: 'imported', appModule }] : [];
          }),
          ...honoServes.map((call) => ({ call, framework: 'hono' })),
        ].sort((a, b) => (a.call.start ?? 0) - (b.call.start ?? 0));
        for (const { call, framework, appModule } of sites) {
          if (!framework) continue;
          if (appModule) {
            ctx.report({
              ruleId: RULE,
              node: call,
              messageId: 'importedAppWithoutHealthRoute',
              message: `server of the app from ${appModule} listens without a health or readiness route`,
              data: { framework, appModule },
            });
            return;
          }
          ctx.report({
            ruleId: RULE,
            node: call,
            messageId: 'serverWithoutHealthRoute',
            message: `${framework} server listens without a health or readiness route`,
            data: { framework },
          });
          return;
        }
      },
    });
  },
};

export default healthProbes;
