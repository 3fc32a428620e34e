import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { CHANGED, COVERED, skipped, type FixOutcome } from './call-arguments';
import { parseExpression, sourceOf } from './code-splice';
import { mentions, moveBodyRead, planFetch } from './fetch-body-reads';
import { addProperty, findProperty, isObjectLiteral, objectWith } from './object-literals';
import type { PolicyCallSite } from './policy-call-sites';
import { streamsResponse, threadSignal } from './signal-threading';
import { CHAIN_METHODS } from '../../detectors/lib/error-inspection';

/*
 * Puts one dependency call (awaited, returned, or at the head of a .then/.catch chain) behind its policy:
 * `await policyFor('<key>').execute(({ signal }) => <call with the signal threaded in>)`.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

const FUNCTION_TYPES =
  /^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression|ObjectMethod|ClassMethod|ClassPrivateMethod)$/;
const GOT_BODY_METHODS = new Set(['json', 'text', 'buffer']);

function enclosingFunction(path: ASTPath): AnyNode | null {
  for (let p = path.parent; p; p = p.parent) if (FUNCTION_TYPES.test(p.node.type)) return p.node;
  return null;
}

/** Whether the call already runs inside a function given to some policy's `.execute(...)`. */
export function insidePolicyExecute(path: ASTPath): boolean {
  for (let p = path.parent; p; p = p.parent) {
    const parent = p.parent?.node;
    if (
      FUNCTION_TYPES.test(p.node.type) &&
      (parent?.type === 'CallExpression' || parent?.type === 'OptionalCallExpression') &&
      parent.arguments.includes(p.node) &&
      parent.callee.type === 'MemberExpression' &&
      parent.callee.property.name === 'execute'
    )
      return true;
  }
  return false;
}

/** The expression to wrap: the call, or `got(url).json()` around it (the body read stays inside). */
function wrapTarget(path: ASTPath, site: PolicyCallSite): ASTPath {
  const member = path.parent?.node;
  const outer = path.parent?.parent;
  if (
    site.client === 'got' &&
    member?.type === 'MemberExpression' &&
    member.object === path.node &&
    GOT_BODY_METHODS.has(member.property.name) &&
    outer?.node.type === 'CallExpression' &&
    outer.node.callee === member
  )
    return outer;
  return path;
}

/** How the target's value is consumed: awaited, returned from an async function, the head of a promise chain, or none of these. */
function consumption(target: ASTPath): 'await' | 'return' | 'chain' | null {
  const parent = target.parent?.node;
  if (parent?.type === 'AwaitExpression' && parent.argument === target.node) return 'await';
  // `client.post(url).then(ok).catch(fail)`: the policy's promise settles as the call's did, so the chain reads the same
  if (
    (parent?.type === 'MemberExpression' || parent?.type === 'OptionalMemberExpression') &&
    parent.object === target.node &&
    !parent.computed &&
    CHAIN_METHODS.has(parent.property?.name) &&
    target.parent?.parent?.node.callee === parent
  )
    return 'chain';
  // `() => client.get(url)` hands its promise to whoever called it (a retry helper, a .then): the policy's promise does the same
  if (parent?.type === 'ArrowFunctionExpression' && parent.body === target.node) return 'return';
  const returned = parent?.type === 'ReturnStatement' && parent.argument === target.node;
  return returned && enclosingFunction(target)?.async === true ? 'return' : null;
}

export interface WrapOptions {
  /** the policy key, e.g. 'payments-api' */
  key: string;
  /** the local name of `policyFor` (imports it on first use) */
  policyFor: () => string;
  /** the local name of `throwOnTransientStatus` (imports it on first use) */
  throwOnTransientStatus: () => string;
  /**
   * Runs once the call is known to be wrappable, before it is wrapped (e.g. to add an idempotency
   * key), and returns the call site's options for `policyFor` as code (`{ idempotent: false }`).
   */
  prepare?: () => string | undefined;
  /** told the `policyFor(...)` call node once the call is wrapped */
  onWrapped?: (policyCall: AnyNode) => void;
}

