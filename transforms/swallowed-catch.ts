import type { ASTPath } from 'jscodeshift';
import {
  hasReasonComment,
  isDefaultValue,
  isLogCall,
  isLogFunction,
  silentShape,
  type ShapeOptions,
  type SilentShape,
} from '../detectors/lib/error-handler-shape';
import {
  allComments,
  catchClauseLines,
  enclosingLoop,
  freeErrorName,
  hasJump,
  identifierNames,
  importedLocal,
  isSelectedAt,
  throwClassified,
} from './lib/catch-helpers';
import { contractAt, decideContract, singleFileContracts, type ContractDecision } from './lib/caller-safety';
import { ensureNamedImports, isTopLevelName } from './lib/imports';
import { toJscodeshiftTransform } from './lib/transform-api';
import type { FixContext, FixStep } from '../src/api/fix-context';
import type { FixStepMeta } from '../src/api/step-metadata';
import { contractDataOf, type ContractData } from '../src/contract-types';

/**
 * Silent error swallow (rule silent-error-swallow, spec phase 4.1): an empty catch, a catch
 * that logs and returns a default, or a `.catch(() => null)` hides a failure behind a fake
 * result. The handler keeps its log call and rethrows the classified typed error instead:
 * `catch (err) { log(err); return null; }` → `catch (err) { log(err); throw classify(err); }`.
 * Only shapes whose new control flow is certain are rewritten; catches that go on with the
 * next item of a loop, fire-and-forget `.catch`es and intended swallows (a comment says why)
 * are left, with the reason.
 *
 * A rethrow changes the function's contract, so its callers (found by the scan, passed in the
 * finding's data) decide: the catch is left when one of them cannot take a rejection (it would
 * become an unhandled rejection), an Express 4 route caller must be fixed in the same run, and
 * when a caller reads the default back (`=== null` meaning "not found"), only infrastructure
 * failures are rethrown: `if (isInfraFailure(err)) throw classify(err); return null;`.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime
type AstNode = any;

const BATCH_REASON = 'catch inside a batch loop: report failures with @aws-lambda-powertools/batch instead';
const LOOP_REASON =
  'catch inside a loop goes on with the next item; a rethrow would stop the whole loop: decide by hand';
const FIRE_AND_FORGET_REASON =
  'the promise is not awaited or returned: a rethrow would be an unhandled rejection that stops the process';
const NOT_SILENT_REASON = 'the handler does more than log and return a default: rethrow a classified error by hand';
const INTENDED_REASON = 'a comment says the error is ignored on purpose';
const PATTERN_REASON = 'the caught error is destructured: rethrow a classified error by hand';
const NAME_REASON =
  'the name classify is already taken in this file: import it from the errors module under another name';
const INFRA_NAME_REASON =
  'the name isInfraFailure is already taken in this file: import it from the errors module under another name';

const CONSUMING_PARENTS = new Set([
  'AwaitExpression',
  'ReturnStatement',
  'VariableDeclarator',
  'AssignmentExpression',
  'ArrowFunctionExpression',
  'ArrayExpression',
  'CallExpression',
  'OptionalCallExpression',
  'NewExpression',
  'YieldExpression',
  'ObjectProperty',
]);

interface Run {
  ctx: FixContext;
  comments: AstNode[] | null;
  /** local name of `classify`; null when the file uses the name for something else */
  classify?: string | null;
  /** local name of `isInfraFailure`; null when the file uses the name for something else */
  isInfra?: string | null;
  /** the contract data of this file's swallows: from the findings, or from this file alone when run standalone */
  contracts?: Array<{ line: number; data: ContractData | null }>;
}

function contractsOf(run: Run): Array<{ line: number; data: ContractData | null }> {
  run.contracts ??= run.ctx.findings
    ? run.ctx.findings.map((f) => ({ line: f.line, data: contractDataOf(f.data) }))
    : singleFileContracts(run.ctx);
  return run.contracts;
}

