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
  /** `const res = await fetch(); <next statement reads res's body>`: move both inside */
  | { kind: 'move'; body: AnyNode[]; index: number; next: AnyNode }
  | { kind: 'skip'; reason: string };

/** `x.json()` (optionally awaited) on the identifier `name`. */
export function bodyReadOf(node: AnyNode, name: string): AnyNode | null {
  const call = node?.type === 'AwaitExpression' ? node.argument : node;
  if (call?.type !== 'CallExpression' || call.callee.type !== 'MemberExpression' || call.callee.computed) return null;
  return call.callee.object.type === 'Identifier' && call.callee.object.name === name && BODY_METHODS.has(call.callee.property.name) ? call : null;
}

function isFunction(node: AnyNode): boolean {
  return /^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression|ObjectMethod|ClassMethod|ClassPrivateMethod)$/.test(node?.type ?? '');
}

/** Identifier paths that refer to `name` (not property keys or member names). */
function referencesIn(j: JSCodeshift, node: AnyNode, name: string): ASTPath[] {
  return j(node).find(j.Identifier, { name }).filter((p) => {
    const parent = p.parent?.node;
    if ((parent?.type === 'MemberExpression' || parent?.type === 'OptionalMemberExpression') && parent.property === p.node && !parent.computed) return false;
    if ((parent?.type === 'ObjectProperty' || parent?.type === 'ObjectMethod') && parent.key === p.node && !parent.computed && !parent.shorthand) return false;
    return true;
  }).paths();
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
  if ((parent?.type === 'MemberExpression' || parent?.type === 'OptionalMemberExpression') && parent.object === awaitPath.node && BODY_METHODS.has(parent.property?.name)) {
    const call = awaitPath.parent.parent;
    if (call?.node.type === 'CallExpression' && call.node.callee === parent && isAwaitedOrReturned(call)) return { kind: 'wrap-outer', target: call };
    return { kind: 'skip', reason: 'the response body is read outside an awaited expression' };
  }
  if (parent?.type !== 'VariableDeclarator' || parent.id.type !== 'Identifier') {
    return { kind: 'skip', reason: 'the Response leaves the call, so its body would be read after the policy aborts the request' };
  }
  const name: string = parent.id.name;
  const declaration = awaitPath.parent.parent;
  const holder = declaration?.parent;
  const body: AnyNode[] | undefined = holder?.node.body ?? holder?.node.consequent;
  const index = Array.isArray(body) ? body.indexOf(declaration.node) : -1;
  if (declaration.node.declarations.length !== 1 || index < 0) return { kind: 'skip', reason: 'the fetch is not a statement of its own' };
  let scope = holder;
  while (scope && !isFunction(scope.node) && scope.node.type !== 'Program') scope = scope.parent;
  const refs = referencesIn(j, scope.node, name).filter((p) => p.node !== parent.id);
  const headOnly = refs.every((p) => {
    const member = p.parent?.node;
    return (member?.type === 'MemberExpression' || member?.type === 'OptionalMemberExpression') && member.object === p.node && !member.computed && HEAD_MEMBERS.has(member.property.name);
  });
  if (headOnly) return { kind: 'wrap' };
  const next = body![index + 1];
  const read = next?.type === 'VariableDeclaration' && next.declarations.length === 1 && next.declarations[0].init?.type === 'AwaitExpression'
    ? bodyReadOf(next.declarations[0].init, name)
    : next?.type === 'ReturnStatement' ? bodyReadOf(next.argument, name) : null;
  if (!read) return { kind: 'skip', reason: `the body of '${name}' is not read in the statement right after the fetch; read it inside policyFor(...).execute` };
  const outside = refs.filter((p) => !j(next).find(j.Identifier).paths().some((q) => q.node === p.node));
  if (outside.length) return { kind: 'skip', reason: `'${name}' is used after its body is read; move those uses inside policyFor(...).execute` };
  return { kind: 'move', body: body!, index, next };
}

/**
 * Moves `const res = await fetch(...)` and the next statement's body read into one async
 * function: `const data = await <wrap>(async () => { const res = ...; return res.json(); })`.
 * `wrap` builds the execute call around that function. Comments of the fetch line are kept.
 */
export function moveBodyRead(j: JSCodeshift, plan: Extract<FetchPlan, { kind: 'move' }>, wrap: (fn: AnyNode) => AnyNode): void {
  const { body, index, next } = plan;
  const declaration = body[index];
  const readSlot = next.type === 'VariableDeclaration' ? next.declarations[0].init : next.argument;
  const read = readSlot.type === 'AwaitExpression' ? readSlot.argument : readSlot;
  const fn = wrap(j.blockStatement([declaration, j.returnStatement(read)]));
  const awaited = readSlot.type === 'AwaitExpression' ? j.awaitExpression(fn) : fn;
  if (next.type === 'VariableDeclaration') next.declarations[0].init = awaited;
  else next.argument = awaited;
  const leading = (declaration.comments ?? []).filter((c: AnyNode) => c.leading);
  if (leading.length) {
    declaration.comments = (declaration.comments ?? []).filter((c: AnyNode) => !c.leading);
    next.comments = [...leading, ...(next.comments ?? [])];
  }
  body.splice(index, 1);
}
