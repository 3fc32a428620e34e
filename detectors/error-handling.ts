import type { CallExpression, CatchClause, Node, TryStatement } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import { findAncestor, isFunctionNode, type NodePath } from '../src/parse/walk';
import { callsDependency } from './lib/awaits-dependency';
import { calleeName, isCall, unwrapExpression } from './lib/descendants';
import { hasReasonComment, isLogFunction, silentCallbackShape, silentShape, type SilentShape } from './lib/error-handler-shape';
import { hasEscalatingBranchBefore, isGuarded, isMisleadingStatus, statusResponses } from './lib/http-status-responses';
import { caughtWithinFunction, fileFunctions, functionRefOf, type FileFunctions } from './lib/function-refs';
import { callOutcome, enclosingFunctionPath, testsDefault } from './lib/rejection-handling';
import { useRouteModel } from './lib/route-handlers';
import type { ContractData } from '../src/contract-types';

const SILENT = 'silent-error-swallow';
const WRONG_STATUS = 'wrong-status-on-infra-failure';

const LOOP_TYPES = new Set(['ForStatement', 'ForOfStatement', 'ForInStatement', 'WhileStatement', 'DoWhileStatement']);
const NOOP = /^(noop|_noop|ignore|ignoreError|swallow)$/;

function describe(shape: SilentShape): string {
  if (shape.form === 'empty') return 'empty catch block discards the error';
  if (shape.form === 'log-and-default') {
    return shape.hasLog ? 'catch block only logs the error, then returns a default value' : 'catch block returns a default value in place of the error';
  }
  return shape.hasLog ? 'catch block only logs the error, then carries on' : 'catch block discards the error and carries on';
}

/** A try inside a loop whose success leaves the loop: the catch is one attempt of a retry, not a swallow. */
function isRetryAttempt(path: NodePath, tryStmt: TryStatement): boolean {
  const loop = findAncestor(path, (n) => LOOP_TYPES.has(n.type) || isFunctionNode(n));
  if (!loop || isFunctionNode(loop.node)) return false;
  const last = tryStmt.block.body[tryStmt.block.body.length - 1];
  return !!last && (last.type === 'ReturnStatement' || (last.type === 'BreakStatement' && !last.label));
}

/** `fs.access(p).then(() => true).catch(() => false)`: a yes/no probe, not a swallowed failure. */
function isProbe(call: CallExpression): boolean {
  if (call.callee.type !== 'MemberExpression') return false;
  const previous = unwrapExpression(call.callee.object);
  if (!isCall(previous) || calleeName(previous.callee) !== 'then') return false;
  const onFulfilled = previous.arguments[0];
  return !!onFulfilled && onFulfilled.type === 'ArrowFunctionExpression' && unwrapExpression(onFulfilled.body).type === 'BooleanLiteral';
}

/** `try { return await primary(); } catch (e) { log(e); }` followed by `throw ...` or a fallback call: the failure still surfaces. */
function surfacesAfterTry(path: NodePath): boolean {
  const tryPath = path.parent;
  const block = tryPath?.parent?.node;
  if (!tryPath || tryPath.index === null || !block || !('body' in block) || !Array.isArray(block.body)) return false;
  const next = (block.body as Node[])[tryPath.index + 1];
  if (!next) return false;
  if (next.type === 'ThrowStatement') return true;
  return next.type === 'ReturnStatement' && !!next.argument && isCall(unwrapExpression(next.argument));
}

