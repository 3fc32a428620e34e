import type { CallExpression, CatchClause, IfStatement, Node, TryStatement } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import { findAncestor, isFunctionNode, type NodePath } from '../src/parse/walk';
import { callsDependency } from './lib/awaits-dependency';
import { calleeName, isCall } from './lib/descendants';
import {
  hasReasonComment,
  isLogCall,
  isLogFunction,
  silentCallbackShape,
  silentErrorBranch,
  silentShape,
  type SilentShape,
} from './lib/error-handler-shape';
import { exportedFunctions, triggerOfFunction, triggerOfType, type Trigger } from './lib/lambda-handlers';
import {
  classifiesError,
  hasEscalatingBranchBefore,
  isGuarded,
  isMisleadingStatus,
  statusResponses,
} from './lib/http-status-responses';
import { isDatabaseBaseError, statusValue, typedErrorAnswers } from './lib/http-status-errors';
import { caughtWithinFunction, fileFunctions, functionRefOf, type FileFunctions } from './lib/function-refs';
import { callOutcome, enclosingFunctionPath, testsDefault } from './lib/rejection-handling';
import { useRouteModel } from './lib/route-handlers';
import type { ContractData } from '../src/contract-types';
import { unwrap } from './lib/unwrap';

const SILENT = 'silent-error-swallow';
const WRONG_STATUS = 'wrong-status-on-infra-failure';

/** Event sources whose handler's result only says "processed": nobody reads a value it returns. */
const CONSUMER_TRIGGERS = new Set<Trigger>([
  'sqs',
  'sns',
  'eventbridge',
  'kinesis',
  'dynamodb-stream',
  's3',
  'schedule',
]);

const LOOP_TYPES = new Set(['ForStatement', 'ForOfStatement', 'ForInStatement', 'WhileStatement', 'DoWhileStatement']);
const NOOP = /^(noop|_noop|ignore|ignoreError|swallow)$/;

/** The silent catch shapes, by message id. */
const SWALLOW_MESSAGES = {
  emptyCatch: 'empty catch block discards the error',
  catchReturnsError:
    'catch block returns the error as a value in place of a result, so callers and the runtime see a success',
  catchLogsReturnsDefault: 'catch block only logs the error, then returns a default value',
  catchReturnsDefault: 'catch block returns a default value in place of the error',
  catchLogsContinues: 'catch block only logs the error, then carries on',
  catchContinues: 'catch block discards the error and carries on',
} as const;

function describe(shape: SilentShape): keyof typeof SWALLOW_MESSAGES {
  if (shape.form === 'empty') return 'emptyCatch';
  if (shape.errorValue) return 'catchReturnsError';
  if (shape.form === 'log-and-default') return shape.hasLog ? 'catchLogsReturnsDefault' : 'catchReturnsDefault';
  return shape.hasLog ? 'catchLogsContinues' : 'catchContinues';
}

/** A try inside a loop whose success leaves the loop: the catch is one attempt of a retry, not a swallow. */
function isRetryAttempt(path: NodePath, tryStmt: TryStatement): boolean {
  const loop = findAncestor(path, (n) => LOOP_TYPES.has(n.type) || isFunctionNode(n));
  if (!loop || isFunctionNode(loop.node)) return false;
  const last = tryStmt.block.body[tryStmt.block.body.length - 1];
  return !!last && (last.type === 'ReturnStatement' || (last.type === 'BreakStatement' && !last.label));
}

/**
 * A try of local work only (parsing, validating one item) inside a loop, whose catch logs and goes
 * on to the next item: a bad record is skipped and reported, no dependency failure is hidden.
 */
function skipsBadItem(path: NodePath): boolean {
  const loop = findAncestor(path, (n) => LOOP_TYPES.has(n.type) || isFunctionNode(n));
  return !!loop && !isFunctionNode(loop.node);
}