function isInfraName(run: Run): string | null {
  if (run.isInfra !== undefined) return run.isInfra;
  const { j, root } = run.ctx;
  const source = run.ctx.useModule('errors');
  const local = importedLocal(j, root, source, 'isInfraFailure');
  if (local) run.isInfra = local;
  else if (isTopLevelName(j, root, 'isInfraFailure')) run.isInfra = null;
  else
    run.isInfra =
      ensureNamedImports(j, root, run.ctx.file, source, ['isInfraFailure']).isInfraFailure ?? 'isInfraFailure';
  return run.isInfra;
}

/** `if (isInfraFailure(err)) { throw classify(err); }` */
function rethrowInfra(run: Run, classify: string, isInfra: string, errName: string): AstNode {
  return run.ctx.j.template.statement([`if (${isInfra}(${errName})) {\n  throw ${classify}(${errName});\n}`]);
}

/**
 * What the callers allow, with the dependencies recorded; a reason string when the catch stays.
 * Names are resolved before any import is added, so a refused rewrite changes nothing.
 */
function allowed(
  run: Run,
  lines: Array<number | undefined>,
  line: number,
): { decision: Exclude<ContractDecision, { action: 'leave' }>; classify: string; isInfra: string | null } | string {
  const decision = decideContract(contractAt(contractsOf(run), lines), run.ctx);
  if (decision.action === 'leave') return decision.reason;
  const classify = classifyName(run);
  if (!classify) return NAME_REASON;
  const isInfra = decision.action === 'rethrow-infra' ? isInfraName(run) : null;
  if (decision.action === 'rethrow-infra' && !isInfra) return INFRA_NAME_REASON;
  for (const ref of decision.requires) run.ctx.dependsOn(ref, line);
  return { decision, classify, isInfra };
}

function classifyName(run: Run): string | null {
  if (run.classify !== undefined) return run.classify;
  const { j, root } = run.ctx;
  const source = run.ctx.useModule('errors');
  const local = importedLocal(j, root, source, 'classify');
  if (local) run.classify = local;
  else if (isTopLevelName(j, root, 'classify')) run.classify = null;
  else run.classify = ensureNamedImports(j, root, run.ctx.file, source, ['classify']).classify ?? 'classify';
  return run.classify;
}

function commentsOf(run: Run): AstNode[] {
  run.comments ??= allComments(run.ctx.j, run.ctx.root);
  return run.comments;
}

/**
 * Rewrites a silent statement list in place: the default return (or the end) becomes the
 * rethrow; with `isInfra`, the rethrow of infrastructure failures goes before the default, which stays.
 */
function rethrowIn(
  run: Run,
  block: AstNode,
  shape: SilentShape,
  classify: string,
  errName: string,
  isInfra: string | null = null,
): void {
  const { j } = run.ctx;
  const statements: AstNode[] = block.body;
  const rethrow = isInfra ? rethrowInfra(run, classify, isInfra, errName) : throwClassified(j, classify, errName);
  const index = shape.form === 'log-and-default' ? statements.findIndex((s) => s.type === 'ReturnStatement') : -1;
  if (isInfra && index >= 0) {
    statements.splice(index, 0, rethrow);
    return;
  }
  if (index < 0) {
    // comments of an empty block (`catch { // TODO }`) would be dropped once it has a statement
    const dangling = (block.comments ?? []).filter((c: AstNode) => !c.leading && !c.trailing);
    if (statements.length === 0 && dangling.length > 0) {
      block.comments = block.comments.filter((c: AstNode) => !dangling.includes(c));
      rethrow.comments = dangling.map((c: AstNode) => ({ ...c, leading: true, trailing: false }));
    }
    statements.push(rethrow);
    return;
  }
  const ret = statements[index];
  // `return logger.error(e)`: keep the log call as a statement
  if (ret.argument && isLogCall(ret.argument)) statements.splice(index, 0, j.expressionStatement(ret.argument));
  // turned into the throw in place, so that recast keeps its comments and the lines around it
  ret.type = 'ThrowStatement';
  ret.argument = rethrow.argument;
}

