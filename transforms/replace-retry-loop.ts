import type { ASTPath } from 'jscodeshift';
import type { RetryLoopData } from '../src/rule-data/policy-rules';
import { lineOf, skipped, type FixOutcome } from './lib/call-arguments';
import { addIdempotencyKey, hoistKey } from './lib/idempotency-keys';
import { ensureNamedImports } from './lib/imports';
import { moduleBindings } from './lib/module-bindings';
import { policyCallSite, policyKey, type PolicyCallSite } from './lib/policy-call-sites';
import { usePolicyModules } from './lib/policy-modules';
import { hasVisibleOptions, insidePolicyExecute, wrapCall } from './lib/policy-wrapping';
import { retryChoice } from './lib/retry-choice';
import { endProblem, loopShape, removeUnusedMechanics, replaceLoop } from './lib/retry-loop-rewrite';
import { isSelected, toJscodeshiftTransform } from './lib/transform-api';
import type { FixContext, FixStep } from '../src/api/fix-context';
import type { FixStepMeta } from '../src/api/step-metadata';

/**
 * Replace a hand-written retry loop with the policy (catalog rules retry-without-jitter and
 * retry-without-max): the loop that retries one dependency call with a fixed wait, or without
 * end, becomes one `try/catch` around `policyFor('<dependency>', { maxAttempts, initialDelayMs })
 * .execute(...)`. The loop's attempt count and wait become that call's retry settings (a loop
 * with no limit gets the configured one), so that no call makes more attempts than the loop did,
 * now with jittered backoff and the dependency's breaker and timeout. What the detectors learned
 * of the call decides, as in wrap-in-policy, whether it may be retried at all. A loop whose shape
 * does more than retry (it branches on the error, retries several calls, has no call the policy
 * can wrap) is left with the reason; the call inside it then stays unwrapped too.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

const LOOP = /^(ForStatement|WhileStatement|DoWhileStatement)$/;
const FUNCTION =
  /^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression|ObjectMethod|ClassMethod|ClassPrivateMethod)$/;

/** The dependency calls of the try block the policy can wrap (not those in nested functions). */
function callsIn(ctx: FixContext, block: AnyNode): Array<{ path: ASTPath; site: PolicyCallSite }> {
  const { j, root } = ctx;
  const bindings = moduleBindings(root);
  const found: Array<{ path: ASTPath; site: PolicyCallSite }> = [];
  // found from the file's root, so that each path knows its scopes (and the imports it refers to)
  root
    .find(j.Node, (n: { type: string }) => n.type === 'CallExpression' || n.type === 'OptionalCallExpression')
    .forEach((p) => {
      let q = p.parent;
      for (; q && q.node !== block; q = q.parent)
        if (FUNCTION.test(q.node.type) && !insidePolicyExecute(p as unknown as ASTPath)) return;
      if (!q) return;
      const path = p as unknown as ASTPath;
      const site = policyCallSite(path, bindings);
      if (site) found.push({ path, site });
    });
  return found;
}

/** `{ maxAttempts: 2, initialDelayMs: 500 }`: the loop's limit and wait as the call's retry settings. */
function loopSettings(data: RetryLoopData): string[] {
  const parts: string[] = [];
  if (data.limit?.kind === 'calls') parts.push(`maxAttempts: ${data.limit.calls - 1}`);
  if (data.delayMs !== undefined && data.delayMs > 0) parts.push(`initialDelayMs: ${data.delayMs}`);
  return parts;
}

function describeLimit(ctx: FixContext, data: RetryLoopData): string {
  if (data.limit?.kind === 'calls') return `up to ${data.limit.calls} calls as before`;
  return `the loop had no limit, now up to ${ctx.config.retry.maxAttempts + 1} calls`;
}

