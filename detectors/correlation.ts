import type { CallExpression, Node } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import type { NodePath } from '../src/parse/walk';
import { useServerModel } from './lib/http-servers';
import { exportedFunctions, triggerOfFunction, triggerOfType } from './lib/lambda-handlers';
import { propertyName } from './lib/node-text';
import { mergeVisitors } from '../src/parse/merge-visitors';
import { unwrap } from './lib/unwrap';

const RULE = 'log-without-correlation-id';
const LOG_METHODS = new Set(['info', 'warn', 'error', 'debug', 'trace', 'fatal', 'critical']);
/**
 * Loggers made in the file with Powertools, pino or winston. The generated `resilience/logger`
 * is left out: the console-to-logger fix that brings it in owns its context, and a fix must
 * not raise new findings.
 */
const POWERTOOLS = '@aws-lambda-powertools/logger';
/**
 * Any sign that log entries carry a request or correlation id: Powertools' addContext /
 * injectLambdaContext / appendKeys, a pino/winston child logger, request-id middleware, or the
 * id itself as a field. Text is enough here: a false "correlated" only loses a finding.
 */
const CORRELATED =
  /addContext|injectLambdaContext|appendKeys|appendPersistentKeys|setCorrelationId|\.child\(|correlation[-_]?id|request[-_]?id|awsRequestId|trace[-_]?id|\breqId\b|pino-http|express-pino|express-winston|rtracer|http-context|AsyncLocalStorage/i;

/** Packages that put a request id on every request or log line of an HTTP server. */
const REQUEST_ID_PACKAGES =
  /^(express-request-id|express-request-context|cls-rtracer|pino-http|express-pino-logger|express-winston|morgan-body|correlation-id|express-correlation-id|@nestjs\/cls|nestjs-cls|koa-requestid|request-ip-id|express-http-context|async-local-storage)$/;

/** Whether an expression makes a structured logger. */
function isLoggerFactory(ctx: DetectorContext, raw: Node | null | undefined): boolean {
  const node = unwrap(raw, { await: true });
  if (!node) return false;
  if (node.type === 'NewExpression' && node.callee.type === 'Identifier') {
    const b = ctx.imports.byLocal.get(node.callee.name);
    return b?.source === POWERTOOLS && b.imported === 'Logger';
  }
  if (node.type !== 'CallExpression') return false;
  const callee = node.callee;
  if (callee.type === 'Identifier') {
    const b = ctx.imports.byLocal.get(callee.name);
    return (
      (b?.source === 'pino' && ['default', '*', 'pino'].includes(b.imported)) ||
      (b?.source === 'winston' && b.imported === 'createLogger')
    );
  }
  if (
    callee.type === 'MemberExpression' &&
    callee.object.type === 'Identifier' &&
    propertyName(callee) === 'createLogger'
  ) {
    return ctx.imports.sourceOf(callee.object.name) === 'winston';
  }
  return false;
}

/** Whether the file exports a Lambda handler (by name or by its event type). */
function isHandlerFile(ctx: DetectorContext): boolean {
  if (ctx.project.iacHandlers.has(ctx.file.path)) return true;
  return exportedFunctions(ctx.ast.program).some(
    (e) =>
      e.fn && (e.exportName === 'handler' || triggerOfFunction(e.fn) !== null || triggerOfType(e.bindingType) !== null),
  );
}

/** Flags structured logs in Lambda handlers and Express/Koa apps that carry no request or correlation id. */
const correlation: CodeDetector = {
  name: 'correlation',
  ruleIds: [RULE],
  triggers: [POWERTOOLS, 'pino', 'winston'],
  create(ctx: DetectorContext) {
    if (CORRELATED.test(ctx.file.text)) return {};
    const loggers = new Set<string>();
    const calls: CallExpression[] = [];
    const { model, visitors } = useServerModel(ctx);

    const factories: Node[] = [];
    return mergeVisitors(visitors, {
      VariableDeclarator(path: NodePath) {
        const node = path.node as Node & { id: Node; init?: Node | null };
        if (node.id.type === 'Identifier' && isLoggerFactory(ctx, node.init)) {
          loggers.add(node.id.name);
          factories.push(node.init!);
        }
      },
      CallExpression(path: NodePath<CallExpression>) {
        const callee = path.node.callee;
        if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier') return;
        if (LOG_METHODS.has(propertyName(callee) ?? '')) calls.push(path.node);
      },
      'Program:exit'() {
        const first = calls.find((c) =>
          loggers.has(((c.callee as Node & { object: Node }).object as Node & { name: string }).name),
        );
        if (!first) {
          // a shared logger module of an Express/Koa service: its format decides every line's fields
          const deps = ctx.project.packageDependencies;
          const server = deps.has('express') ? 'express' : deps.has('koa') ? 'koa' : null;
          if (
            factories.length > 0 &&
            server &&
            !ctx.project.usesLambda &&
            ![...deps].some((d) => REQUEST_ID_PACKAGES.test(d))
          ) {
            ctx.report({
              ruleId: RULE,
              node: factories[0]!,
              messageId: 'serviceLoggerWithoutRequestId',
              message: `the ${server} service's logger writes no request id (no request-id field, middleware or child logger per request)`,
              data: { logger: 'module', context: server },
            });
          }
          return;
        }
        const name = ((first.callee as Node & { object: Node }).object as Node & { name: string }).name;
        const method = propertyName(first.callee);
        // Fastify's own logger tags every request with reqId; Express and Koa have nothing built in
        const app = [...model.apps.values()]
          .map((a) => a.wraps ?? a.framework)
          .find((f) => f === 'express' || f === 'koa');
        if (isHandlerFile(ctx)) {
          ctx.report({
            ruleId: RULE,
            node: first,
            messageId: 'lambdaLogWithoutRequestId',
            message: `${name}.${method}() in a Lambda handler logs without the invocation's request id (no addContext or injectLambdaContext)`,
            data: { scope: 'lambda', logger: name, context: 'lambda' },
          });
        } else if (app) {
          ctx.report({
            ruleId: RULE,
            node: first,
            messageId: 'appLogWithoutRequestId',
            message: `${name}.${method}() in an ${app} app logs without a request id (no request-id middleware or child logger)`,
            data: { logger: name, context: app },
          });
        }
      },
    });
  },
};

export default correlation;