/**
 * A handler the scan found returning the error as its result (`return err` in a queue consumer,
 * `return { error }` in a Lambda handler): read with the same options, that return is the one the
 * rethrow replaces.
 */
function errorResultOptions(ctx: FixContext, lines: Array<number | undefined>): ShapeOptions {
  const returnsError = ctx.findings?.some((f) => lines.includes(f.line) && f.data?.errorValue === true);
  return returnsError ? { errorObjects: true, errorResults: true } : {};
}

function fixCatchClause(run: Run, path: ASTPath): boolean {
  const { ctx } = run;
  const handler: AstNode = path.node;
  const tryStatement: AstNode = path.parent.node;
  const line: number = handler.loc?.start.line ?? 0;
  if (!isSelectedAt(ctx, catchClauseLines(tryStatement, handler))) return false;
  // `report` for recognised swallows left as they are, `skip` for handlers that may be no finding at all
  const report = (reason: string): boolean => {
    ctx.skip(line, reason);
    return false;
  };
  const skip = (reason: string): boolean => (ctx.findings ? report(reason) : false);
  const param = handler.param;
  if (param && param.type !== 'Identifier') return skip(PATTERN_REASON);
  const statements: AstNode[] = handler.body.body;
  const shape = silentShape(
    statements,
    param?.name ?? null,
    errorResultOptions(ctx, catchClauseLines(tryStatement, handler)),
  );
  if (!shape) return skip(NOT_SILENT_REASON);
  if (hasReasonComment(commentsOf(run), handler, handler, tryStatement)) return skip(INTENDED_REASON);
  const loop = enclosingLoop(ctx.j, path);
  if (loop?.records) return report(BATCH_REASON);
  // a `return` leaves the function from a loop statement, but only the item from an array callback
  const goesOn = shape.form !== 'log-and-default' || loop?.kind === 'callback';
  if (loop && goesOn) return report(LOOP_REASON);
  if (hasJump(statements)) return report(LOOP_REASON);
  const errName = param?.name ?? freeErrorName(ctx.j, ctx.root, path);
  if (!errName) return skip(NOT_SILENT_REASON);
  const ok = allowed(run, catchClauseLines(tryStatement, handler), line);
  if (typeof ok === 'string') return report(ok);
  if (!param) handler.param = ctx.j.identifier(errName);
  rethrowIn(run, handler.body, shape, ok.classify, errName, ok.isInfra);
  return true;
}

