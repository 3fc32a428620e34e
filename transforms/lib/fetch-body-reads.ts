import type { ASTPath, JSCodeshift } from 'jscodeshift';

/*
 * A cockatiel Aggressive timeout aborts its signal as soon as the wrapped function returns, so a
 * fetch Response whose body is read after `execute` resolves fails with an AbortError. These
 * helpers tell where an awaited fetch's Response goes, so that its body read can move inside.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

const BODY_METHODS = new Set(['json', 'text', 'arrayBuffer', 'blob', 'formData', 'bytes']);
/** Response members that do not touch the body */
const HEAD_MEMBERS = new Set(['status', 'ok', 'statusText', 'headers', 'url', 'redirected', 'type']);

/** What to do with an `await fetch(...)` so that its body is read before the signal aborts. */
export type FetchPlan =
  /** wrap the awaited fetch alone: the body is never read, or the result is discarded */
  | { kind: 'wrap' }
  /** `(await fetch(url)).json()` awaited: wrap that whole expression, in an async function */
  | { kind: 'wrap-outer'; target: ASTPath }
  /**
   * `const res = await fetch(); [if (!res.ok) throw ...;] <statement reading res's body>`: the
   * `count` statements from `index` (the fetch, its status checks, the body read) move inside
   */
  | { kind: 'move'; body: AnyNode[]; index: number; count: number }
  | { kind: 'skip'; reason: string };

/** `x.json()` (optionally awaited) on the identifier `name`. */
export function bodyReadOf(node: AnyNode, name: string): AnyNode | null {
  let inner = node;
  while (
    inner &&
    /^(TSAsExpression|TSSatisfiesExpression|TSNonNullExpression|ParenthesizedExpression|AwaitExpression)$/.test(
      inner.type,
    )
  )
    inner = inner.type === 'AwaitExpression' ? inner.argument : inner.expression;
  const call = inner;
  if (call?.type !== 'CallExpression' || call.callee.type !== 'MemberExpression' || call.callee.computed) return null;
  return call.callee.object.type === 'Identifier' &&
    call.callee.object.name === name &&
    BODY_METHODS.has(call.callee.property.name)
    ? call
    : null;
}

function isFunction(node: AnyNode): boolean {
  return /^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression|ObjectMethod|ClassMethod|ClassPrivateMethod)$/.test(
    node?.type ?? '',
  );
}

/** Identifier paths that refer to `name` (not property keys or member names). */
function referencesIn(j: JSCodeshift, node: AnyNode, name: string): ASTPath[] {
  return j(node)
    .find(j.Identifier, { name })
    .filter((p) => {
      const parent = p.parent?.node;
      if (
        (parent?.type === 'MemberExpression' || parent?.type === 'OptionalMemberExpression') &&
        parent.property === p.node &&
        !parent.computed
      )
        return false;
      if (
        (parent?.type === 'ObjectProperty' || parent?.type === 'ObjectMethod') &&
        parent.key === p.node &&
        !parent.computed &&
        !parent.shorthand
      )
        return false;
      return true;
    })
    .paths();
}

/** Whether `node` mentions the variable `name` (so a parameter of that name would shadow it). */
export function mentions(j: JSCodeshift, node: AnyNode, name: string): boolean {
  return referencesIn(j, node, name).length > 0;
}

function isAwaitedOrReturned(path: ASTPath): boolean {
  const parent = path.parent?.node;
  return parent?.type === 'AwaitExpression' || parent?.type === 'ReturnStatement';
}

