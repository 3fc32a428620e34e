import type { CallExpression, Node } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import type { NodePath } from '../src/parse/walk';
import { objectProperty, propertyName, stringValue, unwrapExpression } from './lib/node-text';
import { PROBE_PATH } from './lib/http-servers';

const RULE = 'no-health-probes';

const FRAMEWORK_SOURCES: ReadonlyArray<[RegExp, string]> = [
  [/^express$/, 'express'],
  [/^fastify$/, 'fastify'],
  [/^koa$/, 'koa'],
  [/^@nestjs\//, 'nestjs'],
  [/^(hono|@hono\/.+|hono\/.+)$/, 'hono'],
];
const HTTP_SOURCE = /^(node:)?(http|https|http2)$/;
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

type Kind = string | 'external';

function frameworkOf(source: string | undefined): string | undefined {
  if (!source) return undefined;
  return FRAMEWORK_SOURCES.find(([re]) => re.test(source))?.[1];
}

function requireOrImportSource(node: Node | null | undefined): string | null {
  if (!node || (node.type !== 'CallExpression' && node.type !== 'ImportExpression')) return null;
  if (node.type === 'ImportExpression') return stringValue(node.source);
  const isLoader =
    (node.callee.type === 'Identifier' && node.callee.name === 'require') || node.callee.type === 'Import';
  return isLoader ? stringValue(node.arguments[0]) : null;
}

/** Flags a long-running HTTP server whose file registers no health or readiness route. */
const healthProbes: CodeDetector = {
  name: 'health-probes',
  ruleIds: [RULE],
  triggers: ['express', 'fastify', 'koa', '@nestjs/', 'hono', 'createServer', '.listen('],
  records: ['frameworks', 'servesProbe'],
  create(ctx: DetectorContext) {
    const apps = new Map<string, Kind>();
    const listens: Array<{ call: CallExpression; target: Node; kind?: Kind }> = [];
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
    const importedName = (name: string): string | undefined => ctx.imports.byLocal.get(name)?.imported;

    /** What server, if any, an expression creates. */
    const classify = (raw: Node | null | undefined): Kind | undefined => {
      const node = unwrapExpression(raw);
      if (!node) return undefined;
      if (node.type === 'CallExpression') {
        const callee = node.callee;
        if (callee.type === 'Identifier') {
          const fw = frameworkOf(importedFrom(callee.name));
          if (
            (fw === 'express' || fw === 'fastify') &&
            ['default', '*', 'fastify'].includes(importedName(callee.name) ?? '')
          )
            return fw;
          if (callee.name === 'createServer' && HTTP_SOURCE.test(importedFrom(callee.name) ?? ''))
            return httpServer(node);
        }
        const loaded = requireOrImportSource(callee);
        if (loaded === 'express' || loaded === 'fastify') return loaded;
        if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier') {
          const prop = propertyName(callee);
          const src = importedFrom(callee.object.name);
          if (prop === 'create' && callee.object.name === 'NestFactory' && src === '@nestjs/core') return 'nestjs';
          if (prop === 'createServer' && HTTP_SOURCE.test(src ?? '')) return httpServer(node);
        }
      }
      if (node.type === 'NewExpression' && node.callee.type === 'Identifier') {
        const src = importedFrom(node.callee.name);
        if (src === 'koa') return 'koa';
        if (src === 'hono' && importedName(node.callee.name) === 'Hono') return 'hono';
      }
      return undefined;
    };

    /** http.createServer(handler): the handler decides; one imported from elsewhere may serve probes. */
    const httpServer = (call: CallExpression): Kind => {
      ctx.facts.frameworks.add('http');
      const arg = call.arguments.find((a) => a.type !== 'ObjectExpression');
      if (!arg || arg.type === 'ArrowFunctionExpression' || arg.type === 'FunctionExpression') return 'http';
      if (arg.type === 'Identifier') {
        const app = apps.get(arg.name);
        if (app) return app;
        return ctx.imports.byLocal.has(arg.name) ? 'external' : 'http';
      }
      return classify(arg) ?? 'external';
    };

    const bind = (id: Node, init: Node | null | undefined): void => {
      if (id.type !== 'Identifier') return;
      const kind = classify(init);
      if (kind) apps.set(id.name, kind);
    };

    const noteRoute = (call: CallExpression): void => {
      const callee = call.callee;
      const first = call.arguments[0];
      if (callee.type === 'MemberExpression') {
        const method = propertyName(callee);
        if (!method || !ROUTE_METHODS.has(method)) return;
        const path = stringValue(first);
        if (path !== null && call.arguments.length >= 2) {
          ownRoutes = true;
          if (PROBE_PATH.test(path)) hasHealth = true;
        } else if (method === 'route' && first?.type === 'ObjectExpression') {
          const url = stringValue(objectProperty(first, 'url') ?? objectProperty(first, 'path'));
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
        const path = stringValue(first);
        if (path !== null && PROBE_PATH.test(path)) hasHealth = true;
      }
    };

    return {
      VariableDeclarator(path: NodePath) {
        const node = path.node as Node & { id: Node; init?: Node | null };
        bind(node.id, node.init);
      },
      AssignmentExpression(path: NodePath) {
        const node = path.node as Node & { left: Node; right: Node };
        bind(node.left, node.right);
      },
      StringLiteral(path: NodePath) {
        const value = (path.node as Node & { value: string }).value;
        if (value.startsWith('/') && PROBE_PATH.test(value)) hasHealth = true;
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
        if (callee.type === 'MemberExpression' && propertyName(callee) === 'listen') {
          listens.push({ call, target: callee.object });
        } else if (
          callee.type === 'Identifier' &&
          callee.name === 'serve' &&
          importedFrom(callee.name) === '@hono/node-server'
        ) {
          listens.push({ call, target: callee, kind: 'hono' });
        }
      },
      'Program:exit'() {
        if (hasHealth) ctx.facts.servesProbe = true;
        if (hasHealth || (!ownRoutes && routerImported)) return;
        for (const { call, target, kind } of listens) {
          const t = unwrapExpression(target);
          const framework = kind ?? (t?.type === 'Identifier' ? apps.get(t.name) : classify(t));
          // `const app = require('./app'); app.listen(port)`: the app and its routes are in other
          // modules; the scan keeps this only if none of them answers a probe (src/detect/probe-joins.ts)
          const appModule = !framework && t?.type === 'Identifier' ? importedFrom(t.name) : undefined;
          if (appModule?.startsWith('.')) {
            ctx.report({
              ruleId: RULE,
              node: call,
              message: `server of the app from ${appModule} listens without a health or readiness route`,
              data: { framework: 'imported', appModule },
            });
            return;
          }
          if (!framework || framework === 'external') continue;
          ctx.report({
            ruleId: RULE,
            node: call,
            message: `${framework} server listens without a health or readiness route`,
            data: { framework },
          });
          return;
        }
      },
    };
  },
};

export default healthProbes;
