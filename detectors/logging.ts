import type { CallExpression } from '@babel/types';
import type { CodeDetector } from '../src/detect/detector-api';
import type { NodePath } from '../src/parse/walk';
import { isLocallyBound } from './lib/local-scope';
import { propertyName } from './lib/node-text';

const RULE = 'unstructured-logging';
const METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace']);

/** Command-line tools and tests print to the terminal on purpose. */
const NON_SERVICE_PATH = /(^|\/)(scripts?|bin|__tests__|__mocks__|test|tests)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

/** Flags console output in service code, where a structured logger belongs. */
const logging: CodeDetector = {
  name: 'logging',
  ruleIds: [RULE],
  triggers: ['console'],
  create(ctx) {
    if (NON_SERVICE_PATH.test(ctx.file.path) || ctx.file.text.startsWith('#!')) return {};
    return {
      CallExpression(path: NodePath<CallExpression>) {
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
        ctx.report({
          ruleId: RULE,
          node: path.node,
          messageId: 'consoleCall',
          message: `console.${method}() writes free-text output instead of a structured log entry`,
          data: { method, argCount: path.node.arguments.length },
        });
      },
    };
  },
};

export default logging;