/** Where the Response of `await fetch(...)` at `awaitPath` goes, and how to keep its body readable. */
export function planFetch(j: JSCodeshift, awaitPath: ASTPath): FetchPlan {
  const parent = awaitPath.parent?.node;
  if (parent?.type === 'ExpressionStatement') return { kind: 'wrap' };
  if (
    (parent?.type === 'MemberExpression' || parent?.type === 'OptionalMemberExpression') &&
    parent.object === awaitPath.node &&
    BODY_METHODS.has(parent.property?.name)
  ) {
    const call = awaitPath.parent.parent;
    if (call?.node.type === 'CallExpression' && call.node.callee === parent && isAwaitedOrReturned(call))
      return { kind: 'wrap-outer', target: call };
    return { kind: 'skip', reason: 'the response body is read outside an awaited expression' };
  }
  if (parent?.type !== 'VariableDeclarator' || parent.id.type !== 'Identifier') {
    return {
      kind: 'skip',
      reason: 'the Response leaves the call, so its body would be read after the policy aborts the request',
    };
  }
  const name: string = parent.id.name;
  const declaration = awaitPath.parent.parent;
  const holder = declaration?.parent;
  const body: AnyNode[] | undefined = holder?.node.body ?? holder?.node.consequent;
  const index = Array.isArray(body) ? body.indexOf(declaration.node) : -1;
  if (declaration.node.declarations.length !== 1 || index < 0)
    return { kind: 'skip', reason: 'the fetch is not a statement of its own' };
  let scope = holder;
  while (scope && !isFunction(scope.node) && scope.node.type !== 'Program') scope = scope.parent;
  const refs = referencesIn(j, scope.node, name).filter((p) => p.node !== parent.id);
  const headOnly = refs.every((p) => {
    const member = p.parent?.node;
    return (
      (member?.type === 'MemberExpression' || member?.type === 'OptionalMemberExpression') &&
      member.object === p.node &&
      !member.computed &&
      HEAD_MEMBERS.has(member.property.name)
    );
  });
  if (headOnly) return { kind: 'wrap' };
  // the status checks (and what they read of the head) that follow it, then the statement that reads the body
  const local = new Set([name]);
  let end = index + 1;
  for (; end < body!.length; end++) {
    const stmt = body![end];
    if (isStatusGuard(j, stmt, local)) continue;
    const declared = headReading(j, stmt, name);
    if (!declared) break;
    for (const n of declared) local.add(n);
  }
  const final = body![end];
  const value =
    final?.type === 'VariableDeclaration' && final.declarations.length === 1
      ? final.declarations[0].init
      : final?.type === 'ReturnStatement'
        ? final.argument
        : final?.type === 'ExpressionStatement'
          ? final.expression
          : null;
  if (!value || !bodyReadOf(value, name)) {
    if (returnsFallback(j, final, local)) {
      return {
        kind: 'skip',
        reason: `the status check at line ${final.loc?.start.line ?? '?'} returns instead of throwing: failing the attempt on a 5xx would turn that answer into an error, so the call is left as it is`,
      };
    }
    return {
      kind: 'skip',
      reason: `the body of '${name}' is not read right after the fetch and its status checks; read it inside policyFor(...).execute`,
    };
  }
  const moved = body!.slice(index + 1, end + 1);
  const inside = (p: ASTPath): boolean =>
    moved.some((stmt) =>
      j(stmt)
        .find(j.Identifier)
        .paths()
        .some((q) => q.node === p.node),
    );
  const outside = refs.filter((p) => !inside(p));
  if (outside.length)
    return {
      kind: 'skip',
      reason: `'${name}' is used after its body is read; move those uses inside policyFor(...).execute`,
    };
  // names declared on the way (`const type = res.headers.get(...)`) stay inside: none may be used after
  for (const n of local) {
    if (n === name) continue;
    if (
      referencesIn(j, scope.node, n).some(
        (p) => !inside(p) && !body!.slice(index + 1, end).some((stmt) => isDeclaratorOf(stmt, p.node)),
      )
    ) {
      return { kind: 'skip', reason: `'${n}', read from the response's head, is used after its body is read` };
    }
  }
  return { kind: 'move', body: body!, index, count: end - index + 1 };
}

function isDeclaratorOf(stmt: AnyNode, id: AnyNode): boolean {
  return stmt.type === 'VariableDeclaration' && stmt.declarations.some((d: AnyNode) => d.id === id);
}

/** `const type = res.headers.get('content-type') || ''`: a declaration that reads the response's head; its names. */
function headReading(j: JSCodeshift, node: AnyNode, name: string): string[] | null {
  if (
    node?.type !== 'VariableDeclaration' ||
    !node.declarations.every((d: AnyNode) => d.id.type === 'Identifier' && d.init)
  )
    return null;
  const readsHead = node.declarations.every(
    (d: AnyNode) =>
      mentions(j, d.init, name) && !bodyReadOf(d.init, name) && j(d.init).find(j.AwaitExpression).size() === 0,
  );
  return readsHead ? node.declarations.map((d: AnyNode) => d.id.name) : null;
}

