import type { ASTPath } from 'jscodeshift';
import { lineOf } from './lib/call-arguments';
import { ensureNamedImports } from './lib/imports';
import { moduleBindings } from './lib/module-bindings';
import { policyCallSite, policyKey, type PolicyCallSite } from './lib/policy-call-sites';
import { usePolicyModules } from './lib/policy-modules';
import { limitSdkAttempts, wrapCall } from './lib/policy-wrapping';
import { isSelected, toJscodeshiftTransform, type FixContext, type FixStep } from './lib/transform-api';

/**
 * Wrap each dependency (spec phase 4.3; catalog rules no-retry and no-circuit-breaker): every
 * awaited axios, got, fetch and AWS SDK v3 `send` call goes through the generated policy of its
 * dependency, `await policyFor('<dependency>').execute(({ signal }) => <call>)`, with the
 * policy's abort signal threaded into the request so that a timed-out attempt is cancelled.
 * A fetch body read in the next statement moves inside `execute` (the timeout aborts the
 * signal once the call returns). AWS SDK clients built in the file get `maxAttempts: 1`, so
 * that SDK and policy retries do not multiply. Calls already inside a policy are left alone;
 * calls that are not awaited, or whose body is read later, are skipped with the reason.
 */

/** The policy key: the finding's dependency name when the engine gives one, else from the callee. */
function keyFor(ctx: FixContext, path: ASTPath, site: PolicyCallSite): string {
  const line = lineOf(path.node);
  const named = ctx.findings?.find((f) => f.line === line && f.dependency?.name)?.dependency?.name;
  return policyKey(named ?? site.name);
}

export const fix: FixStep = (ctx) => {
  const { j, root } = ctx;
  const bindings = moduleBindings(root);
  const sites: Array<{ path: ASTPath; site: PolicyCallSite }> = [];
  root.find(j.Node, (n: { type: string }) => n.type === 'CallExpression' || n.type === 'OptionalCallExpression').forEach((found) => {
    if (!isSelected(ctx, found.node)) return;
    const path = found as unknown as ASTPath;
    const site = policyCallSite(path, bindings);
    if (site) sites.push({ path, site });
  });
  if (!sites.length) return false;

  let local: string | null = null;
  const policyFor = (): string => {
    local ??= ensureNamedImports(j, root, ctx.file, usePolicyModules(ctx), ['policyFor']).policyFor!;
    return local;
  };
  const sdkClients = new Set<unknown>();
  let changed = false;
  // innermost calls first, so that a call nested in another one's arguments is not moved before its turn
  for (const { path, site } of sites.reverse()) {
    const outcome = wrapCall(j, path, site, { key: keyFor(ctx, path, site), policyFor });
    if (outcome.kind === 'skip') ctx.skip(lineOf(path.node), outcome.reason);
    if (outcome.kind !== 'changed') continue;
    changed = true;
    if (site.awsClient) sdkClients.add(site.awsClient);
  }
  for (const client of sdkClients) limitSdkAttempts(j, client);
  return changed;
};

export default toJscodeshiftTransform(fix);
