import type { CallExpression, Node } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import { isFunctionNode, type NodePath } from '../src/parse/walk';
import { someDescendant } from './lib/descendants';
import { NON_SERVICE_PATH, useServerModel, usesServerlessAdapter } from './lib/http-servers';
import { topLevelBindings } from './lib/lambda-handlers';
import { literalText, propertyName } from './lib/node-text';
import { mergeVisitors } from '../src/parse/merge-visitors';

const RULE = 'no-graceful-shutdown';
const SIGNALS = new Set(['SIGTERM', 'SIGINT']);
const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener']);
/** Libraries that drain and close the server on a signal themselves. */
const SHUTDOWN_LIBRARY =
  /^(@godaddy\/terminus|http-terminator|stoppable|lightship|close-with-grace|fastify-graceful-shutdown|@moebius\/http-graceful-shutdown|http-graceful-shutdown|@nestjs\/terminus)$/;
/** Calls that stop accepting connections or release the server. */
const CLOSING_METHODS = new Set(['close', 'stop', 'terminate', 'shutdown', 'closeAllConnections', 'drain', 'destroy']);

type Verdict = 'closes' | 'exits-only' | 'unknown';

/**
 * Whether a signal handler closes something. A handler out of sight (imported, passed in) is
 * given the benefit of the doubt; so is one calling a local function we cannot see into.
 */
function handlerVerdict(handler: Node | undefined, locals: Map<string, Node>, depth = 0): Verdict {
  if (!handler || depth > 2) return 'unknown';
  if (handler.type === 'Identifier') {
    const local = locals.get(handler.name);
    return local ? handlerVerdict(local, locals, depth + 1) : 'unknown';
  }
  if (!isFunctionNode(handler)) return 'unknown';
  let verdict: Verdict = 'exits-only';
  someDescendant(handler, (node) => {
    if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return false;
    const callee = node.callee;
    if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') {
      if (CLOSING_METHODS.has(propertyName(callee) ?? '')) verdict = 'closes';
    } else if (callee.type === 'Identifier' && depth < 2) {
      const local = locals.get(callee.name);
      const inner = local ? handlerVerdict(local, locals, depth + 1) : 'unknown';
      if (inner !== 'exits-only') verdict = inner;
    }
    return verdict !== 'exits-only';
  });
  return verdict;
}

/** Flags a long-running server whose file never closes it on SIGTERM, so deploys cut requests off. */
const gracefulShutdown: CodeDetector = {
  name: 'graceful-shutdown',
  ruleIds: [RULE],
  triggers: ['.listen('],
  create(ctx: DetectorContext) {
    if (NON_SERVICE_PATH.test(ctx.file.path) || usesServerlessAdapter(ctx)) return {};
    const { model, visitors } = useServerModel(ctx);
    const handlers: Node[] = [];
    let handledElsewhere = false;
    for (const source of ctx.imports.sources) if (SHUTDOWN_LIBRARY.test(source)) handledElsewhere = true;

    return mergeVisitors(visitors, {
      CallExpression(path: NodePath<CallExpression>) {
        const callee = path.node.callee;
        if (callee.type !== 'MemberExpression') return;
        const method = propertyName(callee);
        // Nest closes the app on SIGTERM once shutdown hooks are on
        if (method === 'enableShutdownHooks') handledElsewhere = true;
        if (!method || !LISTENER_METHODS.has(method)) return;
        if (callee.object.type !== 'Identifier' || callee.object.name !== 'process') return;
        const event = literalText(path.node.arguments[0] as Node | undefined);
        // a computed signal name (`for (const s of signals) process.on(s, ...)`) may well be SIGTERM
        if (event === null) handlers.push(path.node.arguments[1] as Node);
        else if (SIGNALS.has(event)) handlers.push(path.node.arguments[1] as Node);
      },
      'Program:exit'() {
        if (handledElsewhere) return;
        const site = model.listens()[0];
        if (!site) return;
        const program = ctx.ast.program;
        const locals = topLevelBindings(program);
        const verdicts = handlers.map((h) => handlerVerdict(h, locals));
        if (verdicts.some((v) => v !== 'exits-only')) return;
        const served = site.wraps ?? site.framework;
        ctx.report({
          ruleId: RULE,
          node: site.call,
          messageId: handlers.length ? 'sigtermExitsWithoutClose' : 'noSigtermHandler',
          message: handlers.length
            ? `${served} server's SIGTERM handler exits without closing the server, so in-flight requests are cut off`
            : `${served} server listens with no SIGTERM handler to stop it and drain in-flight requests`,
          data: {
            framework: site.framework,
            ...(site.wraps ? { wraps: site.wraps } : {}),
            target: site.target,
            server: site.stored,
            hasSignalHandler: handlers.length > 0,
            ...(handlers.length > 0 || site.framework === 'nestjs' ? { fixable: false } : {}),
          },
        });
      },
    });
  },
};

export default gracefulShutdown;
