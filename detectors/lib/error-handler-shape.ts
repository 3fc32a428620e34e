import type { Comment, Expression, Node, Statement } from '@babel/types';
import { calleeName, isCall, someDescendant } from './descendants';
import { keyName } from './node-text';
import { unwrap } from './unwrap';

const LOGGER_NAME = /^(console|log|logger|\w*Logger|\w*Log)$/i;
const LOG_FUNCTION = /^log([A-Z]\w*)?$/;

/** `console.error`, `logger.warn`, `this.logger.info`, `req.log.error`, `logger.child({}).error`: a logger object. */
function isLoggerObject(node: Node): boolean {
  const n = unwrap(node, { await: true, void: true });
  if (n.type === 'Identifier') return LOGGER_NAME.test(n.name);
  if (n.type === 'MemberExpression' && !n.computed && n.property.type === 'Identifier')
    return LOGGER_NAME.test(n.property.name);
  if (isCall(n) && calleeName(n.callee) === 'child' && n.callee.type === 'MemberExpression')
    return isLoggerObject(n.callee.object);
  return false;
}

/** A reference to a logging function, e.g. `console.error` or `log`. */
export function isLogFunction(node: Node): boolean {
  const n = unwrap(node, { await: true, void: true });
  if (n.type === 'Identifier') return LOG_FUNCTION.test(n.name);
  if ((n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') && !n.computed)
    return isLoggerObject(n.object);
  return false;
}

export function isLogCall(node: Node): boolean {
  const n = unwrap(node, { await: true, void: true });
  return isCall(n) && isLogFunction(n.callee);
}

const FAILURE_KEYS = new Set([
  'error',
  'errors',
  'err',
  'failed',
  'failure',
  'failures',
  'reason',
  'errorMessage',
  'errorCode',
]);
const SUCCESS_KEYS = new Set(['ok', 'success', 'succeeded', 'successful']);

function isNullish(node: Node): boolean {
  const n = unwrap(node, { await: true, void: true });
  return (
    n.type === 'NullLiteral' ||
    (n.type === 'Identifier' && n.name === 'undefined') ||
    (n.type === 'BooleanLiteral' && !n.value)
  );
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
  const n = unwrap(node, { await: true, void: true });
  if (mentions(n, param)) return false;
  switch (n.type) {
    case 'NullLiteral':
    case 'BooleanLiteral':
    case 'NumericLiteral':
    case 'StringLiteral':
    case 'BigIntLiteral':
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
        const key = keyName(p);
        if (key === null || key === 'statusCode') return false;
        if (FAILURE_KEYS.has(key) && !isNullish(p.value)) return false;
        if (
          SUCCESS_KEYS.has(key) &&
          unwrap(p.value, { await: true, void: true }).type === 'BooleanLiteral' &&
          !(unwrap(p.value, { await: true, void: true }) as { value: boolean }).value
        )
          return false;
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
  /** the default returned is the error itself turned into a value (`JSON.stringify(err)`, `{ error }`) */
  errorValue?: boolean;
}

/** `JSON.stringify(err)`, `String(err)`, `err.message`, `err.toString()`, `` `failed: ${err}` ``: the error as text. */
function isErrorText(node: Node, param: string | null): boolean {
  if (!param) return false;
  const n = unwrap(node, { await: true, void: true });
  const isParam = (x: Node): boolean => {
    const u = unwrap(x, { await: true, void: true });
    return (
      (u.type === 'Identifier' && u.name === param) ||
      ((u.type === 'MemberExpression' || u.type === 'OptionalMemberExpression') &&
        !u.computed &&
        u.object.type === 'Identifier' &&
        u.object.name === param &&
        u.property.type === 'Identifier' &&
        /^(message|stack|name|code)$/.test(u.property.name))
    );
  };
  if (n.type === 'TemplateLiteral')
    return n.expressions.length > 0 && n.expressions.every((e) => isParam(e) || isDefaultValue(e, param));
  if (n.type === 'BinaryExpression' && n.operator === '+')
    return (
      [n.left, n.right].some((x) => isErrorText(x, param) || isParam(x)) &&
      [n.left, n.right].every((x) => isParam(x) || isErrorText(x, param) || isDefaultValue(x, param))
    );
  if (isParam(n) && n.type !== 'Identifier') return true;
  if (!isCall(n)) return false;
  const name = calleeName(n.callee);
  if ((name === 'stringify' || name === 'String') && n.arguments[0] && isParam(n.arguments[0])) return true;
  return name === 'toString' && n.callee.type === 'MemberExpression' && isParam(n.callee.object);
}

/** `{ error }`, `{ error: err }`, `{ message: err.message }`: an object that carries the error and no status. */
function isErrorObject(node: Node, param: string | null): boolean {
  const n = unwrap(node, { await: true, void: true });
  if (!param || n.type !== 'ObjectExpression' || n.properties.length === 0) return false;
  let carries = false;
  for (const p of n.properties) {
    if (p.type !== 'ObjectProperty') return false;
    const key = keyName(p);
    if (key === null || key === 'statusCode' || key === 'status') return false;
    const value = unwrap(p.value, { await: true, void: true });
    if ((value.type === 'Identifier' && value.name === param) || isErrorText(value, param)) carries = true;
    else if (!isDefaultValue(value, param)) return false;
  }
  return carries;
}

/** `err`, `err as Error`: the caught error itself. */
function isParamItself(node: Node, param: string | null): boolean {
  const n = unwrap(node, { await: true, void: true });
  return !!param && n.type === 'Identifier' && n.name === param;
}

export interface ShapeOptions {
  /**
   * The function answers its runtime directly (a Lambda handler): returning `{ error }` there is
   * a success to the runtime. Elsewhere an error object may be a result its callers check.
   */
  errorObjects?: boolean;
  /**
   * The function is an event consumer's handler (SQS, SNS, EventBridge, a stream, S3, a schedule):
   * returning the caught error itself (`return err`) resolves the invocation, so the event counts as
   * processed. Elsewhere a returned error may be a result its callers test.
   */
  errorResults?: boolean;
}

/** A `const fallback = <default>` before the return: the fallback is still only a default. */
function isDefaultDeclaration(stmt: Statement, param: string | null): boolean {
  return (
    stmt.type === 'VariableDeclaration' &&
    stmt.kind !== 'var' &&
    stmt.declarations.every((d) => d.id.type === 'Identifier' && !!d.init && isDefaultValue(d.init, param))
  );
}

/**
 * Whether a handler body only logs and then returns a default, continues or falls through.
 * Any other statement (rethrow, `next(err)`, `reject`, a 5xx response, recording the failure,
 * `process.exit`) makes it not silent: being conservative keeps false positives out.
 */
export function silentShape(
  body: readonly Statement[],
  param: string | null,
  options: ShapeOptions = {},
): SilentShape | null {
  const statements = body.filter((s) => s.type !== 'EmptyStatement');
  if (statements.length === 0) return { form: 'empty', hasLog: false };
  let hasLog = false;
  for (const stmt of statements) {
    if (stmt.type === 'ExpressionStatement' && isLogCall(stmt.expression)) {
      hasLog = true;
    } else if (isDefaultDeclaration(stmt, param)) {
      continue;
    } else if (stmt.type === 'ReturnStatement') {
      // `return console.error('failed', err)`: the log's undefined is the result
      if (stmt.argument && isLogCall(stmt.argument)) return { form: 'log-and-default', hasLog: true };
      if (
        stmt.argument &&
        (isErrorText(stmt.argument, param) ||
          (options.errorObjects && isErrorObject(stmt.argument, param)) ||
          (options.errorResults && isParamItself(stmt.argument, param)))
      ) {
        return { form: 'log-and-default', hasLog, errorValue: true };
      }
      if (stmt.argument && !isDefaultValue(stmt.argument, param)) return null;
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
export function silentCallbackShape(
  body: Expression | { type: 'BlockStatement'; body: Statement[] },
  param: string | null,
): SilentShape | null {
  if (body.type === 'BlockStatement') return silentShape(body.body, param);
  if (isLogCall(body)) return { form: 'log-and-default', hasLog: true };
  if (isErrorText(body, param)) return { form: 'log-and-default', hasLog: false, errorValue: true };
  return isDefaultValue(body, param) ? { form: 'log-and-default', hasLog: false } : null;
}

const DIRECTIVE =
  /^\s*(eslint[- ]|eslint$|@ts-|prettier-ignore|istanbul |c8 |v8 |jshint|tslint|global |harden-codemod-ignore)/i;
const TODO = /^\s*(todo|fixme|xxx|hack)\b/i;
const CODE = /(;|\{|\})\s*$|^\s*(await|return|const|let|var|throw|console\.|logger\.)\b/;
const INTENT =
  /ignor|intention|deliberate|on purpose|best[- ]?effort|expected|safe to|non[- ]?critical|not critical|optional|swallow|no-?op|fire[- ]and[- ]forget|harmless|do(n't| not) care|(can|may|might) (fail|not exist|be missing)|ok if|okay if/i;

/**
 * Words of a bare marker (`/* empty *\/`, `// ignore`, `// intentionally empty`, `// do nothing`):
 * they say the catch is empty on purpose but not why, so the swallow is still reported.
 */
const MARKER_WORDS = new Set([
  'empty',
  'ignore',
  'ignored',
  'ignoring',
  'error',
  'errors',
  'err',
  'e',
  'exception',
  'noop',
  'no-op',
  'nothing',
  'do',
  'to',
  'here',
  'intentionally',
  'intentional',
  'deliberately',
  'on',
  'purpose',
  'swallow',
  'swallowed',
  'silently',
  'silent',
  'ok',
  'fine',
]);
const isBareMarker = (text: string): boolean =>
  text
    .toLowerCase()
    .split(/[^a-z-]+/)
    .filter(Boolean)
    .every((w) => MARKER_WORDS.has(w));

function isReason(comment: Comment, needIntent: boolean): boolean {
  const text = comment.value
    .replace(/^\*+|\*+$/g, '')
    .replace(/\n\s*\*?/g, ' ')
    .trim();
  if (!text || DIRECTIVE.test(text) || TODO.test(text) || CODE.test(text) || isBareMarker(text)) return false;
  if (needIntent) return INTENT.test(text);
  return text.split(/\s+/).filter((w) => /\w/.test(w)).length >= 2 || INTENT.test(text);
}

/**
 * A comment that marks the swallow as intended: any prose inside the handler (not a bare
 * marker such as `// ignore` or `/* empty *\/`, which says nothing of why), or a comment
 * with an intent word ("ignore", "best-effort", "expected" ...) on the line above the catch
 * or above the statement holding it. Lint directives and TODOs do not count.
 */
export function hasReasonComment(
  comments: readonly Comment[],
  handler: Node,
  marker: Node,
  statement: Node | null,
): boolean {
  const markerLine = marker.loc?.start.line ?? 0;
  const statementLine = statement?.loc?.start.line ?? markerLine;
  return comments.some((c) => {
    if (c.start == null || c.end == null || handler.start == null || handler.end == null) return false;
    if (c.start >= handler.start && c.end <= handler.end) return isReason(c, false);
    const endLine = c.loc?.end.line ?? -1;
    const before = c.end <= (marker.start ?? 0);
    if (before && (endLine === markerLine - 1 || endLine === markerLine || endLine === statementLine - 1))
      return isReason(c, true);
    return false;
  });
}

/** Names of an error-first callback's error parameter. */
const ERROR_PARAM = /^(e|err|error|\w*Err|\w*Error)$/;

/** `callback(null, …)`, `done(undefined)`: a node-style callback told that all went well. */
function isSuccessSignal(node: Node): boolean {
  const n = unwrap(node, { await: true, void: true });
  if (!isCall(n) || n.callee.type !== 'Identifier' || n.arguments.length === 0) return false;
  const first = unwrap(n.arguments[0]!, { await: true, void: true });
  return first.type === 'NullLiteral' || (first.type === 'Identifier' && first.name === 'undefined');
}

/**
 * An error-first callback's `if (err) { … }` that only logs, reports success to its own
 * callback (`callback(null, …)`, the error included) or returns: the failure goes no further.
 * Null when the branch does anything else (passes the error on, rethrows, answers 5xx).
 */
export function silentErrorBranch(
  test: Node,
  consequent: Statement,
  errorParam: string | null,
): { hasLog: boolean; signalsSuccess: boolean } | null {
  const t = unwrap(test, { await: true, void: true });
  if (!errorParam || !ERROR_PARAM.test(errorParam) || t.type !== 'Identifier' || t.name !== errorParam) return null;
  const statements = consequent.type === 'BlockStatement' ? consequent.body : [consequent];
  let hasLog = false;
  let signalsSuccess = false;
  for (const stmt of statements) {
    const expr =
      stmt.type === 'ExpressionStatement' ? stmt.expression : stmt.type === 'ReturnStatement' ? stmt.argument : null;
    if (stmt.type === 'ReturnStatement' && !stmt.argument) continue;
    if (!expr) return null;
    if (isLogCall(expr)) hasLog = true;
    else if (isSuccessSignal(expr)) signalsSuccess = true;
    else if (!(stmt.type === 'ReturnStatement' && isDefaultValue(expr, errorParam))) return null;
  }
  return hasLog || signalsSuccess ? { hasLog, signalsSuccess } : null;
}
