import type { Node } from '@babel/types';
import { forEachDescendant } from './descendants';
import { propertyName } from './node-text';
import { unwrap } from './unwrap';

/** Receivers whose method calls only write a log line: `console.log`, `logger.info`, `log.debug`. */
const LOGGERS = /^(?:console|log|logger|LOGGER|Logger)$/;
const LOG_METHODS = new Set(['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir', 'table']);
/** Calls that only shape what is logged. */
const PURE = new Set(['JSON.stringify', 'JSON.parse', 'String', 'Number', 'Object.keys', 'Object.entries']);

function callName(callee: Node): string | null {
  const c = unwrap(callee);
  if (!c) return null;
  if (c.type === 'Identifier') return c.name;
  if ((c.type === 'MemberExpression' || c.type === 'OptionalMemberExpression') && c.object.type === 'Identifier') {
    const method = propertyName(c);
    return method ? `${c.object.name}.${method}` : null;
  }
  return null;
}

/** Logging packages: a `logger`/`log` receiver is one of theirs only in a file that imports one. */
export const LOGGING_PACKAGES =
  /^(pino|winston|bunyan|log4js|loglevel|consola|signale|@aws-lambda-powertools\/logger)(\/|$)/;

function isLogCall(name: string, namedLoggers: boolean): boolean {
  const [receiver, method] = name.split('.');
  if (method === undefined || !LOGGERS.test(receiver!)) return false;
  return receiver === 'console' || (namedLoggers && LOG_METHODS.has(method));
}

/** A console line carrying CloudWatch embedded metrics (`_aws` in its JSON): data, not only a log line. */
function writesMetrics(node: Node): boolean {
  let found = false;
  forEachDescendant(node, (n) => {
    if (found) return false;
    if ((n.type === 'Identifier' && n.name === '_aws') || (n.type === 'StringLiteral' && n.value === '_aws'))
      found = true;
    return !found;
  });
  return found;
}

/**
 * Whether a handler function does nothing but write log lines: every call in it is a logger or
 * console call or only formats what is logged (JSON.stringify), it awaits nothing, creates nothing
 * but errors and writes to no object. Losing an event such a handler failed on loses a log line
 * and nothing else, so its asynchronous trigger needs no dead-letter queue. `namedLoggers`: the file
 * imports a logging package, so `logger.info` and `log.error` are its calls (otherwise only
 * console calls count: a local `logger` module may post to a chat or a database). A line carrying
 * embedded metrics is data, not only a log line.
 */
export function onlyLogs(fn: Node, options: { namedLoggers?: boolean } = {}): boolean {
  let logs = 0;
  let other = false;
  forEachDescendant(fn, (node) => {
    if (other) return false;
    switch (node.type) {
      case 'CallExpression':
      case 'OptionalCallExpression': {
        const name = callName(node.callee);
        if (name && isLogCall(name, options.namedLoggers === true)) logs++;
        else if (!name || !PURE.has(name)) other = true;
        break;
      }
      case 'NewExpression': {
        const name = callName(node.callee);
        if (!name || !/Error$/.test(name)) other = true;
        break;
      }
      case 'AwaitExpression':
      case 'YieldExpression':
      case 'TaggedTemplateExpression':
      case 'ImportExpression':
        other = true;
        break;
      case 'AssignmentExpression':
        if (node.left.type !== 'Identifier') other = true;
        break;
      case 'UpdateExpression':
        if (node.argument.type !== 'Identifier') other = true;
        break;
      case 'UnaryExpression':
        if (node.operator === 'delete') other = true;
        break;
    }
    return !other;
  });
  return logs > 0 && !other && !writesMetrics(fn);
}