/** Whether the promise a `.catch(...)` returns is used (awaited, returned, stored, passed on). */
function isConsumed(path: ASTPath): boolean {
  let current: ASTPath = path;
  for (;;) {
    const parent: AstNode = current.parent?.node;
    if (!parent) return false;
    const viaMember =
      (parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') &&
      parent.object === current.node;
    if (viaMember && current.parent.parent?.node.callee === parent) {
      current = current.parent.parent;
    } else if (
      parent.type === 'TSAsExpression' ||
      parent.type === 'TSNonNullExpression' ||
      parent.type === 'ParenthesizedExpression'
    ) {
      current = current.parent;
    } else {
      if (parent.type === 'ArrowFunctionExpression') return parent.body === current.node;
      return CONSUMING_PARENTS.has(parent.type);
    }
  }
}

function enclosingStatement(path: ASTPath): AstNode {
  for (let p: ASTPath | null = path; p; p = p.parent) if (/Statement$|Declaration$/.test(p.node.type)) return p.node;
  return null;
}

function fixCatchCall(run: Run, path: ASTPath): boolean {
  const { ctx } = run;
  const { j } = ctx;
  const call: AstNode = path.node;
  const callback: AstNode = call.arguments[0];
  const line: number = call.callee.property.loc?.start.line ?? call.loc?.start.line ?? 0;
  if (!isSelectedAt(ctx, [call.loc?.start.line, line, callback.loc?.start.line])) return false;
  // `report` for recognised swallows left as they are, `skip` for handlers that may be no finding at all
  const report = (reason: string): boolean => {
    ctx.skip(line, reason);
    return false;
  };
  const skip = (reason: string): boolean => (ctx.findings ? report(reason) : false);
  const isFunction = callback.type === 'ArrowFunctionExpression' || callback.type === 'FunctionExpression';
  if (!isFunction && !isLogFunction(callback)) return skip(NOT_SILENT_REASON);
  if (isFunction && (callback.params.length > 1 || (callback.params[0] && callback.params[0].type !== 'Identifier')))
    return skip(NOT_SILENT_REASON);
  const paramName: string | null = isFunction ? (callback.params[0]?.name ?? null) : null;
  const body: AstNode = isFunction ? callback.body : null;
  let shape: SilentShape | null;
  if (!isFunction) shape = { form: 'log-and-default', hasLog: true };
  else if (body.type === 'BlockStatement') shape = silentShape(body.body, paramName);
  else
    shape =
      isLogCall(body) || isDefaultValue(body, paramName) ? { form: 'log-and-default', hasLog: isLogCall(body) } : null;
  if (!shape) return skip(NOT_SILENT_REASON);
  if (hasReasonComment(commentsOf(run), callback, call.callee.property, enclosingStatement(path)))
    return skip(INTENDED_REASON);
  if (!isConsumed(path)) return report(FIRE_AND_FORGET_REASON);
  const loop = enclosingLoop(j, path);
  if (loop) return report(loop.records ? BATCH_REASON : LOOP_REASON);
  const errName = paramName ?? freeErrorName(j, ctx.root, path, isFunction ? identifierNames(j, callback) : []);
  if (!errName) return skip(NOT_SILENT_REASON);
  const ok = allowed(run, [call.loc?.start.line, line, callback.loc?.start.line], line);
  if (typeof ok === 'string') return report(ok);
  const { classify, isInfra } = ok;
  const rethrow = isInfra ? rethrowInfra(run, classify, isInfra, errName) : throwClassified(j, classify, errName);
  if (!isFunction) {
    // `.catch(console.error)` → `.catch((err) => { console.error(err); throw classify(err); })`
    const logged = j.expressionStatement(j.callExpression(callback, [j.identifier(errName)]));
    call.arguments[0] = j.arrowFunctionExpression([j.identifier(errName)], j.blockStatement([logged, rethrow]));
    return true;
  }
  if (!paramName) callback.params = [j.identifier(errName)];
  if (body.type === 'BlockStatement') rethrowIn(run, body, shape, classify, errName, isInfra);
  else if (isLogCall(body)) callback.body = j.blockStatement([j.expressionStatement(body), rethrow]);
  // `.catch(() => null)` keeping its default for what is not an outage: `{ if (isInfraFailure(err)) throw ...; return null; }`
  else {
    // `() => ({})`: the parentheses only belonged to the arrow body
    if (body.extra?.parenthesized) body.extra = { ...body.extra, parenthesized: false };
    callback.body = j.blockStatement(isInfra ? [rethrow, j.returnStatement(body)] : [rethrow]);
  }
  return true;
}

export const step: FixStepMeta = {
  name: 'swallowed-catch',
  phase: '4.1',
  fixes: ['silent-error-swallow'],
  requires: ['error-taxonomy'],
};

export const fix: FixStep = (ctx) => {
  const { j, root } = ctx;
  const run: Run = { ctx, comments: null };
  let changed = false;
  // innermost handlers first, so that rewriting an outer one never moves an inner one's nodes
  const clauses = root.find(j.CatchClause).paths().reverse();
  for (const path of clauses) changed = fixCatchClause(run, path) || changed;
  const calls = [...root.find(j.CallExpression).paths(), ...root.find(j.OptionalCallExpression).paths()]
    .filter((p) => {
      const callee: AstNode = p.node.callee;
      return (
        (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') &&
        !callee.computed &&
        callee.property.type === 'Identifier' &&
        callee.property.name === 'catch' &&
        p.node.arguments.length === 1 &&
        p.node.arguments[0]?.type !== 'SpreadElement'
      );
    })
    .reverse();
  for (const path of calls) changed = fixCatchCall(run, path) || changed;
  return changed;
};

export default toJscodeshiftTransform(fix);