/** A handler that only logs: `() => logger.info('connected')`. */
function onlyLogs(fn: Node): boolean {
  if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') return false;
  const body = fn.body;
  if (body.type !== 'BlockStatement') return isLogCall(body);
  return body.body.length > 0 && body.body.every((st) => st.type === 'ExpressionStatement' && isLogCall(st.expression));
}

/**
 * `fs.access(p).then(() => true).catch(() => false)`: a yes/no probe, not a swallowed failure.
 * `transport.verify().then(() => log('ok')).catch(() => log('unreachable'))`: a check whose
 * both outcomes are only logged; nothing waits on its success.
 */
function isProbe(call: CallExpression): boolean {
  if (call.callee.type !== 'MemberExpression') return false;
  const previous = unwrap(call.callee.object, { await: true, void: true });
  if (!isCall(previous) || calleeName(previous.callee) !== 'then') return false;
  const onFulfilled = previous.arguments[0];
  if (!onFulfilled) return false;
  if (
    onFulfilled.type === 'ArrowFunctionExpression' &&
    unwrap(onFulfilled.body, { await: true, void: true }).type === 'BooleanLiteral'
  )
    return true;
  if (previous.callee.type !== 'MemberExpression') return false;
  const checked = unwrap(previous.callee.object, { await: true, void: true });
  const isCheck = isCall(checked) && CONNECTIVITY_CHECK.test(calleeName(checked.callee) ?? '');
  return isCheck && onlyLogs(onFulfilled) && onlyLogs(call.arguments[0]!) && isStatementChain(call);
}

/** Calls that only check a connection (`transport.verify()`, `redis.ping()`, `sequelize.authenticate()`). */
const CONNECTIVITY_CHECK =
  /^(verify|ping|connect|authenticate|healthCheck|healthcheck|checkConnection|testConnection)$/;

/** The chain is a statement of its own: its value is not used. */
const chainStatements = new WeakSet<Node>();
function isStatementChain(call: CallExpression): boolean {
  return chainStatements.has(call);
}

/** `try { return await primary(); } catch (e) { log(e); }` followed by `throw ...` or a fallback call: the failure still surfaces. */
function surfacesAfterTry(path: NodePath): boolean {
  const tryPath = path.parent;
  const block = tryPath?.parent?.node;
  if (!tryPath || tryPath.index === null || !block || !('body' in block) || !Array.isArray(block.body)) return false;
  const next = (block.body as Node[])[tryPath.index + 1];
  if (!next) return false;
  if (next.type === 'ThrowStatement') return true;
  if (next.type === 'IfStatement')
    return testsTryResult((block.body as Node[]).slice(0, tryPath.index), tryPath.node as TryStatement, next.test);
  return (
    next.type === 'ReturnStatement' && !!next.argument && isCall(unwrap(next.argument, { await: true, void: true }))
  );
}

/**
 * `let r; try { r = await publish(); } catch (e) { log(e); } if (r) { … } else { … }`: the catch
 * leaves the result unset and the next statement asks whether there is one, so the failure takes
 * the no-result path the code chose (what that path answers is the wrong-status rule's business).
 * Only for a variable declared just before without a value (or null/undefined) and set to the
 * call's result: `let ok = true` or `started = Date.now()` would take the success path anyway.
 */
