import type { Node } from '@babel/types';
import { unwrap } from './unwrap';

/** The static name of a member property (`a.b`, `a['b']`, `this.#b` as '#b'), or null. */
export function propertyName(node: Node): string | null {
  if (node.type !== 'MemberExpression' && node.type !== 'OptionalMemberExpression') return null;
  const p = node.property;
  if (!node.computed && p.type === 'Identifier') return p.name;
  if (p.type === 'StringLiteral') return p.value;
  if (p.type === 'PrivateName') return `#${p.id.name}`;
  return null;
}

/** The static name of a property's or method's key (`a:`, `'a':`, `['a']:`, `#a`), or null. */
export function keyName(node: Node): string | null {
  if (!('key' in node) || !node.key) return null;
  const computed = 'computed' in node && node.computed === true;
  const key = node.key;
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'StringLiteral') return key.value;
  if (key.type === 'PrivateName') return `#${key.id.name}`;
  return null;
}

/** The value of a string literal or of a template without expressions, through type assertions; else null. */
export function stringValue(node: Node | null | undefined): string | null {
  const n = unwrap(node);
  if (!n) return null;
  if (n.type === 'StringLiteral') return n.value;
  if (n.type === 'TemplateLiteral' && n.expressions.length === 0)
    return n.quasis.map((q) => q.value.cooked ?? q.value.raw).join('');
  return null;
}

/**
 * The literal text of a string or template literal, a template's expressions left out
 * (`${base}/health` reads '/health'): enough to tell a route path or a signal name by its text.
 */
export function literalText(node: Node | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'StringLiteral') return node.value;
  if (node.type === 'TemplateLiteral') return node.quasis.map((q) => q.value.cooked ?? q.value.raw).join('');
  return null;
}

/** The value node of a property named `name` in an object literal, or undefined. */
export function objectProperty(obj: Node | null | undefined, name: string): Node | undefined {
  if (!obj || obj.type !== 'ObjectExpression') return undefined;
  for (const prop of obj.properties) {
    if (prop.type === 'ObjectProperty' && keyName(prop) === name) return prop.value;
  }
  return undefined;
}

/** Root identifier name of a member chain (`a.b.c()` -> 'a'), or null. */
export function rootIdentifier(node: Node): string | null {
  let n: Node = node;
  for (;;) {
    if (n.type === 'Identifier') return n.name;
    if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') n = n.object;
    else if (n.type === 'CallExpression' || n.type === 'OptionalCallExpression') n = n.callee;
    else return null;
  }
}

/** Right-most name of a type reference (`SQSEvent`, `AWSLambda.SQSEvent`). */
export function typeRefName(node: Node | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'TSTypeAnnotation') return typeRefName(node.typeAnnotation);
  if (node.type === 'TSTypeReference') {
    const t = node.typeName;
    return t.type === 'Identifier' ? t.name : t.type === 'TSQualifiedName' ? t.right.name : null;
  }
  return null;
}

/** `module.exports` (the CommonJS export object as an assignment target or value). */
export function isModuleExports(node: Node): boolean {
  return (
    node.type === 'MemberExpression' &&
    node.object.type === 'Identifier' &&
    node.object.name === 'module' &&
    propertyName(node) === 'exports'
  );
}
