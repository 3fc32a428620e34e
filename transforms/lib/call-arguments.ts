import type { JSCodeshift } from 'jscodeshift';
import { insertArgumentCode, parseExpression } from './code-splice';
import { addProperty, findProperty, objectWith } from './object-literals';

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

/** What a fix did to one call: changed it, found it already covered, or left it for a reason. */
export type FixOutcome = { kind: 'changed' } | { kind: 'covered' } | { kind: 'skip'; reason: string };

export const CHANGED: FixOutcome = { kind: 'changed' };
export const COVERED: FixOutcome = { kind: 'covered' };
export const skipped = (reason: string): FixOutcome => ({ kind: 'skip', reason });

/** `x(...)`, `x.m(...)`, `x?.m(...)`, `x.m?.(...)`: the root identifier name and the method, if any. */
export function calleeParts(call: AnyNode): { object: string; method: string | null } | null {
  const callee = call.callee;
  if (callee?.type === 'Identifier') return { object: callee.name, method: null };
  if (
    (callee?.type === 'MemberExpression' || callee?.type === 'OptionalMemberExpression') &&
    !callee.computed &&
    callee.object.type === 'Identifier' &&
    callee.property.type === 'Identifier'
  ) {
    return { object: callee.object.name, method: callee.property.name };
  }
  return null;
}

export function lineOf(node: AnyNode): number {
  return node?.loc?.start.line ?? 0;
}

/**
 * Makes sure the options argument at `index` carries `name`: adds the property to an object
 * literal, or adds the argument (padding skipped positions with `undefined`). A variable or a
 * spread argument hides what the options hold, so those are left alone.
 */
export function ensureOption(
  j: JSCodeshift,
  call: AnyNode,
  index: number,
  name: string,
  value: string,
  isDisabled: (v: AnyNode) => boolean = () => false,
): FixOutcome {
  const args: AnyNode[] = call.arguments;
  if (args.slice(0, index + 1).some((a) => a.type === 'SpreadElement'))
    return skipped('spread arguments hide the options');
  if (args.length > index) {
    const arg = args[index];
    if (arg.type === 'ObjectExpression') {
      const existing = findProperty(arg, name);
      if (existing && existing.type === 'ObjectProperty' && isDisabled(existing.value)) {
        existing.value = parseExpression(j, value);
        existing.shorthand = false;
        return CHANGED;
      }
      if (existing) return COVERED;
      addProperty(j, arg, name, value);
      return CHANGED;
    }
    if (arg.type === 'Identifier' && arg.name === 'undefined') {
      args[index] = objectWith(j, [[name, value]]);
      return CHANGED;
    }
    return skipped('the options are not an object literal');
  }
  const padding: string[] = [];
  for (let i = args.length; i < index; i++) padding.push('undefined');
  insertArgumentCode(j, call, args.length, [...padding, `{ ${name}: ${value} }`]);
  return CHANGED;
}

/** A string-valued first argument: a literal, a template or a concatenation with one. */
export function isUrlLike(node: AnyNode): boolean {
  if (!node) return false;
  if (node.type === 'StringLiteral' || node.type === 'TemplateLiteral') return true;
  if (node.type === 'NewExpression' && node.callee.type === 'Identifier' && node.callee.name === 'URL') return true;
  return node.type === 'BinaryExpression' && node.operator === '+' && (isUrlLike(node.left) || isUrlLike(node.right));
}