function testsTryResult(before: Node[], tryStmt: TryStatement, test: Node): boolean {
  const unset = new Set<string>();
  for (const st of before) {
    if (st.type !== 'VariableDeclaration' || st.kind === 'const') continue;
    for (const d of st.declarations) {
      const init = d.init ? unwrap(d.init) : null;
      const empty = !init || init.type === 'NullLiteral' || (init.type === 'Identifier' && init.name === 'undefined');
      if (d.id.type === 'Identifier' && empty) unset.add(d.id.name);
    }
  }
  const assigned = new Set<string>();
  for (const st of tryStmt.block.body) {
    if (st.type !== 'ExpressionStatement' || st.expression.type !== 'AssignmentExpression') continue;
    const { left, right } = st.expression;
    // the awaited result of the call that may fail (`started = Date.now()` is set either way)
    const awaited = right.type === 'AwaitExpression' && isCall(unwrap(right, { await: true }));
    if (left.type === 'Identifier' && unset.has(left.name) && awaited) assigned.add(left.name);
  }
  let t = test;
  while (t.type === 'UnaryExpression' && t.operator === '!') t = t.argument;
  if (t.type === 'BinaryExpression' && /^[!=]==?$/.test(t.operator)) {
    const other = t.left.type === 'Identifier' && assigned.has(t.left.name) ? t.right : t.left;
    const empty = other.type === 'NullLiteral' || (other.type === 'Identifier' && other.name === 'undefined');
    t = empty ? (other === t.right ? t.left : t.right) : t;
  }
  return t.type === 'Identifier' && assigned.has(t.name);
}

const fallsThrough = (clause: CatchClause): boolean =>
  !clause.body.body.some((st) => st.type === 'ContinueStatement' || st.type === 'BreakStatement');

/** Schema fallbacks (`z.string().catch(() => '')`) are not promise handlers. */
function isSchemaChain(ctx: DetectorContext, call: CallExpression): boolean {
  let n: Node = call.callee;
  while (n.type === 'MemberExpression' || isCall(n)) n = isCall(n) ? n.callee : n.object;
  return n.type === 'Identifier' && (n.name === 'z' || ctx.imports.sourceOf(n.name) === 'zod');
}

function statementOf(path: NodePath): Node | null {
  const found = findAncestor(path, (n) => /Statement$|Declaration$/.test(n.type) && n.type !== 'BlockStatement');
  return found ? found.node : null;
}

function promiseHandlerShape(handler: Node): { shape: SilentShape; param: string | null } | null {
  if (handler.type === 'ArrowFunctionExpression' || handler.type === 'FunctionExpression') {
    const first = handler.params[0];
    const param = first && first.type === 'Identifier' ? first.name : null;
    const shape = silentCallbackShape(handler.body, param);
    return shape ? { shape, param } : null;
  }
  const name = calleeName(handler);
  if (name && NOOP.test(name)) return { shape: { form: 'empty', hasLog: false }, param: null };
  if (isLogFunction(handler)) return { shape: { form: 'log-and-default', hasLog: true }, param: null };
  return null;
}

/** `.catch(() => default)` calls whose default the same function reads back. */
const localDefaults = new WeakSet<Node>();

/**
 * The function whose contract a rethrow at `path` changes (it returned a default, it will
 * reject): the enclosing function, unless a try/catch of that function catches the rethrow.
 * A `.catch(() => null)` changes it only where its promise leaves the function.
 */
function contractOf(path: NodePath, promiseCatch: boolean, functions: FileFunctions): ContractData['contract'] {
  if (promiseCatch) {
    const outcome = callOutcome(path);
    // `const meta = await x.catch(() => null); meta?.title`: the code right after reads the default back
    if (outcome.valuePath && testsDefault(outcome.valuePath)) localDefaults.add(path.node);
    if (outcome.handling === 'caught')
      return { name: null, exports: [], line: path.node.loc?.start.line ?? 0, caughtInside: true };
    if (outcome.handling === 'unhandled')
      return { unknown: 'the promise is not awaited, returned or caught: a rejection would be unhandled' };
    if (outcome.handling !== 'propagates') return { unknown: 'where the promise goes is not followed' };
    return (
      functionRefOf(outcome.within, functions) ?? {
        unknown: 'the promise is awaited at module scope: a rejection stops the module from loading',
      }
    );
  }
  const fnPath = enclosingFunctionPath(path);
  if (!fnPath) return { unknown: 'module scope: a rethrow stops the module from loading' };
  const ref = functionRefOf(fnPath, functions)!;
  // the try of this catch sits inside another try/catch of the same function
  if (path.parent && caughtWithinFunction(path.parent)) ref.caughtInside = true;
  return ref;
}

