import type { Node, ObjectExpression } from '@babel/types';
import type { NodePath } from '../../src/parse/walk';
import { keyName, propertyName } from './node-text';
import { unwrap } from './unwrap';

/** `a.b.c` as ['a', 'b', 'c']; `this.x.y` as ['this', 'x', 'y']; null for anything dynamic. */
export function memberChain(node: Node | null | undefined): string[] | null {
  const n = unwrap(node);
  if (!n) return null;
  if (n.type === 'Identifier') return [n.name];
  if (n.type === 'ThisExpression') return ['this'];
  if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') {
    const head = memberChain(n.object);
    const name = propertyName(n);
    return head && name ? [...head, name] : null;
  }
  return null;
}

/** The visible properties of an object literal; `spread` says some are not visible. */
export interface ObjectShape {
  props: Map<string, Node>;
  spread: boolean;
}

export function objectShape(obj: ObjectExpression): ObjectShape {
  const props = new Map<string, Node>();
  let spread = false;
  for (const p of obj.properties) {
    if (p.type === 'SpreadElement') {
      spread = true;
      continue;
    }
    const name = keyName(p);
    if (name === null) {
      spread = true;
      continue;
    }
    props.set(name, p.type === 'ObjectProperty' ? p.value : p);
  }
  return { props, spread };
}

/** A literal that turns a timeout option off: `0`, `false`, `undefined`, `null`. */
export function isOffValue(node: Node | null | undefined): boolean {
  const n = unwrap(node);
  if (!n) return false;
  if (n.type === 'NumericLiteral') return n.value === 0;
  if (n.type === 'BooleanLiteral') return !n.value;
  if (n.type === 'NullLiteral') return true;
  return n.type === 'Identifier' && n.name === 'undefined';
}

/** Names bound by a parameter or declarator pattern (shallow destructuring included). */
export function patternNames(node: Node | null | undefined, out: string[] = []): string[] {
  if (!node) return out;
  if (node.type === 'Identifier') out.push(node.name);
  else if (node.type === 'AssignmentPattern') patternNames(node.left, out);
  else if (node.type === 'RestElement') patternNames(node.argument, out);
  else if (node.type === 'TSParameterProperty') patternNames(node.parameter, out);
  else if (node.type === 'ArrayPattern') for (const el of node.elements) patternNames(el, out);
  else if (node.type === 'ObjectPattern') {
    for (const p of node.properties) patternNames(p.type === 'RestElement' ? p.argument : p.value, out);
  }
  return out;
}

/** Whether `inner` is `outer` or lies inside it. */
export function isWithin(inner: NodePath, outer: Node): boolean {
  for (let p: NodePath | null = inner; p; p = p.parent) if (p.node === outer) return true;
  return false;
}

/** The source text of a node, for messages and fix hints. */
export function sourceText(text: string, node: Node): string {
  return node.start != null && node.end != null ? text.slice(node.start, node.end) : '';
}
