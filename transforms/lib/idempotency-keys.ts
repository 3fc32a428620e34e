import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { insertArgumentCode, objectCodeWith, parseExpression, replaceInPlace, sourceOf } from './code-splice';
import { ensureNamedImports, parseStatement, preferredQuote } from './imports';
import { findProperty, isObjectLiteral } from './object-literals';
import { keyName } from '../../detectors/lib/node-text';
import type { PolicyCallSite } from './policy-call-sites';
import { lookupScope } from './scope-lookup';

/*
 * Idempotency keys for retried POST/PATCH calls: every attempt must send the same key, so the key
 * is made once per logical call in a statement of its own before the call (outside the policy's
 * retries) and the call refers to it. Either a key the call already sends but makes inside its own
 * arguments (`'Idempotency-Key': randomUUID()`) is moved out, or, when the config opts in, a new
 * `Idempotency-Key` header is added.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

const KEY_HEADER = /^(x-)?idempotency-key$/i;
const KEY_OPTIONS = new Set(['idempotencyKey', 'idempotency_key']);
const FUNCTION =
  /^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression|ObjectMethod|ClassMethod|ClassPrivateMethod)$/;

/** The statement list and index of the statement holding `path`, within its own function; null for an expression-bodied arrow. */
function enclosingStatement(path: ASTPath): { body: AnyNode[]; index: number } | null {
  for (let p: ASTPath | null = path; p && p.parent; p = p.parent) {
    const holder = p.parent.node as AnyNode;
    const list: AnyNode[] | undefined =
      holder.type === 'SwitchCase'
        ? holder.consequent
        : holder.type === 'BlockStatement' || holder.type === 'Program'
          ? holder.body
          : undefined;
    if (list) {
      const index = list.indexOf(p.node);
      return index >= 0 ? { body: list, index } : null;
    }
    if (FUNCTION.test(holder.type)) return null;
  }
  return null;
}

/** A name not yet declared where the call is: `idempotencyKey`, else `idempotencyKey2`... */
function freeName(path: ASTPath, base: string): string {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}${i}`;
    if (!lookupScope(path, name)) return name;
  }
}

/** The options object literal of the call (at the site's options index), if it is one. */
function optionsOf(call: AnyNode, site: PolicyCallSite): AnyNode | null {
  const index = site.optionsIndex;
  return typeof index === 'number' && isObjectLiteral(call.arguments[index]) ? call.arguments[index] : null;
}

/** The property holding the key the call sends: a library option or a header of its headers literal. */
function keyProperty(options: AnyNode): AnyNode | null {
  for (const p of options.properties) if (KEY_OPTIONS.has(keyName(p) ?? '')) return p;
  const headers = findProperty(options, 'headers');
  if (!headers || !isObjectLiteral(headers.value)) return null;
  return headers.value.properties.find((p: AnyNode) => KEY_HEADER.test(keyName(p) ?? '')) ?? null;
}

/** `// <comment>` above `const <name> = <code>;`, inserted before the call's statement. */
function declareBefore(
  j: JSCodeshift,
  at: { body: AnyNode[]; index: number },
  name: string,
  code: string,
  comment: string,
): void {
  const statement = parseStatement(j, `const ${name} = ${code};`);
  statement.comments = [j.commentLine(` ${comment}`, true, false)];
  at.body.splice(at.index, 0, statement);
}

/**
 * Moves a key the call makes inside its own arguments into a constant made once before it.
 * False when there is no statement to put it in or the key is not where the detector saw it.
 */
export function hoistKey(j: JSCodeshift, path: ASTPath, site: PolicyCallSite): boolean {
  const options = optionsOf(path.node, site);
  const prop = options && keyProperty(options);
  const at = enclosingStatement(path);
  if (!prop || prop.type !== 'ObjectProperty' || !at) return false;
  const name = freeName(path, 'idempotencyKey');
  declareBefore(
    j,
    at,
    name,
    sourceOf(j, prop.value),
    'made once per call, before the retries: every attempt sends the same key',
  );
  prop.value = j.identifier(name);
  prop.shorthand = keyName(prop) === name;
  return true;
}

/** Adds `'Idempotency-Key': <local>` to a headers object literal, in its own layout. */
function addHeader(j: JSCodeshift, headers: AnyNode, entry: string): void {
  const code = objectCodeWith(j, headers, entry, 'last');
  if (code !== null && replaceInPlace(j, headers, code)) return;
  headers.properties.push(parseExpression(j, `{ ${entry} }`).properties[0]);
}

/**
 * Adds an `Idempotency-Key` header made once per call (`randomUUID()` from node:crypto), with a
 * comment that the API must honour it. False (nothing changed) when the headers are out of
 * sight (a variable, a Headers object, a spread) or there is no statement to make the key in.
 */
export function addIdempotencyKey(
  j: JSCodeshift,
  root: Collection,
  file: string,
  path: ASTPath,
  site: PolicyCallSite,
  dependency: string,
): boolean {
  const call: AnyNode = path.node;
  const index = site.optionsIndex;
  const at = enclosingStatement(path);
  if (
    typeof index !== 'number' ||
    !at ||
    call.arguments.slice(0, index + 1).some((a: AnyNode) => a.type === 'SpreadElement')
  )
    return false;
  const options = call.arguments[index];
  const headers = isObjectLiteral(options) ? findProperty(options, 'headers') : null;
  if (
    options !== undefined &&
    !(options.type === 'Identifier' && options.name === 'undefined') &&
    !isObjectLiteral(options)
  )
    return false;
  if (headers && (headers.type !== 'ObjectProperty' || !isObjectLiteral(headers.value))) return false;

  const name = freeName(path, 'idempotencyKey');
  const q = preferredQuote(j, root);
  const entry = `${q}Idempotency-Key${q}: ${name}`;
  if (headers) addHeader(j, headers.value, entry);
  else if (isObjectLiteral(options)) {
    const code = objectCodeWith(j, options, `headers: { ${entry} }`, 'last');
    if (code === null || !replaceInPlace(j, options, code))
      options.properties.push(parseExpression(j, `{ headers: { ${entry} } }`).properties[0]);
  } else if (options === undefined) {
    insertArgumentCode(j, call, call.arguments.length, [
      ...Array<string>(index - call.arguments.length).fill('undefined'),
      `{ headers: { ${entry} } }`,
    ]);
  } else call.arguments[index] = parseExpression(j, `{ headers: { ${entry} } }`);

  const { randomUUID } = ensureNamedImports(j, root, file, 'node:crypto', ['randomUUID']);
  declareBefore(
    j,
    at,
    name,
    `${randomUUID}()`,
    `${dependency} must honour Idempotency-Key: one key per call, the same on every attempt, so a retried request is applied once`,
  );
  return true;
}
