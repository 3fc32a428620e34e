import type { ASTPath } from 'jscodeshift';
import { freeErrorName, hasOwnAwait, importedLocal, isSelectedWithin } from './lib/catch-helpers';
import { ensureNamedImports, isTopLevelName, preferredQuote } from './lib/imports';
import { firstMisleadingAnswer, guardSource } from './lib/infra-answers';
import { toJscodeshiftTransform } from './lib/transform-api';
import type { FixContext, FixStep } from '../src/api/fix-context';
import type { FixStepMeta } from '../src/api/step-metadata';

/**
 * Wrong status on infrastructure failure (rule wrong-status-on-infra-failure, spec phase 4.1):
 * a catch that answers 401/403/404/400/200 when a dependency fails tells clients to log out
 * or give up instead of retrying. Before that answer the handler gets a guard that answers
 * 503 with Retry-After when the error is transient or the dependency is down:
 * `if (isInfraFailure(err)) { return { statusCode: 503, ... } }` for API Gateway results, and
 * the same in Express, Fastify and Koa style. The original answer stays for genuine client
 * errors (jose's JWT errors, validation, other 4xx are classified permanent).
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime
type AstNode = any;

const NO_ANSWER_REASON =
  'the handler does not answer with a literal 4xx/200 status in a known style: add the 503 guard by hand';
const PATTERN_REASON = 'the caught error is destructured: add the 503 guard by hand';
const NAME_REASON =
  'the name isInfraFailure is already taken in this file: import it from the errors module under another name';

interface Run {
  ctx: FixContext;
  quote?: string;
  /** local name of `isInfraFailure`; null when the file uses the name for something else */
  guard?: string | null;
  /** local name of an existing `isInfraFailure` import, from any module */
  existing?: string | null;
}

function guardName(run: Run): string | null {
  if (run.guard !== undefined) return run.guard;
  const { j, root } = run.ctx;
  const source = run.ctx.useModule('errors');
  const local = importedLocal(j, root, source, 'isInfraFailure');
  if (local) run.guard = local;
  else if (isTopLevelName(j, root, 'isInfraFailure')) run.guard = null;
  else
    run.guard =
      ensureNamedImports(j, root, run.ctx.file, source, ['isInfraFailure']).isInfraFailure ?? 'isInfraFailure';
  return run.guard;
}

/** Whether the handler already checks for infrastructure failures (then it is left alone). */
function hasGuard(run: Run, handler: AstNode): boolean {
  const { j, root } = run.ctx;
  if (run.existing === undefined) run.existing = importedLocal(j, root, null, 'isInfraFailure');
  const local = run.existing;
  const calls = j(handler.body)
    .find(j.CallExpression)
    .filter((p) => {
      const callee: AstNode = p.node.callee;
      const name =
        callee.type === 'Identifier'
          ? callee.name
          : callee.type === 'MemberExpression' && !callee.computed
            ? callee.property.name
            : '';
      return name === 'isInfraFailure' || name === local;
    });
  return calls.size() > 0;
}

/** Names declared by the handler's statements from `index` on: not yet usable in the guard. */
function namesDeclaredFrom(statements: AstNode[], index: number): Set<string> {
  const names = new Set<string>();
  for (const s of statements.slice(index)) {
    if (s.type === 'VariableDeclaration')
      for (const d of s.declarations) if (d.id.type === 'Identifier') names.add(d.id.name);
    if ((s.type === 'FunctionDeclaration' || s.type === 'ClassDeclaration') && s.id) names.add(s.id.name);
  }
  return names;
}

function fixCatchClause(run: Run, path: ASTPath): boolean {
  const { ctx } = run;
  const { j } = ctx;
  const handler: AstNode = path.node;
  const tryStatement: AstNode = path.parent.node;
  const line: number = handler.loc?.start.line ?? 0;
  // the finding points at the misleading response, anywhere in the handler
  if (!isSelectedWithin(ctx, handler.loc?.start.line, handler.loc?.end.line)) return false;
  const skip = (reason: string): boolean => {
    if (ctx.findings) ctx.skip(line, reason);
    return false;
  };
  if (hasGuard(run, handler)) return false;
  const statements: AstNode[] = handler.body.body;
  const found = firstMisleadingAnswer(statements);
  if (!found) return skip(NO_ANSWER_REASON);
  // standalone, only handlers of code that waits on something (a dependency call) are changed
  if (!ctx.findings && !hasOwnAwait(j, tryStatement.block)) return false;
  const param = handler.param;
  if (param && param.type !== 'Identifier') return skip(PATTERN_REASON);
  const errName = param?.name ?? freeErrorName(j, ctx.root, path);
  if (!errName) return skip(PATTERN_REASON);
  const guard = guardName(run);
  if (!guard) {
    ctx.skip(line, NAME_REASON);
    return false;
  }
  run.quote ??= preferredQuote(j, ctx.root);
  const source = guardSource(j, found.answer, {
    guard,
    errName,
    quote: run.quote,
    retryAfter: String(Math.ceil(ctx.config.breaker.halfOpenAfterMs / 1000)),
    laterNames: namesDeclaredFrom(statements, found.index),
  });
  if (!param) handler.param = j.identifier(errName);
  statements.splice(found.index, 0, j.template.statement([source]));
  return true;
}

export const step: FixStepMeta = {
  name: 'infra-failure-status',
  phase: '4.1',
  fixes: ['wrong-status-on-infra-failure'],
  requires: ['error-taxonomy'],
  // the established order of the catch rewrites (fixtures and the example's fix were made with it); no interaction with swallowed-catch is known
  runsAfter: ['swallowed-catch'],
};

export const fix: FixStep = (ctx) => {
  const { j, root } = ctx;
  const run: Run = { ctx };
  let changed = false;
  // innermost handlers first, so that rewriting an outer one never moves an inner one's nodes
  for (const path of root.find(j.CatchClause).paths().reverse()) changed = fixCatchClause(run, path) || changed;
  return changed;
};

export default toJscodeshiftTransform(fix);