/** `client.putItem(params, (err) => …).promise()`: the SDK request's promise rejects too, and is what the code waits on. */
function callbackOfPromisedRequest(path: NodePath): boolean {
  const fnPath = findAncestor(path, (n) => isFunctionNode(n));
  const call = fnPath?.parent;
  const member = call?.parent?.node;
  return (
    !!call &&
    isCall(call.node) &&
    !!member &&
    member.type === 'MemberExpression' &&
    member.object === call.node &&
    calleeName(member) === 'promise'
  );
}

/**
 * The error-first parameter of a callback (`(err, data) => …` handed to a call, or any function
 * whose first of several parameters is named `err`/`error`, as a passport verify callback), or null.
 */
function errorFirstParam(path: NodePath): string | null {
  const fnPath = findAncestor(path, (n) => isFunctionNode(n));
  if (!fnPath) return null;
  const fn = fnPath.node as Node & { params?: Node[] };
  const first = fn.params?.[0];
  if (!first || first.type !== 'Identifier') return null;
  const parent = fnPath.parent?.node;
  const handed = !!parent && isCall(parent) && parent.arguments.includes(fn as never);
  return handed || ((fn.params?.length ?? 0) >= 2 && /^(err|error)$/.test(first.name)) ? first.name : null;
}

/** `err`, `err || !user`, `!user || err`: the test takes the error branch whenever there is an error. */
function testsErrorParam(test: Node, param: string): boolean {
  const t = unwrap(test, { await: true, void: true });
  if (t.type === 'Identifier') return t.name === param;
  return (
    t.type === 'LogicalExpression' &&
    t.operator === '||' &&
    (testsErrorParam(t.left, param) || testsErrorParam(t.right, param))
  );
}

/** Express error middleware `(err, req, res, next)`: the one place every error's status is chosen. */
function isErrorMiddleware(fn: Node | undefined): boolean {
  const params = (fn as { params?: Node[] } | undefined)?.params;
  return (
    !!fn &&
    isFunctionNode(fn) &&
    params?.length === 4 &&
    params[0]!.type === 'Identifier' &&
    /^(err|error|e)$/.test((params[0] as { name: string }).name)
  );
}

/**
 * A status chosen in an error middleware that gives a client status to errors it does not know:
 * `err instanceof mongoose.Error ? 400 : 500` (the base class of every database failure) or
 * `err.status || 400` (anything without a status, a lost connection included).
 */
function converterStatus(node: Node): number | null {
  if (node.type === 'ConditionalExpression') {
    const status = statusValue(node.consequent);
    const databaseTest = someInstanceofBase(node.test);
    return status !== null && status >= 400 && status < 500 && databaseTest ? status : null;
  }
  if (node.type === 'LogicalExpression' && (node.operator === '||' || node.operator === '??')) {
    const status = statusValue(node.right);
    const left = unwrap(node.left, { await: true, void: true });
    const readsStatus =
      (left.type === 'MemberExpression' || left.type === 'OptionalMemberExpression') &&
      /^(status|statusCode)$/.test(calleeName(left) ?? '');
    return readsStatus && status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429
      ? status
      : null;
  }
  return null;
}

function someInstanceofBase(test: Node): boolean {
  const t = unwrap(test, { await: true, void: true });
  if (t.type === 'BinaryExpression' && t.operator === 'instanceof') return isDatabaseBaseError(t.right);
  if (t.type === 'LogicalExpression') return someInstanceofBase(t.left) || someInstanceofBase(t.right);
  if (t.type === 'UnaryExpression') return false;
  return false;
}

const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

/** `emitter.on('error', listener)`: the listener, or null for any other call. */
function errorListenerOf(call: CallExpression): Node | null {
  const callee = call.callee;
  if (callee.type !== 'MemberExpression' || callee.computed || !LISTENER_METHODS.has(calleeName(callee) ?? ''))
    return null;
  const [event, listener] = call.arguments;
  return event?.type === 'StringLiteral' && event.value === 'error' && listener ? listener : null;
}

