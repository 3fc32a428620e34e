import type { ASTPath } from 'jscodeshift';
import { lineOf } from './lib/call-arguments';
import { addIdempotencyKey, hoistKey } from './lib/idempotency-keys';
import { ensureNamedImports } from './lib/imports';
import { moduleBindings } from './lib/module-bindings';
import { policyCallSite, policyKey, type PolicyCallSite } from './lib/policy-call-sites';
import { usePolicyModules } from './lib/policy-modules';
import { hasVisibleOptions, insidePolicyExecute, limitSdkAttempts, wrapCall } from './lib/policy-wrapping';
import { awsAttemptPlan } from './lib/aws-sdk-attempts';
import { NO_RETRY_OPTIONS, NOT_IDEMPOTENT_OPTIONS, retryChoice } from './lib/retry-choice';
import { refusalFor } from './lib/wrap-refusals';
import { isSelected, toJscodeshiftTransform } from './lib/transform-api';
import type { FixContext, FixStep } from '../src/api/fix-context';
import type { FixStepMeta } from '../src/api/step-metadata';

/**
 * Wrap each dependency (spec phase 4.3; catalog rules no-retry and no-circuit-breaker): every
 * awaited axios, got, fetch and AWS SDK v3 `send` call goes through the generated policy of its
 * dependency, `await policyFor('<dependency>').execute(({ signal }) => <call>)`, with the
 * policy's abort signal threaded into the request so that a timed-out attempt is cancelled.
 *
 * What the detectors learned of each call (its finding data) decides how it is retried: an
 * idempotent call or one with a stable idempotency key is retried; a POST/PATCH without a key is
 * not (`{ idempotent: false }`), unless the config opts in to adding a key; the choice is noted
 * per call in the fix summary. A fetch's status checks and body read move inside `execute` (the
 * timeout aborts the signal once the call returns), after a check that fails the attempt on a
 * 5xx/429 answer. An AWS SDK client gives up its own retries (`maxAttempts: 1`) only when every
 * call through it is wrapped here; otherwise it keeps them and the policy does not retry.
 * Nothing is put inside a hand-written retry (the loop's own fix replaces it), nor around a call
 * whose catch reads fields of the original error. Calls already inside a policy are left alone.
 */

/** The policy key: the finding's dependency name when the engine gives one, else from the callee. */
function keyFor(ctx: FixContext, path: ASTPath, site: PolicyCallSite): string {
  const line = lineOf(path.node);
  const named = ctx.findings?.find((f) => f.line === line && f.dependency?.name)?.dependency?.name;
  return policyKey(named ?? site.name);
}

export const step: FixStepMeta = {
  name: 'wrap-in-policy',
  phase: '4.3',
  fixes: ['no-retry', 'no-circuit-breaker'],
  requires: ['policy-layer'],
};

export const fix: FixStep = (ctx) => {
  const { j, root } = ctx;
  const bindings = moduleBindings(root);
  const all: Array<{ path: ASTPath; site: PolicyCallSite }> = [];
  root
    .find(j.Node, (n: { type: string }) => n.type === 'CallExpression' || n.type === 'OptionalCallExpression')
    .forEach((found) => {
      const path = found as unknown as ASTPath;
      const site = policyCallSite(path, bindings);
      if (site) all.push({ path, site });
    });
  const sites = all.filter(({ path }) => isSelected(ctx, path.node as { loc?: { start: { line: number } } | null }));
  if (!sites.length) return false;

  const policies = (): string => usePolicyModules(ctx);
  const policyFor = (): string => ensureNamedImports(j, root, ctx.file, policies(), ['policyFor']).policyFor!;
  // policyFor first, so that the import reads `{ policyFor, throwOnTransientStatus }`
  const throwOnTransientStatus = (): string =>
    ensureNamedImports(j, root, ctx.file, policies(), ['policyFor', 'throwOnTransientStatus']).throwOnTransientStatus!;
  const aws = awsAttemptPlan(j, root, all, sites);
  let changed = false;
  // innermost calls first, so that a call nested in another one's arguments is not moved before its turn
  for (const { path, site } of [...sites].reverse()) {
    const line = lineOf(path.node);
    const facts = ctx.facts.callFacts(line);
    if (insidePolicyExecute(path)) {
      // someone's policy already runs it (its client keeps its own retries); a request that is not idempotent stays unretried there, and says why
      aws.left(site);
      if (facts?.idempotency.kind === 'not-idempotent')
        ctx.skip(
          line,
          `${facts.idempotency.method === '?' ? 'a request whose method is out of sight' : `${facts.idempotency.method} without an idempotency key`} already runs inside a policy's execute: it is not retried, since a retry could apply it twice (send an Idempotency-Key the API honours to retry it)`,
        );
      continue;
    }
    const refusal = refusalFor(path, facts);
    if (refusal) {
      ctx.skip(line, refusal);
      aws.left(site);
      continue;
    }
    const key = keyFor(ctx, path, site);
    let note = '';
    const prepare = (): string | undefined => {
      if (site.client === 'aws-sdk') {
        const own = aws.retriesHere(site);
        note = own
          ? "AWS SDK command: retried by the policy; the client's own retries are off (maxAttempts: 1)"
          : 'AWS SDK command: breaker and timeout; the client keeps its own retries, so attempts do not multiply';
        return own ? undefined : '{ retry: false }';
      }
      const choice = retryChoice(facts, ctx.config.idempotencyKeys);
      note = choice.note;
      if (choice.kind === 'retry') return undefined;
      if (choice.kind === 'no-retry') return NO_RETRY_OPTIONS;
      if (choice.kind === 'hoist-key' && hoistKey(j, path, site)) return undefined;
      if (
        choice.kind === 'add-key' &&
        hasVisibleOptions(site, path.node) &&
        addIdempotencyKey(j, root, ctx.file, path, site, key)
      )
        return undefined;
      if (choice.kind === 'hoist-key' || choice.kind === 'add-key') note = choice.fallback;
      return NOT_IDEMPOTENT_OPTIONS;
    };
    const outcome = wrapCall(j, path, site, {
      key,
      policyFor,
      throwOnTransientStatus,
      prepare,
      onWrapped: (policyCall) => aws.wrapped(site, policyCall),
    });
    if (outcome.kind === 'skip') {
      ctx.skip(line, outcome.reason);
      aws.left(site);
    }
    if (outcome.kind !== 'changed') continue;
    changed = true;
    ctx.note(line, `${key}: ${note}`);
  }
  for (const client of aws.finish(j)) limitSdkAttempts(j, client);
  return changed;
};

export default toJscodeshiftTransform(fix);
