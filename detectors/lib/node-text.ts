import type { Node } from '@babel/types';

/** Unwraps `await x`, `(x as T)`, `x!`, `x satisfies T` and parentheses to the expression that matters. */
export function unwrapExpression(node: Node | null | undefined): Node | null {
  let n: Node | null | undefined = node;
  while (n) {
    if (n.type === 'AwaitExpression' || n.type === 'TSNonNullExpression' || n.type === 'ParenthesizedExpression')
      n = n.type === 'AwaitExpression' ? n.argument : n.expression;
    else if (n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'TypeCastExpression')
      n = n.expression;
    else break;
  }
  return n ?? null;
}

/** The static name of a member property (`a.b`, `a['b']`), or null. */
export function propertyName(node: Node): string | null {
  if (node.type !== 'MemberExpression' && node.type !== 'OptionalMemberExpression') return null;
  const p = node.property;
  if (!node.computed && p.type === 'Identifier') return p.name;
  if (p.type === 'StringLiteral') return p.value;
  return null;
}

/** The name of an object key (`a:`, `'a':`), or null for computed keys. */
export function keyName(node: Node): string | null {
  if (node.type !== 'ObjectProperty' && node.type !== 'ObjectMethod') return null;
  if (node.computed) return null;
  if (node.key.type === 'Identifier') return node.key.name;
  if (node.key.type === 'StringLiteral') return node.key.value;
  return null;
}

/** The text of a string literal or a template literal without expressions' values. */
export function stringValue(node: Node | null | undefined): string | null {
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