/** A listener that does nothing: `() => {}`, `function () {}` (comments aside), `noop`. */
function isEmptyListener(listener: Node): boolean {
  if (listener.type === 'ArrowFunctionExpression' || listener.type === 'FunctionExpression')
    return listener.body.type === 'BlockStatement' && listener.body.body.every((st) => st.type === 'EmptyStatement');
  const name = calleeName(listener);
  return listener.type !== 'CallExpression' && !!name && NOOP.test(name);
}

/** `queue` or `this.queue`: a name an emitter is held under in the file, or null. */
function holderKey(node: Node): string | null {
  const n = unwrap(node, { await: true });
  if (n.type === 'Identifier') return n.name;
  if (n.type === 'MemberExpression' && !n.computed && n.object.type === 'ThisExpression')
    return `this.${calleeName(n) ?? ''}`;
  return null;
}

/** The variables a constructor call is given, directly or as option values: `new Queue(name, { connection })` → connection. */
function namesPassed(call: Node & { arguments: Node[] }): string[] {
  const names: string[] = [];
  for (const a of call.arguments) {
    const arg = unwrap(a, { await: true });
    if (arg.type === 'Identifier') names.push(arg.name);
    if (arg.type !== 'ObjectExpression') continue;
    for (const p of arg.properties)
      if (p.type === 'ObjectProperty' && p.value.type === 'Identifier') names.push(p.value.name);
  }
  return names;
}

