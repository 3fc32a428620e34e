import type { Comment, Expression, Node, Statement } from '@babel/types';
import { calleeName, isCall, propertyKey, someDescendant, unwrapExpression } from './descendants';

const LOGGER_NAME = /^(console|log|logger|\w*Logger|\w*Log)$/i;
const LOG_FUNCTION = /^log([A-Z]\w*)?$/;

/** `console.error`, `logger.warn`, `this.logger.info`, `req.log.error`, `logger.child({}).error`: a logger object. */
function isLoggerObject(node: Node): boolean {
  const n = unwrapExpression(node);
  if (n.type === 'Identifier') return LOGGER_NAME.test(n.name);
  if (n.type === 'MemberExpression' && !n.computed && n.property.type === 'Identifier') return LOGGER_NAME.test(n.property.name);
  if (isCall(n) && calleeName(n.callee) === 'child' && n.callee.type === 'MemberExpression') return isLoggerObject(n.callee.object);
  return false;
}

/** A reference to a logging function, e.g. `console.error` or `log`. */
export function isLogFunction(node: Node): boolean {
  const n = unwrapExpression(node);
  if (n.type === 'Identifier') return LOG_FUNCTION.test(n.name);
  if ((n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') && !n.computed) return isLoggerObject(n.object);
  return false;
}

export function isLogCall(node: Node): boolean {
  const n = unwrapExpression(node);
  return isCall(n) && isLogFunction(n.callee);
}

const FAILURE_KEYS = new Set(['error', 'errors', 'err', 'failed', 'failure', 'failures', 'reason', 'errorMessage', 'errorCode']);
const SUCCESS_KEYS = new Set(['ok', 'success', 'succeeded', 'successful']);

function isNullish(node: Node): boolean {
  const n = unwrapExpression(node);
  return n.type === 'NullLiteral' || (n.type === 'Identifier' && n.name === 'undefined')
    || (n.type === 'BooleanLiteral' && !n.value);
}

function mentions(node: Node, name: string | null): boolean {
  if (!name) return false;
  return someDescendant(node, (d) => d.type === 'Identifier' && d.name === name);
}

/**
 * A value that stands in for a real result: literals, `undefined`, empty or literal-only
 * arrays and objects (`{ success: true }`, `{ items: [], error: null }`), or a named default
 * (`return fallback`). Values carrying the error or a failure flag are not defaults.
 */
export function isDefaultValue(node: Node, param: string | null): boolean {
  const n = unwrapExpression(node);
  if (mentions(n, param)) return false;
  switch (n.type) {
    case 'NullLiteral': case 'BooleanLiteral': case 'NumericLiteral': case 'StringLiteral': case 'BigIntLiteral':
      return true;
    case 'TemplateLiteral':
      return n.expressions.length === 0;
    case 'UnaryExpression':
      return (n.operator === '-' || n.operator === '+') && n.argument.type === 'NumericLiteral';
    case 'Identifier':
    case 'MemberExpression':
      return true;
    case 'ArrayExpression':
      return n.elements.every((e) => e !== null && e.type !== 'SpreadElement' && isDefaultValue(e, param));
    case 'ObjectExpression':
      return n.properties.every((p) => {
        if (p.type !== 'ObjectProperty') return false;
        const key = propertyKey(p);
        if (key === null || key === 'statusCode') return false;
        if (FAILURE_KEYS.has(key) && !isNullish(p.value)) return false;
        if (SUCCESS_KEYS.has(key) && unwrapExpression(p.value).type === 'BooleanLiteral' && !(unwrapExpression(p.value) as { value: boolean }).value) return false;
        return isDefaultValue(p.value, param);
      });
    default:
      return isLogCall(n);
  }
}

export type SilentForm = 'empty' | 'log-and-default' | 'log-and-continue';

export interface SilentShape {
  form: SilentForm;
  hasLog: boolean;
}

/**
 * Whether a handler body only logs and then returns a default, continues or falls through.
 * Any other statement (rethrow, `next(err)`, `reject`, a 5xx response, recording the failure,
 * `process.exit`) makes it not silent: being conservative keeps false positives out.
 */
export function silentShape(body: readonly Statement[], param: string | null): SilentShape | null {
  const statements = body.filter((s) => s.type !== 'EmptyStatement');
  if (statements.length === 0) return { form: 'empty', hasLog: false };
  let hasLog = false;
  for (const stmt of statements) {
    if (stmt.type === 'ExpressionStatement' && isLogCall(stmt.expression)) {
      hasLog = true;
    } else if (stmt.type === 'ReturnStatement') {
      if (stmt.argument && !isDefaultValue(stmt.argument, param)) return null;
      if (stmt.argument && isLogCall(stmt.argument)) hasLog = true;
      return { form: 'log-and-default', hasLog };
    } else if (stmt.type === 'ContinueStatement' || stmt.type === 'BreakStatement') {
      return { form: 'log-and-continue', hasLog };
    } else {
      return null;
    }
  }
  return { form: 'log-and-continue', hasLog };
}

/** Shape of an arrow/function expression body used as a promise rejection handler. */
export function silentCallbackShape(body: Expression | { type: 'BlockStatement'; body: Statement[] }, param: string | null): SilentShape | null {
  if (body.type === 'BlockStatement') return silentShape(body.body, param);
  if (isLogCall(body)) return { form: 'log-and-default', hasLog: true };
  return isDefaultValue(body, param) ? { form: 'log-and-default', hasLog: false } : null;
}

const DIRECTIVE = /^\s*(eslint[- ]|eslint$|@ts-|prettier-ignore|istanbul |c8 |v8 |jshint|tslint|global |harden-codemod-ignore)/i;
const TODO = /^\s*(todo|fixme|xxx|hack)\b/i;
const CODE = /(;|\{|\})\s*$|^\s*(await|return|const|let|var|throw|console\.|logger\.)\b/;
const INTENT = /ignor|intention|deliberate|on purpose|best[- ]?effort|expected|safe to|non[- ]?critical|not critical|optional|swallow|no-?op|fire[- ]and[- ]forget|harmless|do(n't| not) care|(can|may|might) (fail|not exist|be missing)|ok if|okay if/i;

function isReason(comment: Comment, needIntent: boolean): boolean {
  const text = comment.value.replace(/^\*+|\*+$/g, '').replace(/\n\s*\*?/g, ' ').trim();
  if (!text || DIRECTIVE.test(text) || TODO.test(text) || CODE.test(text)) return false;
  if (needIntent) return INTENT.test(text);
  return text.split(/\s+/).filter((w) => /\w/.test(w)).length >= 2 || INTENT.test(text);
}

/**
 * A comment that marks the swallow as intended: any prose inside the handler, or a comment
 * with an intent word ("ignore", "best-effort", "expected" ...) on the line above the catch
 * or above the statement holding it. Lint directives and TODOs do not count.
 */
export function hasReasonComment(comments: readonly Comment[], handler: Node, marker: Node, statement: Node | null): boolean {
  const markerLine = marker.loc?.start.line ?? 0;
  const statementLine = statement?.loc?.start.line ?? markerLine;
  return comments.some((c) => {
    if (c.start == null || c.end == null || handler.start == null || handler.end == null) return false;
    if (c.start >= handler.start && c.end <= handler.end) return isReason(c, false);
    const endLine = c.loc?.end.line ?? -1;
    const before = c.end <= (marker.start ?? 0);
    if (before && (endLine === markerLine - 1 || endLine === markerLine || endLine === statementLine - 1)) return isReason(c, true);
    return false;
  });
}
