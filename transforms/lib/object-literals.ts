import type { JSCodeshift } from 'jscodeshift';
import { objectCodeWith, parseExpression, replaceInPlace } from './code-splice';
import { keyName } from '../../detectors/lib/node-text';

/*
 * Small helpers over object-literal nodes (Babel AST: ObjectProperty / ObjectMethod /
 * SpreadElement), shared by transforms that add options to call arguments.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

export function isObjectLiteral(node: AnyNode): boolean {
  return node?.type === 'ObjectExpression';
}

/** The property named `name` in an object literal, else undefined. */
export function findProperty(obj: AnyNode, name: string): AnyNode | undefined {
  return obj.properties.find((p: AnyNode) => keyName(p) === name);
}

export function hasSpread(obj: AnyNode): boolean {
  return obj.properties.some((p: AnyNode) => p.type === 'SpreadElement' || p.type === 'SpreadProperty');
}

/**
 * Adds `name: <valueCode>` to an object literal, in its own layout. With a spread in the
 * object the property goes first, so that a value the spread may carry still wins.
 */
export function addProperty(j: JSCodeshift, obj: AnyNode, name: string, valueCode: string): void {
  const position = hasSpread(obj) ? 'first' : 'last';
  const code = objectCodeWith(j, obj, `${name}: ${valueCode}`, position);
  if (code !== null && replaceInPlace(j, obj, code)) return;
  const prop = j.objectProperty(j.identifier(name), parseExpression(j, valueCode));
  if (position === 'first') obj.properties.unshift(prop);
  else obj.properties.push(prop);
}

/** A new one-line object literal `{ a: <code>, b: <code> }`. */
export function objectWith(j: JSCodeshift, entries: Array<[string, string]>): AnyNode {
  return parseExpression(j, `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(', ')} }`);
}

/** `AbortSignal.timeout(ms)` as code */
export function abortSignalTimeout(ms: number): string {
  return `AbortSignal.timeout(${ms})`;
}

/** Whether an expression already contains `AbortSignal.timeout(...)` (so the signal is bounded). */
export function isTimeoutSignal(j: JSCodeshift, node: AnyNode): boolean {
  const isTimeoutCall = (n: AnyNode): boolean =>
    (n?.type === 'CallExpression' || n?.type === 'OptionalCallExpression') &&
    n.callee?.type === 'MemberExpression' &&
    n.callee.object?.type === 'Identifier' &&
    n.callee.object.name === 'AbortSignal' &&
    n.callee.property?.type === 'Identifier' &&
    n.callee.property.name === 'timeout';
  if (isTimeoutCall(node)) return true;
  let found = false;
  j(node)
    .find(j.CallExpression)
    .forEach((p) => {
      if (isTimeoutCall(p.node)) found = true;
    });
  return found;
}