const fallsThrough = (clause: CatchClause): boolean => !clause.body.body.some((st) => st.type === 'ContinueStatement' || st.type === 'BreakStatement');

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
    if (outcome.handling === 'caught') return { name: null, exports: [], line: path.node.loc?.start.line ?? 0, caughtInside: true };
    if (outcome.handling === 'unhandled') return { unknown: 'the promise is not awaited, returned or caught: a rejection would be unhandled' };
    if (outcome.handling !== 'propagates') return { unknown: 'where the promise goes is not followed' };
    return functionRefOf(outcome.within, functions) ?? { unknown: 'the promise is awaited at module scope: a rejection stops the module from loading' };
  }
  const fnPath = enclosingFunctionPath(path);
  if (!fnPath) return { unknown: 'module scope: a rethrow stops the module from loading' };
  const ref = functionRefOf(fnPath, functions)!;
  // the try of this catch sits inside another try/catch of the same function
  if (path.parent && caughtWithinFunction(path.parent)) ref.caughtInside = true;
  return ref;
}

function create(ctx: DetectorContext) {
  const comments = ctx.ast.comments ?? [];
  const { model: routes, visitors } = useRouteModel(ctx);
  /** silent swallows, reported at the end once the file's functions and routes are known */
  const swallows: Array<{ path: NodePath; node: Node; endNode?: Node; message: string; data: Record<string, unknown>; promiseCatch: boolean }> = [];

  /** Reports misleading statuses in a catch around a dependency; true when it reported any. */
  const reportWrongStatus = (clause: CatchClause, param: string | null): boolean => {
    let reported = false;
    for (const r of statusResponses(clause.body)) {
      if (!isMisleadingStatus(r.status) || isGuarded(r.node, r.ancestors)) continue;
      if (hasEscalatingBranchBefore(clause.body, r.node.start ?? 0)) continue;
      reported = true;
      ctx.report({
        ruleId: WRONG_STATUS,
        node: r.node,
        message: `catch around a dependency call answers ${r.status}, so an outage looks like a client error`,
        data: { status: r.status, style: r.style, param },
      });
    }
    return reported;
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
      const shape = silentShape(clause.body.body, param);
      if (!shape) return;
      // without a log, a default after pure local work (parsing, validation) is a normal fallback
      if (shape.form !== 'empty' && !shape.hasLog && !dependency) return;
      if (shape.form === 'log-and-continue' && (isRetryAttempt(path, tryStmt) || (fallsThrough(clause) && surfacesAfterTry(path)))) return;
      if (hasReasonComment(comments, clause, clause, tryStmt)) return;
      swallows.push({ path, node: clause, message: describe(shape), data: { form: shape.form, hasLog: shape.hasLog, param }, promiseCatch: false });
    },
    CallExpression(path: NodePath<CallExpression>) {
      visitors.CallExpression?.(path);
      const call = path.node;
      const callee = call.callee;
      if (callee.type !== 'MemberExpression' || callee.computed || calleeName(callee) !== 'catch' || call.arguments.length !== 1) return;
      const found = promiseHandlerShape(call.arguments[0]!);
      if (!found || isProbe(call) || isSchemaChain(ctx, call)) return;
      if (hasReasonComment(comments, call.arguments[0]!, callee.property, statementOf(path))) return;
      swallows.push({
        path,
        node: callee.property,
        endNode: call,
        message: found.shape.hasLog ? '.catch() handler only logs the rejection, so the promise resolves as if it succeeded' : '.catch() handler discards the rejection',
        data: { form: 'promise-catch', hasLog: found.shape.hasLog, param: found.param },
        promiseCatch: true,
      });
    },
    'Program:exit'() {
      if (!swallows.length) return;
      const functions = fileFunctions(ctx.ast.program, routes);
      for (const s of swallows) {
        const contract: ContractData = { contract: contractOf(s.path, s.promiseCatch, functions) };
        if (localDefaults.has(s.path.node)) contract.localDefault = true;
        ctx.report({ ruleId: SILENT, node: s.node, endNode: s.endNode, message: s.message, data: { ...s.data, ...contract } });
      }
    },
  };
}

const errorHandling: CodeDetector = {
  name: 'error-handling',
  ruleIds: [SILENT, WRONG_STATUS],
  triggers: ['catch'],
  create,
};

export default errorHandling;
