import type { CallExpression, Node } from '@babel/types';
import type { CodeDetector } from '../src/detect/detector-api';
import { enclosingFunction, type NodePath } from '../src/parse/walk';
import {
  inLoopAtModuleScope,
  isLocallyBound,
  loadCallIndex,
  onlyCalledAtLoad,
  type LoadCallIndex,
} from './lib/local-scope';
import { propertyName } from './lib/node-text';

const RULE = 'unstructured-logging';
const METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace']);

/** Command-line tools and tests print to the terminal on purpose. */
const NON_SERVICE_PATH = /(^|\/)(scripts?|bin|__tests__|__mocks__|test|tests)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

/** Whether a catch clause lies between the call and `stop` (its function, or the module): it reports a failure. */
function inCatch(path: NodePath, stop: NodePath | null): boolean {
  for (let p = path.parent; p && p !== stop; p = p.parent) if (p.node.type === 'CatchClause') return true;
  return false;
}

/**
 * Flags console output in service code, where a structured logger belongs. A console call that
 * runs once when the module loads is left alone: at module scope (a start-up notice, a
 * configuration warning under a module-level `if`), or in a function the module calls only from
 * module scope and never exports (`const secret = checkSecret()`). It prints once per process,
 * before any request, so nothing needs to query or correlate it. A failure caught at start-up
 * (`catch (err) { console.error(…) }` around connecting to the database) is still reported: that
 * is an operational error a structured log must carry.
 */
const logging: CodeDetector = {
  name: 'logging',
  ruleIds: [RULE],
  triggers: ['console'],
  create(ctx) {
    if (NON_SERVICE_PATH.test(ctx.file.path) || ctx.file.text.startsWith('#!')) return {};
    const calls: NodePath[] = [];
    const consoleCalls: Array<{ path: NodePath<CallExpression>; method: string }> = [];
    return {
      CallExpression(path: NodePath<CallExpression>) {
        calls.push(path);
        const callee = path.node.callee;
        if (
          callee.type !== 'MemberExpression' ||
          callee.object.type !== 'Identifier' ||
          callee.object.name !== 'console'
        )
          return;
        const method = propertyName(callee);
        if (!method || !METHODS.has(method)) return;
        if (isLocallyBound(path, 'console')) return;
        consoleCalls.push({ path, method });
      },
      'Program:exit'() {
        let index: LoadCallIndex | undefined;
        const loadOnly = new Map<Node, boolean>();
        const runsAtLoad = (fn: NodePath): boolean => {
          if (!loadOnly.has(fn.node))
            loadOnly.set(fn.node, onlyCalledAtLoad(fn, (index ??= loadCallIndex(calls, ctx.file.text))));
          return loadOnly.get(fn.node)!;
        };
        for (const { path, method } of consoleCalls) {
          const fn = enclosingFunction(path);
          const atLoad = fn ? runsAtLoad(fn) : !inLoopAtModuleScope(path);
          if (atLoad && !inCatch(path, fn)) continue;
          ctx.report({
            ruleId: RULE,
            node: path.node,
            messageId: 'consoleCall',
            message: `console.${method}() writes free-text output instead of a structured log entry`,
            data: { method, argCount: path.node.arguments.length },
          });
        }
      },
    };
  },
};

export default logging;