/** Wraps the dependency call at `path`; COVERED when it already runs inside a policy. */
export function wrapCall(j: JSCodeshift, path: ASTPath, site: PolicyCallSite, options: WrapOptions): FixOutcome {
  if (insidePolicyExecute(path)) return COVERED;
  const target = wrapTarget(path, site);
  const consumed = consumption(target);
  if (!consumed)
    return skipped(
      "the call's promise is stored or handed on, not awaited, returned or chained; put it in policyFor(...).execute by hand",
    );
  const plan =
    site.client !== 'fetch'
      ? { kind: 'wrap' as const }
      : consumed === 'return'
        ? skipped('the Response is returned, so its body would be read after the policy aborts the request')
        : consumed === 'chain'
          ? skipped(
              'the Response goes on to a .then, so its body would be read after the policy aborts the request: await it, then wrap it',
            )
          : planFetch(j, target.parent);
  if (plan.kind === 'skip') return plan;
  if (streamsResponse(site, path.node))
    return skipped('the response is a stream, which the policy would abort as soon as the call returns');

  const moved: AnyNode[] =
    plan.kind === 'move'
      ? plan.body.slice(plan.index, plan.index + plan.count)
      : [plan.kind === 'wrap-outer' ? plan.target.node : target.node];
  const local = moved.some((n) => mentions(j, n, 'signal')) ? 'policySignal' : 'signal';
  const threaded = threadSignal(j, site, path.node, local);
  if (threaded.kind !== 'changed') return threaded;
  const declaration = plan.kind === 'move' ? plan.body[plan.index] : null;
  const callOptions = options.prepare?.();
  // a statement put before the fetch moves it down
  if (plan.kind === 'move') plan.index = plan.body.indexOf(declaration);

  const execute = (body: AnyNode, isAsync: boolean): AnyNode => {
    // parsed from text so that recast prints `({ signal }) =>` as written
    const param = local === 'signal' ? '{ signal }' : `{ signal: ${local} }`;
    const extra = callOptions ? `, ${callOptions}` : '';
    const wrapper = parseExpression(
      j,
      `${options.policyFor()}('key'${extra}).execute(${isAsync ? 'async ' : ''}(${param}) => null)`,
    );
    wrapper.callee.object.arguments[0] = j.stringLiteral(options.key);
    wrapper.arguments[0].body = body;
    options.onWrapped?.(wrapper.callee.object);
    return wrapper;
  };
  // a fetch resolves on 503: when its body is read inside, a 5xx/429 answer must fail the attempt first
  // written as text, so that recast prints the call on one line as the fetch was
  const checked = (fetched: AnyNode): AnyNode => {
    if (fetched.extra?.parenthesized) fetched.extra = { ...fetched.extra, parenthesized: false };
    return parseExpression(j, `${options.throwOnTransientStatus()}(${sourceOf(j, fetched)})`);
  };
  if (plan.kind === 'move') moveBodyRead(j, plan, (block) => execute(block, true), checked);
  else if (plan.kind === 'wrap-outer') {
    const read = plan.target.node as AnyNode;
    const member = read.callee;
    // `(await fetch(url)).json()` becomes `throwOnTransientStatus(await fetch(url)).json()`, rewritten as text to drop the parentheses
    const outer =
      site.client === 'fetch' && member.object.type === 'AwaitExpression' && !member.computed
        ? parseExpression(
            j,
            `${sourceOf(j, checked(member.object))}.${member.property.name}(${read.arguments.map((a: AnyNode) => sourceOf(j, a)).join(', ')})`,
          )
        : read;
    plan.target.replace(execute(outer, true));
  } else target.replace(execute(target.node, false));
  return CHANGED;
}

/** Whether the call's options are an object literal (or absent) where a header can go: checked before anything changes. */
export function hasVisibleOptions(site: PolicyCallSite, call: AnyNode): boolean {
  const index = site.optionsIndex;
  if (typeof index !== 'number') return false;
  const options = call.arguments[index];
  return (
    options === undefined || isObjectLiteral(options) || (options.type === 'Identifier' && options.name === 'undefined')
  );
}

/**
 * `maxAttempts: 1` on an AWS SDK client construction: the SDK retries 3 times by default, and
 * inside the policy's retry the attempts would multiply.
 */
export function limitSdkAttempts(j: JSCodeshift, construction: AnyNode): boolean {
  const args: AnyNode[] = construction.arguments;
  if (args.length === 0) {
    args.push(objectWith(j, [['maxAttempts', '1']]));
    return true;
  }
  if (!isObjectLiteral(args[0])) return false;
  const existing = findProperty(args[0], 'maxAttempts');
  if (!existing) {
    addProperty(j, args[0], 'maxAttempts', '1');
    return true;
  }
  if (existing.type !== 'ObjectProperty' || (existing.value.type === 'NumericLiteral' && existing.value.value === 1))
    return false;
  existing.value = j.numericLiteral(1);
  existing.shorthand = false;
  return true;
}
