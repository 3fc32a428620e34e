import type { CallExpression, Node } from '@babel/types';
import type { NodePath } from '../../src/parse/walk';
import { isCall } from './descendants';
import { keyName } from './node-text';
import { unwrap } from './unwrap';

/** How a function refers to itself: its own name, or `this.name` for methods and class fields. */
export interface SelfReference {
  name: string;
  viaThis: boolean;
}

/** How the function at `path` can call itself, when it has a name to be called by. */
export function selfReference(path: NodePath): SelfReference | null {
  const fn = path.node;
  const parent = path.parent?.node;
  if ((fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression') && fn.id)
    return { name: fn.id.name, viaThis: false };
  if (fn.type === 'ClassMethod' || fn.type === 'ObjectMethod') {
    const key = keyName(fn as Node) ?? (fn.key.type === 'Identifier' ? fn.key.name : null);
    return key ? { name: key, viaThis: true } : null;
  }
  if (parent && parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier')
    return { name: parent.id.name, viaThis: false };
  if (
    parent &&
    (parent.type === 'ClassProperty' || parent.type === 'ObjectProperty') &&
    parent.key.type === 'Identifier'
  ) {
    return { name: parent.key.name, viaThis: parent.type === 'ClassProperty' };
  }
  return null;
}

/** Whether `n` calls the function `self` refers to. */
export function isSelfCall(n: Node, self: SelfReference): n is CallExpression {
  if (!isCall(n)) return false;
  const c = unwrap(n.callee, { await: true, void: true });
  if (!self.viaThis) return c.type === 'Identifier' && c.name === self.name;
  return (
    c.type === 'MemberExpression' &&
    c.object.type === 'ThisExpression' &&
    c.property.type === 'Identifier' &&
    c.property.name === self.name
  );
}
