import type { Node } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import { calleeName, isCall } from './lib/descendants';
import { unwrapExpression } from './lib/node-text';
import { firstUnprotectedAwait } from './lib/rejection-handling';
import { useRouteModel } from './lib/route-handlers';
import { NON_SERVICE_PATH } from './lib/http-servers';

const RULE = 'unhandled-route-rejection';

/** `getPaymentStatus(...)`, `db.send(...)`: what the route awaits, for the message. */
function awaitedName(node: Node): string {
  const arg = node.type === 'AwaitExpression' ? unwrapExpression(node.argument) : null;
  if (!arg) return 'an async iterator';
  if (isCall(arg)) {
    const callee = arg.callee;
    const name = calleeName(callee);
    if (callee.type === 'MemberExpression' && name) {
      const object = unwrapExpression(callee.object);
      const base = object?.type === 'Identifier' ? `${object.name}.` : object?.type === 'ThisExpression' ? 'this.' : '';
      return `\`${base}${name}(...)\``;
    }
    if (name) return `\`${name}(...)\``;
  }
  return 'a promise';
}

/**
 * An async Express 4 route handler that awaits something outside any try/catch: Express 4
 * does not catch the rejected promise, so a failing dependency becomes an unhandled rejection
 * that stops the Node 20 process (and every request in flight with it). Express 5, the
 * express-async-errors family, handlers wrapped in a helper (`asyncHandler(fn)`), Fastify and
 * Koa pass the failure to an error handler instead, and are not reported.
 */
function create(ctx: DetectorContext) {
  const { model, visitors } = useRouteModel(ctx);
  return {
    ...visitors,
    'Program:exit'() {
      if (model.expressCatches || NON_SERVICE_PATH.test(ctx.file.path)) return;
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
          message: `async Express 4 route handler awaits ${awaitedName(exposed)} (line ${exposed.loc?.start.line ?? '?'}) outside try/catch: a rejection is not passed to next() and crashes the process`,
          data: { framework: 'express', method: h.method, named: h.named, awaitLine: exposed.loc?.start.line ?? null },
        });
      }
    },
  };
}

const routeRejections: CodeDetector = {
  name: 'route-rejections',
  ruleIds: [RULE],
  triggers: ['express', 'app.', 'router.', 'Router', 'req, res', 'req,res', 'request, response'],
  create,
};

export default routeRejections;