/** `if (!res.ok) return [];`: a status check that answers a fallback instead of failing. */
function returnsFallback(j: JSCodeshift, node: AnyNode, names: Set<string>): boolean {
  return (
    node?.type === 'IfStatement' && [...names].some((n) => mentions(j, node.test, n)) && leaves(j, node.consequent)
  );
}

/** Whether a statement contains a `return`, `break` or `continue` of its own (which would leave the policy's callback instead). */
function leaves(j: JSCodeshift, node: AnyNode): boolean {
  // `find` looks below the node only
  if (/^(ReturnStatement|BreakStatement|ContinueStatement)$/.test(node.type)) return true;
  return (
    j(node)
      .find(j.Node, (n: AnyNode) => /^(ReturnStatement|BreakStatement|ContinueStatement)$/.test(n.type))
      .filter((p) => {
        for (let q = p.parent; q && q.node !== node; q = q.parent) if (isFunction(q.node)) return false;
        return true;
      })
      .size() > 0
  );
}

/** `if (!res.ok) throw new Error(...)`, `if (res.status !== 200) { log(...); throw ...; }`: a check that throws. */
function isStatusGuard(j: JSCodeshift, node: AnyNode, names: Set<string>): boolean {
  if (node?.type !== 'IfStatement' || node.alternate || ![...names].some((n) => mentions(j, node.test, n)))
    return false;
  const last =
    node.consequent.type === 'BlockStatement' ? node.consequent.body[node.consequent.body.length - 1] : node.consequent;
  return last?.type === 'ThrowStatement' && !leaves(j, node.consequent);
}

/**
 * Moves `const res = await fetch(...)`, its status checks and the statement reading its body into
 * one async function, returning what the last statement read:
 * `const data = await <wrap>(async () => { const res = ...; if (!res.ok) throw ...; return res.json(); })`.
 * `wrap` builds the execute call around that function; `checked` wraps the awaited fetch (the
 * transient-status check). Comments of the fetch line are kept.
 */
export function moveBodyRead(
  j: JSCodeshift,
  plan: Extract<FetchPlan, { kind: 'move' }>,
  wrap: (fn: AnyNode) => AnyNode,
  checked: (fetched: AnyNode) => AnyNode,
): void {
  const { body, index, count } = plan;
  const declaration = body[index];
  const guards = body.slice(index + 1, index + count - 1);
  const final = body[index + count - 1];
  if (final.type === 'ExpressionStatement') {
    // `await res.json();` read only to consume the body: it ends the function, whose result nobody reads
    declaration.declarations[0].init = checked(declaration.declarations[0].init);
    // the statement stays in place (so recast keeps the layout around it); its read and trailing comment move inside
    const inner = j.expressionStatement(final.expression);
    inner.comments = (final.comments ?? []).filter((c: AnyNode) => c.trailing);
    final.comments = (final.comments ?? []).filter((c: AnyNode) => !c.trailing);
    final.expression = j.awaitExpression(wrap(j.blockStatement([declaration, ...guards, inner])));
    moveLeadingComments(declaration, final);
    body.splice(index, count - 1);
    return;
  }
  const slot = final.type === 'VariableDeclaration' ? final.declarations[0].init : final.argument;
  // `await res.json()` returns `res.json()` from the function; other shapes (`(await res.json()) as T`) return as written
  const returned = slot.type === 'AwaitExpression' ? slot.argument : slot;
  const awaits = slot.type === 'AwaitExpression' || j(slot).find(j.AwaitExpression).size() > 0;
  declaration.declarations[0].init = checked(declaration.declarations[0].init);
  const fn = wrap(j.blockStatement([declaration, ...guards, j.returnStatement(returned)]));
  const outer = awaits ? j.awaitExpression(fn) : fn;
  if (final.type === 'VariableDeclaration') final.declarations[0].init = outer;
  else final.argument = outer;
  moveLeadingComments(declaration, final);
  body.splice(index, count - 1);
}

/** The comments above the fetch stay above the statement that now holds it. */
function moveLeadingComments(from: AnyNode, to: AnyNode): void {
  const leading = (from.comments ?? []).filter((c: AnyNode) => c.leading);
  if (!leading.length) return;
  from.comments = (from.comments ?? []).filter((c: AnyNode) => !c.leading);
  to.comments = [...leading, ...(to.comments ?? [])];
}
