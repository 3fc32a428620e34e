import type { Node, ObjectExpression, ObjectProperty, Expression } from '@babel/types';
import { stringValue as staticString } from '../../detectors/lib/node-text';

/** Small read helpers over Babel nodes for CDK stacks. */

export function ctorName(callee: Node): string | null {
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && callee.property.type === 'Identifier') return callee.property.name;
  return null;
}

/** `q`, `this.q` → a binding key; anything else → null */
export function bindingKey(node: Node | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && node.object.type === 'ThisExpression' && node.property.type === 'Identifier')
    return `this.${node.property.name}`;
  if (node.type === 'TSAsExpression' || node.type === 'TSNonNullExpression') return bindingKey(node.expression);
  return null;
}

export function prop(obj: Node | null | undefined, name: string): ObjectProperty | undefined {
  if (!obj || obj.type !== 'ObjectExpression') return undefined;
  for (const p of (obj as ObjectExpression).properties) {
    if (p.type !== 'ObjectProperty') continue;
    const k = p.key;
    const key = k.type === 'Identifier' ? k.name : k.type === 'StringLiteral' ? k.value : null;
    if (key === name) return p;
  }
  return undefined;
}

export function propValue(obj: Node | null | undefined, name: string): Expression | undefined {
  const p = prop(obj, name);
  return p ? (p.value as Expression) : undefined;
}

/** The CDK model's reading of a string: detectors' `stringValue`, absent as undefined (the model's optional fields). */
export function stringValue(node: Node | null | undefined): string | undefined {
  return staticString(node) ?? undefined;
}

export function numberValue(node: Node | null | undefined): number | undefined {
  return node?.type === 'NumericLiteral' ? node.value : undefined;
}

/** `Duration.days(14)` / `cdk.Duration.days(14)` → 14 */
export function durationDays(node: Node | null | undefined): number | undefined {
  if (!node || node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression') return undefined;
  const unit = node.callee.property.type === 'Identifier' ? node.callee.property.name : '';
  const n = numberValue(node.arguments[0] as Node | undefined);
  if (n === undefined) return undefined;
  if (unit === 'days') return n;
  if (unit === 'hours') return n / 24;
  if (unit === 'minutes') return n / 1440;
  return undefined;
}

/** Visits every node with its ancestors (nearest last). */
export function walk(node: Node, visit: (n: Node, ancestors: Node[]) => void, ancestors: Node[] = []): void {
  visit(node, ancestors);
  ancestors.push(node);
  for (const key of Object.keys(node)) {
    if (
      key === 'loc' ||
      key === 'leadingComments' ||
      key === 'trailingComments' ||
      key === 'innerComments' ||
      key === 'extra'
    )
      continue;
    const v = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(v)) {
      for (const c of v)
        if (c && typeof c === 'object' && typeof (c as Node).type === 'string') walk(c as Node, visit, ancestors);
    } else if (v && typeof v === 'object' && typeof (v as Node).type === 'string') walk(v as Node, visit, ancestors);
  }
  ancestors.pop();
}