function create(ctx: DetectorContext) {
  const comments = ctx.ast.comments ?? [];
  let handlerFns: Set<Node> | null = null;
  let consumerFns: Set<Node> | null = null;
  const findHandlers = (): void => {
    const declared = new Map((ctx.project.iacHandlers?.get(ctx.file.path) ?? []).map((h) => [h.exportName, h]));
    handlerFns = new Set();
    consumerFns = new Set();
    for (const e of exportedFunctions(ctx.ast.program)) {
      const iac = declared.get(e.exportName);
      if (!e.fn) continue;
      // its type (`SQSHandler`, `(event: SNSEvent)`) or else the triggers the infrastructure gives it
      let typed = triggerOfType(e.bindingType) ?? triggerOfFunction(e.fn);
      if (typed === 'unknown') typed = null;
      if (!iac && !typed && !/handler$/i.test(e.exportName)) continue;
      handlerFns.add(e.fn);
      const triggers = typed ? [typed] : (iac?.triggers ?? []);
      if (triggers.length > 0 && triggers.every((t) => CONSUMER_TRIGGERS.has(t))) consumerFns.add(e.fn);
    }
  };
  /** Functions the runtime calls directly (Lambda handler exports): what they return is the invocation's result. */
  const isHandler = (fn: Node | null): boolean => {
    if (!handlerFns) findHandlers();
    return !!fn && handlerFns!.has(fn);
  };
  /** Handlers of an event source (a queue, topic, bus, stream, bucket, schedule): a result resolves the event as processed. */
  const isConsumer = (fn: Node | null): boolean => {
    if (!consumerFns) findHandlers();
    return !!fn && consumerFns!.has(fn);
  };
  const { model: routes, visitors } = useRouteModel(ctx);
  /** silent swallows, reported at the end once the file's functions and routes are known */
  const swallows: Array<{
    path: NodePath;
    node: Node;
    endNode?: Node;
    messageId: string;
    message: string;
    data: Record<string, unknown>;
    promiseCatch: boolean;
  }> = [];

  /** Reports typed HTTP errors with a misleading status thrown, rejected or passed on from a handler body; true when it reported any. */
  const reportTypedErrors = (body: Node, param: string | null, what: string): boolean => {
    let reported = false;
    for (const t of typedErrorAnswers(body)) {
      if (!isMisleadingStatus(t.status) || isGuarded(t.node, t.ancestors)) continue;
      if (hasEscalatingBranchBefore(body, t.node.start ?? 0)) continue;
      reported = true;
      ctx.report({
        ruleId: WRONG_STATUS,
        node: t.node,
        messageId: 'typedErrorMisleadingStatus',
        message: `${what} ${t.name}(${t.status}), so an outage looks like a client error`,
        // the shared error handler decides the answer: a 503 for infrastructure failures is decided there, by hand
        data: { status: t.status, style: 'typed-error', param, fixable: false },
      });
    }
    return reported;
  };

  /** Reports misleading statuses in a catch around a dependency; true when it reported any. */
  const reportWrongStatus = (clause: CatchClause, param: string | null): boolean => {
    let reported = reportTypedErrors(clause.body, param, 'catch around a dependency call turns every failure into');
    for (const r of statusResponses(clause.body)) {
      if (!isMisleadingStatus(r.status) || isGuarded(r.node, r.ancestors)) continue;
      if (hasEscalatingBranchBefore(clause.body, r.node.start ?? 0)) continue;
      reported = true;
      ctx.report({
        ruleId: WRONG_STATUS,
        node: r.node,
        messageId: 'catchMisleadingStatus',
        message: `catch around a dependency call answers ${r.status}, so an outage looks like a client error`,
        data: { status: r.status, style: r.style, param },
      });
    }
    return reported;
  };

  /** `x = new C(...)` / `this.x = new C(...)` of the file, by holder: what an emitter was made from */
  const made = new Map<string, Node & { arguments: Node[] }>();
  const recordMade = (id: Node, init: Node | null | undefined): void => {
    const key = holderKey(id);
    const value = init ? unwrap(init, { await: true }) : null;
    if (key && value && (value.type === 'NewExpression' || value.type === 'CallExpression')) made.set(key, value);
  };
  /** 'error' listeners of the file: the empty ones are reported at the end, the others say whose errors are logged */
  const errorListeners: Array<{ holder: string | null; listener: Node; call: CallExpression; path: NodePath }> = [];

  /**
   * An emitter made in this file from a connection (`new Queue(name, { connection })`) that runs
   * nothing of its own (no function is handed to it) only relays that connection's errors: when
   * the connection's own 'error' listener handles them, an empty listener here only stops the
   * duplicate event from crashing the process. A worker given a processor has failures of its own.
   */
  const relaysHandledErrors = (holder: string | null): boolean => {
    const construction = holder ? made.get(holder) : undefined;
    if (!construction || construction.arguments.some((a) => isFunctionNode(unwrap(a, { await: true })))) return false;
    const handled = new Set(errorListeners.filter((l) => !isEmptyListener(l.listener)).map((l) => l.holder));
    return namesPassed(construction).some((name) => handled.has(name));
  };

  const reportEmptyListeners = (): void => {
    for (const { holder, listener, call, path } of errorListeners) {
      if (!isEmptyListener(listener) || relaysHandledErrors(holder)) continue;
      const callee = call.callee as Node & { property: Node };
      if (hasReasonComment(comments, listener, callee.property, statementOf(path))) continue;
      ctx.report({
        ruleId: SILENT,
        node: callee.property,
        endNode: call,
        messageId: 'emptyErrorListener',
        message: "empty 'error' listener drops the emitter's errors with no log or metric",
        // the rewrite is by hand: log the error, count it, or hand it to whatever owns the emitter
        data: { form: 'error-listener', hasLog: false, fixable: false },
      });
    }
  };

  const converterStatements = new Set<Node>();
  const reportConverter = (path: NodePath): void => {
    const status = converterStatus(path.node);
    if (status === null) return;
    const fnPath = enclosingFunctionPath(path);
    if (!isErrorMiddleware(fnPath?.node)) return;
    const statement = statementOf(path) ?? path.node;
    if (converterStatements.has(statement)) return;
    converterStatements.add(statement);
    ctx.report({
      ruleId: WRONG_STATUS,
      node: statement,
      messageId: 'converterMisleadingStatus',
      message: `error handler answers ${status} for errors it does not recognise (a database or network failure included), so an outage looks like a client error`,
      data: { status, style: 'error-converter', param: null, fixable: false },
    });
  };

  return {
    ...visitors,
    CatchClause(path: NodePath<CatchClause>) {
      const clause = path.node;
      const tryStmt = path.parent?.node;
      if (!tryStmt || tryStmt.type !== 'TryStatement') return;
      const param = clause.param && clause.param.type === 'Identifier' ? clause.param.name : null;
      const dependency = callsDependency(tryStmt.block);
      if (dependency && reportWrongStatus(clause, param)) return;
      const fn = enclosingFunctionPath(path)?.node ?? null;
      const consumer = isConsumer(fn);
      const shape = silentShape(clause.body.body, param, { errorObjects: isHandler(fn), errorResults: consumer });
      if (!shape) return;
      // without a log, a default after pure local work (parsing, validation) is a normal fallback; but a
      // consumer that answers with the error drops the event as processed, whatever failed
      if (shape.form !== 'empty' && !shape.hasLog && !dependency && !(consumer && shape.errorValue)) return;
      if (
        shape.form === 'log-and-continue' &&
        (isRetryAttempt(path, tryStmt) ||
          (fallsThrough(clause) && surfacesAfterTry(path)) ||
          (shape.hasLog && !dependency && skipsBadItem(path)))
      )
        return;
      if (hasReasonComment(comments, clause, clause, tryStmt)) return;
      swallows.push({
        path,
        node: clause,
        messageId: describe(shape),
        message: SWALLOW_MESSAGES[describe(shape)],
        // errorValue: the fix reads the shape with the handler's options (the error returned as the result)
        data: { form: shape.form, hasLog: shape.hasLog, param, ...(shape.errorValue ? { errorValue: true } : {}) },
        promiseCatch: false,
      });
    },
    ConditionalExpression(path: NodePath) {
      reportConverter(path);
    },
    LogicalExpression(path: NodePath) {
      reportConverter(path);
    },
    ExpressionStatement(path: NodePath) {
      const expr = (path.node as Node & { expression: Node }).expression;
      if (isCall(expr)) chainStatements.add(expr as CallExpression);
    },
    IfStatement(path: NodePath<IfStatement>) {
      const errParam = errorFirstParam(path);
      // `if (err || !user) return reject(new ApiError(401))`: the client's fault and a database failure answered alike
      if (errParam && testsErrorParam(path.node.test, errParam) && !classifiesError(path.node.test)) {
        if (reportTypedErrors(path.node.consequent, errParam, 'error-first callback answers its error with')) return;
      }
      const branch = silentErrorBranch(path.node.test, path.node.consequent, errParam);
      if (
        !branch ||
        hasReasonComment(comments, path.node.consequent, path.node, path.node) ||
        callbackOfPromisedRequest(path)
      )
        return;
      ctx.report({
        ruleId: SILENT,
        node: path.node,
        endNode: path.node.test,
        messageId: branch.signalsSuccess ? 'callbackReportsSuccess' : 'callbackOnlyLogs',
        message: branch.signalsSuccess
          ? 'error-first callback logs the error and reports success to its own callback, so the failure goes no further'
          : 'error-first callback only logs the error and returns, so the failure goes no further',
        // the rewrite is by hand: pass the error to the callback (`callback(err)`) or throw it
        data: { form: 'callback', hasLog: branch.hasLog, fixable: false },
      });
    },
    VariableDeclarator(path: NodePath) {
      visitors.VariableDeclarator?.(path);
      const node = path.node as Node & { id: Node; init?: Node | null };
      recordMade(node.id, node.init);
    },
    AssignmentExpression(path: NodePath) {
      visitors.AssignmentExpression?.(path);
      const node = path.node as Node & { left: Node; right: Node };
      recordMade(node.left, node.right);
    },
    CallExpression(path: NodePath<CallExpression>) {
      visitors.CallExpression?.(path);
      const call = path.node;
      const callee = call.callee;
      const listener = errorListenerOf(call);
      if (listener) {
        errorListeners.push({ holder: holderKey((callee as Node & { object: Node }).object), listener, call, path });
        return;
      }
      // `.then(onFulfilled, err => …)`: the second handler is a catch
      if (
        callee.type === 'MemberExpression' &&
        !callee.computed &&
        calleeName(callee) === 'then' &&
        call.arguments.length === 2
      ) {
        const found = promiseHandlerShape(call.arguments[1]!);
        if (!found || hasReasonComment(comments, call.arguments[1]!, callee.property, statementOf(path))) return;
        ctx.report({
          ruleId: SILENT,
          node: callee.property,
          endNode: call,
          messageId: found.shape.hasLog ? 'thenHandlerOnlyLogs' : 'thenHandlerDiscards',
          message: found.shape.hasLog
            ? '.then() rejection handler only logs the rejection, so the promise resolves as if it succeeded'
            : '.then() rejection handler discards the rejection',
          data: { form: 'promise-then', hasLog: found.shape.hasLog, param: found.param, fixable: false },
        });
        return;
      }
      if (
        callee.type !== 'MemberExpression' ||
        callee.computed ||
        calleeName(callee) !== 'catch' ||
        call.arguments.length !== 1
      )
        return;
      const found = promiseHandlerShape(call.arguments[0]!);
      if (!found || isProbe(call) || isSchemaChain(ctx, call)) return;
      if (hasReasonComment(comments, call.arguments[0]!, callee.property, statementOf(path))) return;
      swallows.push({
        path,
        node: callee.property,
        endNode: call,
        messageId: found.shape.hasLog ? 'catchHandlerOnlyLogs' : 'catchHandlerDiscards',
        message: found.shape.hasLog
          ? '.catch() handler only logs the rejection, so the promise resolves as if it succeeded'
          : '.catch() handler discards the rejection',
        data: { form: 'promise-catch', hasLog: found.shape.hasLog, param: found.param },
        promiseCatch: true,
      });
    },
    'Program:exit'() {
      reportEmptyListeners();
      if (!swallows.length) return;
      const functions = fileFunctions(ctx.ast.program, routes);
      for (const s of swallows) {
        const contract: ContractData = { contract: contractOf(s.path, s.promiseCatch, functions) };
        if (localDefaults.has(s.path.node)) contract.localDefault = true;
        ctx.report({
          ruleId: SILENT,
          node: s.node,
          endNode: s.endNode,
          messageId: s.messageId,
          message: s.message,
          data: { ...s.data, ...contract },
        });
      }
    },
  };
}

const errorHandling: CodeDetector = {
  name: 'error-handling',
  ruleIds: [SILENT, WRONG_STATUS],
  // a catch; an error-first test (`if (err)`, `if (dbErr || !user)`); `.then(ok, onError)`; `callback(null, err)`;
  // Express error middleware `(err, req, res, next)`
  triggers: [
    'catch',
    /\bif\s*\(\s*!?\s*\w*(?:[eE]rr|[eE]rror)\b/,
    /\.then\s*\(/,
    /\bcallback\s*\(\s*null\s*,\s*\w*(?:[eE]rr|[eE]rror)\b/,
    /\(\s*(?:err|error|e)\s*(?::[^,]+)?,\s*\w+\s*(?::[^,]+)?,\s*\w+\s*(?::[^,]+)?,\s*\w+/,
    // an 'error' listener: `emitter.on('error', () => {})`
    /\.(?:on|once|addListener|prependListener|prependOnceListener)\s*\(\s*['"`]error['"`]/,
  ],
  create,
};

export default errorHandling;
