import type { Node } from '@babel/types';
import type { NodePath } from '../../src/parse/walk';
import { isFunctionNode } from '../../src/parse/walk';
import { calleeName, forEachDescendant } from './descendants';
import { patternNames } from './dependency-ast';

/*
 * A policy hands its caller a taxonomy error (TransientError, DependencyDownError,
 * PermanentError) with the original as `cause`, carrying `message`, `status` and `name`. A catch
 * around the call that reads what only the original error had (`err.response.status`,
 * `err.code`, `axios.isAxiosError(err)`, `err instanceof HTTPError`) would take another branch
 * once the call is wrapped: such a call is left as it is, with the reason.
 */

/** Fields a taxonomy error answers the same way as the original (`status` is the upstream status). */
const KEPT_FIELDS = new Set(['message', 'stack', 'cause', 'status', 'toString']);
const TAXONOMY = new Set(['TransientError', 'DependencyDownError', 'PermanentError', 'Error']);
/** `isAxiosError(e)`, `axios.isAxiosError(e)`, `isHttpError(e)`, `isBoom(e)`: type guards of a library's errors */
const TYPE_GUARD = /^is[A-Z]\w*(Error|Exception)$|^isBoom$/;
const TAXONOMY_HELPERS = new Set(['isInfraFailure', 'classify', 'httpStatusFor']);

/** What a catch clause reads of its error that a taxonomy error would not have, or null. */
function inspection(handler: { param?: Node | null; body: Node }): string | null {
  const names = handler.param ? patternNames(handler.param) : [];
  if (handler.param && handler.param.type !== 'Identifier') return 'a destructured error';
  if (names.length === 0) return null;
  const name = names[0]!;
  let found: string | null = null;
  forEachDescendant(handler.body, (n) => {
    if (found) return false;
    if (
      (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') &&
      n.object.type === 'Identifier' &&
      n.object.name === name
    ) {
      const field =
        !n.computed && n.property.type === 'Identifier'
          ? n.property.name
          : n.property.type === 'StringLiteral'
            ? n.property.value
            : '[…]';
      if (!KEPT_FIELDS.has(field)) found = `${name}.${field}`;
    } else if (
      n.type === 'BinaryExpression' &&
      n.operator === 'instanceof' &&
      n.left.type === 'Identifier' &&
      n.left.name === name
    ) {
      const cls = n.right.type === 'Identifier' ? n.right.name : 'a class';
      if (!TAXONOMY.has(cls)) found = `${name} instanceof ${cls}`;
    } else if (
      (n.type === 'CallExpression' || n.type === 'OptionalCallExpression') &&
      n.arguments.some((a) => a.type === 'Identifier' && a.name === name)
    ) {
      const callee = calleeName(n.callee);
      if (callee && TYPE_GUARD.test(callee) && !TAXONOMY_HELPERS.has(callee)) found = `${callee}(${name})`;
    } else if (
      n.type === 'VariableDeclarator' &&
      n.id.type === 'ObjectPattern' &&
      n.init?.type === 'Identifier' &&
      n.init.name === name
    ) {
      found = `the fields of ${name}`;
    }
    return !found;
  });
  return found;
}

/**
 * The catch, in the call's own function, whose `try` block holds the call and which reads
 * fields of the original error: its line and what it reads.
 */
export function errorInspection(path: NodePath): { line: number; what: string } | null {
  const chained = chainInspection(path);
  if (chained) return chained;
  for (let p: NodePath | null = path; p && p.parent; p = p.parent) {
    const parent = p.parent.node;
    if (parent.type === 'TryStatement' && p.key === 'block' && parent.handler) {
      const what = inspection(parent.handler);
      if (what) return { line: parent.handler.loc?.start.line ?? 0, what };
    }
    if (isFunctionNode(parent)) {
      // look through callbacks handed to a call; stop at a named function's boundary
      const callback =
        p.parent.parent &&
        (p.parent.parent.node.type === 'CallExpression' || p.parent.parent.node.type === 'OptionalCallExpression') &&
        p.parent.key === 'arguments';
      if (!callback) return null;
    }
  }
  return null;
}

/** The methods that continue a promise chain. */
export const CHAIN_METHODS = new Set(['then', 'catch', 'finally']);

/**
 * The rejection handler of the call's own promise chain (`.catch(h)`, `.then(ok, h)`) that reads
 * fields of the original error: a wrapped call hands that handler a taxonomy error too.
 */
function chainInspection(path: NodePath): { line: number; what: string } | null {
  for (let p: NodePath = path; p.parent && p.parent.parent; p = p.parent.parent) {
    const member = p.parent.node;
    const call = p.parent.parent.node;
    if (
      (member.type !== 'MemberExpression' && member.type !== 'OptionalMemberExpression') ||
      member.object !== p.node ||
      member.computed
    )
      return null;
    if (member.property.type !== 'Identifier' || !CHAIN_METHODS.has(member.property.name)) return null;
    if ((call.type !== 'CallExpression' && call.type !== 'OptionalCallExpression') || call.callee !== member)
      return null;
    const handler =
      member.property.name === 'catch'
        ? call.arguments[0]
        : member.property.name === 'then'
          ? call.arguments[1]
          : undefined;
    if (handler && isFunctionNode(handler)) {
      const fn = handler as Node & { params: Node[]; body: Node };
      const what = inspection({ param: fn.params[0] ?? null, body: fn.body });
      if (what) return { line: handler.loc?.start.line ?? 0, what };
    }
  }
  return null;
}