function replace(ctx: FixContext, path: ASTPath, data: RetryLoopData): FixOutcome {
  const { j, root } = ctx;
  const loop = path.node as AnyNode;
  const line = lineOf(loop);
  if (data.form === 'recursion')
    return skipped('a function that retries by calling itself: replace that retry with policyFor(...).execute by hand');
  if (data.form !== 'loop') return skipped(`a ${data.form} retry: give it jitter and a limit in its own options`);
  if (!data.limit || data.limit.kind === 'unknown')
    return skipped("the loop's attempt limit is out of sight: the policy could make more attempts than it did");
  const shape = loopShape(j, loop);
  if ('reason' in shape) return skipped(shape.reason);
  const calls = callsIn(ctx, shape.tryStatement.block);
  if (calls.length !== 1) {
    return skipped(
      calls.length === 0
        ? 'the loop retries no call the policy can wrap (axios, got, fetch, AWS SDK v3)'
        : `the loop retries ${calls.length} dependency calls together`,
    );
  }
  const { path: callPath, site } = calls[0]!;
  if (insidePolicyExecute(callPath))
    return skipped("the call already runs inside a policy's execute: the loop retries that policy");
  const bounded = data.limit.kind === 'calls';
  const problem = endProblem(path, shape, bounded);
  if (problem) return skipped(problem);

  const callLine = lineOf(callPath.node);
  const key = policyKey(ctx.facts.dependencyAt(callLine) ?? site.name);
  const settings = loopSettings(data);
  let note = '';
  const prepare = (): string | undefined => {
    if (site.client === 'aws-sdk') {
      note = 'AWS SDK command: breaker and timeout; the client keeps its own retries, so attempts do not multiply';
      return '{ retry: false }';
    }
    const choice = retryChoice(ctx.facts.callFacts(callLine), ctx.config.idempotencyKeys);
    note = choice.note;
    // the client retries by itself (got, ky): the loop's retries were on top of those; now only the client's
    if (choice.kind === 'no-retry') return '{ retry: false }';
    let once = choice.kind === 'once';
    if (choice.kind === 'hoist-key' && !hoistKey(j, callPath, site)) once = true;
    if (
      choice.kind === 'add-key' &&
      !(hasVisibleOptions(site, callPath.node) && addIdempotencyKey(j, root, ctx.file, callPath, site, key))
    )
      once = true;
    if (once && (choice.kind === 'hoist-key' || choice.kind === 'add-key')) note = choice.fallback;
    const options = once ? ['idempotent: false', ...settings] : settings;
    return options.length ? `{ ${options.join(', ')} }` : undefined;
  };
  const policies = (): string => usePolicyModules(ctx);
  const outcome = wrapCall(j, callPath, site, {
    key,
    prepare,
    policyFor: () => ensureNamedImports(j, root, ctx.file, policies(), ['policyFor']).policyFor!,
    throwOnTransientStatus: () =>
      ensureNamedImports(j, root, ctx.file, policies(), ['policyFor', 'throwOnTransientStatus'])
        .throwOnTransientStatus!,
  });
  if (outcome.kind !== 'changed')
    return outcome.kind === 'skip' ? outcome : skipped('the call could not be put behind the policy');
  replaceLoop(j, path, shape, bounded);
  removeUnusedMechanics(j, root, path, shape.mechanics);
  const wait = data.delayMs ? `, first wait ${data.delayMs} ms with jitter` : ', waits with jittered backoff';
  ctx.note(line, `${key}: the retry loop is replaced by the policy (${describeLimit(ctx, data)}${wait}); ${note}`);
  return { kind: 'changed' };
}

export const step: FixStepMeta = {
  name: 'replace-retry-loop',
  phase: '4.3',
  fixes: ['retry-without-jitter', 'retry-without-max'],
  requires: ['policy-layer'],
  // before wrapping: a call inside a hand-written retry loop is wrapped by replacing the loop, never inside it
  runsBefore: ['wrap-in-policy'],
};

export const fix: FixStep = (ctx) => {
  const { j, root } = ctx;
  const loops = root.find(j.Node, (n: { type: string }) => LOOP.test(n.type)).paths() as unknown as ASTPath[];
  let changed = false;
  // inner loops first: replacing one never moves a loop still to be visited
  for (const path of [...loops].reverse()) {
    const node = path.node as AnyNode;
    if (!isSelected(ctx, node)) continue;
    const data = ctx.facts.retryLoopFacts(lineOf(node));
    if (!data) continue;
    const outcome = replace(ctx, path, data);
    if (outcome.kind === 'skip') ctx.skip(lineOf(node), outcome.reason);
    if (outcome.kind === 'changed') changed = true;
  }
  return changed;
};

export default toJscodeshiftTransform(fix);
