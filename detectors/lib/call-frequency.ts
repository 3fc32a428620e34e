import type { Node } from '@babel/types';
import { enclosingFunction, isFunctionNode, type NodePath } from '../../src/parse/walk';
import { functionName, loadCallIndex, onlyCalledAtLoad, type LoadCallIndex } from './local-scope';
import { memberChain } from './dependency-ast';
import type { DependencyCall } from './dependency-calls';
import { memoized, resolveValue, type DependencyModel } from './dependency-model';
import { unwrap } from './unwrap';

/*
 * A circuit breaker pays off for a dependency that a request or message path calls again and
 * again while it is down. It does nothing for a call made once at cold start (module scope, a
 * function only the module scope calls, a value cached after its first load), nor for a URL the
 * incoming event or request supplies (each invocation may call a different host: there is no
 * single dependency to break on). These answer why no no-circuit-breaker finding is due.
 */

/** Parameter names that hold the incoming event or request. */
const CALLER_INPUT = /^(event|evt|req|request|body|payload|input|message|record)$/;

function isParamOf(name: string, path: NodePath): boolean {
  for (let p = path.parent; p; p = p.parent) {
    if (!isFunctionNode(p.node)) continue;
    const params = (p.node as Node & { params: Node[] }).params;
    if (
      params.some((param) => {
        const n = param.type === 'AssignmentPattern' ? param.left : param;
        return n.type === 'Identifier' && n.name === name;
      })
    )
      return true;
  }
  return false;
}

/** Whether an expression is built from the incoming event or request (`event.image_url`, `url.parse(event.ResponseURL).hostname`). */
function fromCallerInput(m: DependencyModel, node: Node | null | undefined, at: NodePath, depth = 0): boolean {
  const n = unwrap(node);
  if (!n || depth > 8) return false;
  switch (n.type) {
    case 'Identifier': {
      if (CALLER_INPUT.test(n.name) && isParamOf(n.name, at)) return true;
      const v = resolveValue(m, n, at);
      return !!v && v !== n && fromCallerInput(m, v, at, depth + 1);
    }
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return fromCallerInput(m, n.object, at, depth + 1);
    case 'CallExpression':
    case 'NewExpression':
      return n.arguments.some((a) => fromCallerInput(m, a as Node, at, depth + 1));
    case 'TemplateLiteral': {
      // a fixed host with a caller's path is still one dependency
      const head = n.quasis[0]?.value.cooked ?? '';
      return !/^[a-z]+:\/\/[^/]/i.test(head) && n.expressions.some((e) => fromCallerInput(m, e as Node, at, depth + 1));
    }
    case 'BinaryExpression':
      return fromCallerInput(m, n.left as Node, at, depth + 1);
    case 'LogicalExpression':
      return fromCallerInput(m, n.left, at, depth + 1);
    case 'ObjectExpression':
      return n.properties.some(
        (p) =>
          p.type === 'ObjectProperty' &&
          !p.computed &&
          p.key.type === 'Identifier' &&
          /^(url|uri|href|host|hostname)$/.test(p.key.name) &&
          fromCallerInput(m, p.value as Node, at, depth + 1),
      );
    default:
      return false;
  }
}

/** The variable an `if (!x)` / `if (x == null)` test checks, or null. */
function guardedName(test: Node | null | undefined): string | null {
  const t = unwrap(test);
  const chain =
    t?.type === 'UnaryExpression' && t.operator === '!'
      ? memberChain(t.argument)
      : t?.type === 'BinaryExpression' && /^[!=]==?$/.test(t.operator)
        ? memberChain(t.left as Node)
        : null;
  return chain ? chain.join('.') : null;
}

/**
 * `if (!cache) { cache = await load(); }`, `cache ??= await load()`: the call runs once, then its
 * result is reused. With `assignedBy`, the guarded variable may also be assigned there (a lazy
 * initialiser: `if (!pool) await connect()` where connect() sets `pool`).
 */
function isCachedLoad(path: NodePath, assignedBy?: Node): boolean {
  for (let child = path, p = path.parent; p && !isFunctionNode(p.node); child = p, p = p.parent) {
    const n = p.node;
    if (n.type === 'AssignmentExpression' && (n.operator === '??=' || n.operator === '||=')) return true;
    if (n.type === 'IfStatement' && child.key === 'consequent') {
      const guarded = guardedName(n.test);
      if (guarded && (assigns(n.consequent, guarded) || (assignedBy && assigns(assignedBy, guarded)))) return true;
    }
  }
  return false;
}

function assigns(node: Node, name: string): boolean {
  let found = false;
  const visit = (n: Node | null | undefined): void => {
    if (!n || found || typeof n !== 'object') return;
    if (n.type === 'AssignmentExpression' && memberChain(n.left)?.join('.') === name) {
      found = true;
      return;
    }
    for (const key of Object.keys(n)) {
      if (key === 'loc' || key === 'leadingComments' || key === 'trailingComments') continue;
      const v = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) v.forEach((c) => visit(c as Node));
      else if (v && typeof v === 'object' && 'type' in (v as object)) visit(v as Node);
    }
  };
  visit(node);
  return found;
}

/**
 * A lazy initialiser: a function that sets module state, called where that state is missing
 * (`if (!pgPool) await createConn()` with createConn assigning `pgPool`). Its calls run at cold
 * start and on an explicit refresh, not once per request: the dependency it reads (credentials,
 * configuration) is no traffic for a breaker to shed.
 */
function isLazyInitialiser(m: DependencyModel, fn: NodePath): boolean {
  const name = functionName(fn);
  if (!name) return false;
  return memoized(m, `lazyInitialiser:${name}`, () =>
    (callIndex(m).byName.get(name) ?? []).some((c) => isCachedLoad(c, fn.node)),
  );
}

/** The file's calls of plain names and the names it mentions: built once, so a lookup per function stays linear. */
function callIndex(m: DependencyModel): LoadCallIndex {
  return memoized(m, 'loadCallIndex', () => loadCallIndex(m.calls, m.ctx.file.text));
}

/** A function the file calls only from module scope (`const config = loadConfig()`), and never exports. */
function calledOnlyAtLoad(m: DependencyModel, fn: NodePath): boolean {
  const name = functionName(fn);
  if (!name) return false;
  return memoized(m, `calledOnlyAtLoad:${name}`, () => onlyCalledAtLoad(fn, callIndex(m)));
}

/** Why a call needs no circuit breaker of its own, or null when it does. */
export function breakerNotDue(m: DependencyModel, call: DependencyCall): string | null {
  const fn = enclosingFunction(call.path);
  if (!fn) return 'a one-shot call at cold start';
  if (calledOnlyAtLoad(m, fn)) return 'a one-shot call at cold start';
  if (isLazyInitialiser(m, fn)) return 'a one-shot call at cold start';
  if (isCachedLoad(call.path)) return 'a load whose result is cached';
  if (fromCallerInput(m, call.urlNode, call.path)) return 'a URL the caller supplies';
  return null;
}
