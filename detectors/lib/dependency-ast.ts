import type { Node, ObjectExpression } from '@babel/types';
import type { NodePath } from '../../src/parse/walk';

/** Strips TypeScript wrappers that do not change the runtime value (`x as T`, `x!`, `x satisfies T`). */
export function unwrap(node: Node | null | undefined): Node | null {
  let n = node ?? null;
  while (
    n &&
    (n.type === 'TSAsExpression' ||
      n.type === 'TSSatisfiesExpression' ||
      n.type === 'TSNonNullExpression' ||
      n.type === 'TypeCastExpression' ||
      n.type === 'TSTypeAssertion' ||
      n.type === 'ParenthesizedExpression')
  ) {
    n = n.expression;
  }
  return n;
}

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

export function propertyName(node: Node): string | null {
  if (node.type !== 'MemberExpression' && node.type !== 'OptionalMemberExpression') return null;
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.property.type === 'StringLiteral') return node.property.value;
  if (node.property.type === 'PrivateName') return `#${node.property.id.name}`;
  return null;
}

export function keyName(key: Node, computed: boolean): string | null {
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'PrivateName') return `#${key.id.name}`;
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
    const name = keyName(p.key, p.computed);
    if (name === null) {
      spread = true;
      continue;
    }
    props.set(name, p.type === 'ObjectProperty' ? p.value : p);
  }
  return { props, spread };
}

/** The text of a string literal or a template without expressions. */
export function stringValue(node: Node | null | undefined): string | null {
  const n = unwrap(node);
  if (!n) return null;
  if (n.type === 'StringLiteral') return n.value;
  if (n.type === 'TemplateLiteral' && n.expressions.length === 0)
    return n.quasis.map((q) => q.value.cooked ?? q.value.raw).join('');
  return null;
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
