import type { Node } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import { isFunctionNode, type NodePath } from '../src/parse/walk';
import { isModuleScope, patternNames } from './lib/local-scope';
import { keyName, propertyName, unwrapExpression } from './lib/node-text';

const RULE = 'unbounded-in-memory-queue';
const GROW = new Set(['set', 'push', 'unshift', 'add']);
/** Any of these anywhere in the file means the collection is trimmed or watched. */
const BOUND = new Set(['delete', 'shift', 'pop', 'splice', 'clear', 'length', 'size']);

type Container = 'Map' | 'Set' | 'array' | 'object';

interface Candidate {
  name: string;
  init: Node;
  container: Container;
  grows: string[];
  bounded: boolean;
  escapes: boolean;
}

/** An empty collection a module starts with: `new Map()`, `new Set()`, `[]`, `{}`, `Object.create(null)`. */
function emptyContainer(raw: Node | null | undefined): Container | null {
  const n = unwrapExpression(raw);
  if (!n) return null;
  if (n.type === 'NewExpression' && n.callee.type === 'Identifier' && n.arguments.length === 0) {
    if (n.callee.name === 'Map' || n.callee.name === 'Set') return n.callee.name;
    if (n.callee.name === 'Array') return 'array';
  }
  if (n.type === 'ArrayExpression' && n.elements.length === 0) return 'array';
  if (n.type === 'ObjectExpression' && n.properties.length === 0) return 'object';
  if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && propertyName(n.callee) === 'create'
    && n.callee.object.type === 'Identifier' && n.callee.object.name === 'Object' && n.arguments[0]?.type === 'NullLiteral') return 'object';
  return null;
}

/** Whether a function between the use and the module binds the name as a parameter. */
function shadowedByParam(path: NodePath, name: string): boolean {
  for (let p = path.parent; p; p = p.parent) {
    if (isFunctionNode(p.node) && (p.node as Node & { params: Node[] }).params.some((param) => patternNames(param).includes(name))) return true;
  }
  return false;
}

/** `concurrency` missing or Infinity: p-queue's default runs everything at once. */
function unboundedConcurrency(options: Node | undefined): boolean {
  const obj = unwrapExpression(options);
  if (!obj) return true;
  if (obj.type !== 'ObjectExpression') return false;
  if (obj.properties.some((p) => p.type === 'SpreadElement')) return false;
  const prop = obj.properties.find((p) => p.type === 'ObjectProperty' && keyName(p) === 'concurrency');
  if (!prop || prop.type !== 'ObjectProperty') return true;
  return prop.value.type === 'Identifier' && prop.value.name === 'Infinity';
}

/** Flags module-lived collections that only grow, and work queues with no concurrency bound. */
const capacity: CodeDetector = {
  name: 'capacity',
  ruleIds: [RULE],
  triggers: ['new Map', 'new Set', '[]', '{}', 'new Array', 'Object.create', 'p-queue', 'async'],
  create(ctx: DetectorContext) {
    const candidates = new Map<string, Candidate>();
    const declarations = new Map<string, number>();
    const pQueue = new Set(ctx.imports.localsOf('p-queue'));
    const asyncQueue = new Set(ctx.imports.localsOf('async', 'queue'));
    const asyncLib = new Set(ctx.imports.localsOf('async').filter((l) => ['default', '*'].includes(ctx.imports.byLocal.get(l)?.imported ?? '')));

    for (const raw of ctx.ast.program.body) {
      // exported collections may be trimmed by their importers: out of sight
      if (raw.type !== 'VariableDeclaration') continue;
      for (const d of raw.declarations) {
        const container = d.id.type === 'Identifier' ? emptyContainer(d.init) : null;
        if (container && d.id.type === 'Identifier') {
          candidates.set(d.id.name, { name: d.id.name, init: d.init!, container, grows: [], bounded: false, escapes: false });
        }
      }
    }

    const reportQueue = (node: Node, what: string): void => {
      ctx.report({ ruleId: RULE, node, message: `${what} has no concurrency bound, so work piles up without back-pressure`, data: { kind: 'queue' } });
    };

    return {
      VariableDeclarator(path: NodePath) {
        for (const name of patternNames((path.node as Node & { id: Node }).id)) declarations.set(name, (declarations.get(name) ?? 0) + 1);
      },
      Identifier(path: NodePath) {
        const name = (path.node as Node & { name: string }).name;
        const c = candidates.get(name);
        if (!c) return;
        const parent = path.parent?.node;
        if (!parent) return;
        if (parent.type === 'VariableDeclarator' && path.key === 'id') return;
        if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && path.key === 'property' && !parent.computed) return;
        if ((parent.type === 'ObjectProperty' || parent.type === 'ClassProperty' || parent.type === 'ObjectMethod' || parent.type === 'ClassMethod') && path.key === 'key') return;
        if (shadowedByParam(path, name)) return;
        if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && path.key === 'object') {
          const memberPath = path.parent!;
          const grand = memberPath.parent;
          const prop = parent.computed ? null : propertyName(parent);
          const called = (grand?.node.type === 'CallExpression' || grand?.node.type === 'OptionalCallExpression') && memberPath.key === 'callee';
          if (prop && BOUND.has(prop)) c.bounded = true;
          else if (prop && GROW.has(prop) && called) {
            if (!isModuleScope(path)) c.grows.push(prop);
          } else if (parent.computed) {
            const g = grand?.node;
            if (g?.type === 'AssignmentExpression' && memberPath.key === 'left') {
              if (!isModuleScope(path)) c.grows.push('[key] =');
            } else if (g?.type === 'UnaryExpression' && g.operator === 'delete') c.bounded = true;
          }
          return;
        }
        // reassigned (`queue = []`), passed on, returned, exported: trimmed or out of sight
        if (parent.type === 'AssignmentExpression' && path.key === 'left') c.bounded = true;
        else c.escapes = true;
      },
      NewExpression(path: NodePath) {
        const node = path.node as Node & { callee: Node; arguments: Node[] };
        if (node.callee.type === 'Identifier' && pQueue.has(node.callee.name) && unboundedConcurrency(node.arguments[0])) {
          reportQueue(node, `new ${node.callee.name}()`);
        }
      },
      CallExpression(path: NodePath) {
        const node = path.node as Node & { callee: Node; arguments: Node[] };
        const callee = node.callee;
        const isAsyncQueue = (callee.type === 'Identifier' && asyncQueue.has(callee.name))
          || (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && asyncLib.has(callee.object.name) && propertyName(callee) === 'queue');
        const limit = unwrapExpression(node.arguments[1]);
        if (isAsyncQueue && limit?.type === 'Identifier' && limit.name === 'Infinity') reportQueue(node, 'async.queue()');
      },
      'Program:exit'() {
        for (const c of candidates.values()) {
          if (c.grows.length === 0 || c.bounded || c.escapes || (declarations.get(c.name) ?? 0) > 1) continue;
          const how = [...new Set(c.grows)].map((g) => (g.startsWith('[') ? g : `.${g}()`)).join(', ');
          ctx.report({
            ruleId: RULE,
            node: c.init,
            message: `module-scope ${c.container} ${c.name} only grows (${how} with no delete, eviction or size check)`,
            data: { kind: 'collection', variable: c.name, container: c.container },
          });
        }
      },
    };
  },
};

export default capacity;
