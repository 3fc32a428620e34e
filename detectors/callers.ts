import type { CallExpression, Identifier, Node } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import type { CallSiteFact, RouteRef } from '../src/contract-types';
import { isFunctionNode, type NodePath } from '../src/parse/walk';
import { fileFunctions, functionRefOf, topLevelFunctionNames, type FileFunctions } from './lib/function-refs';
import { patternNames } from './lib/local-scope';
import { propertyName } from './lib/node-text';
import { callOutcome, testsDefault } from './lib/rejection-handling';
import { useRouteModel, type RouteModel } from './lib/route-handlers';

/*
 * Facts for the silent-error-swallow fix, which changes a function's contract (a default value
 * on failure becomes a rejection): every call of, and reference to, a project function in this
 * file (a top-level function of the file, or an import from a relative module), with how the
 * caller takes a rejection. The scan joins them across files into each finding's callers. This
 * detector reports nothing; it runs whenever silent-error-swallow does, on every file that
 * imports or catches, so that no caller is missed.
 */

type Callee = CallSiteFact['callee'];

/** Whether `name` is re-bound below the module scope at this path (a parameter or a local of the same name). */
function shadowed(path: NodePath, name: string): boolean {
  for (let p: NodePath | null = path.parent; p && p.node.type !== 'Program'; p = p.parent) {
    const n = p.node;
    if (
      isFunctionNode(n) &&
      (n as Node & { params: Node[] }).params.some((param) => patternNames(param).includes(name))
    )
      return true;
    if (n.type === 'CatchClause' && patternNames(n.param).includes(name)) return true;
    if (
      n.type === 'BlockStatement' &&
      n.body.some(
        (s) =>
          (s.type === 'VariableDeclaration' && s.declarations.some((d) => patternNames(d.id).includes(name))) ||
          ((s.type === 'FunctionDeclaration' || s.type === 'ClassDeclaration') && s.id?.name === name),
      )
    )
      return true;
  }
  return false;
}

/** Positions where an identifier is not a use of the binding (declarations, keys, export lists). */
function isNonReference(path: NodePath<Identifier>): boolean {
  const parent = path.parent?.node;
  if (!parent) return true;
  switch (parent.type) {
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'ExportSpecifier':
    case 'ExportDefaultSpecifier':
    case 'ExportNamespaceSpecifier':
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ClassDeclaration':
    case 'ClassMethod':
    case 'ObjectMethod':
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'CatchClause':
    case 'TSTypeReference':
    case 'TSQualifiedName':
    case 'TSPropertySignature':
    case 'TSMethodSignature':
      return true;
    case 'ArrowFunctionExpression':
      return path.key === 'params';
    case 'VariableDeclarator':
      return path.key === 'id';
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      return path.key === 'property' && !parent.computed;
    // `{ a }` and `{ a: b }` keys; values inside a destructuring pattern are bindings
    case 'ObjectProperty':
      return (path.key === 'key' && !parent.computed) || path.parent?.parent?.node.type === 'ObjectPattern';
    case 'ArrayPattern':
    case 'RestElement':
      return true;
    case 'AssignmentPattern':
      return path.key === 'left';
    case 'ClassProperty':
    case 'ClassPrivateProperty':
      return path.key === 'key';
    default:
      return false;
  }
}

/** `module.exports = { f }`, `exports.f = f`, `export default f`: an export, not a use. */
function isExportUse(path: NodePath): boolean {
  let p: NodePath | null = path;
  while (p?.parent && (p.parent.node.type === 'ObjectProperty' || p.parent.node.type === 'ObjectExpression'))
    p = p.parent;
  const parent = p?.parent?.node;
  if (!parent) return false;
  if (parent.type === 'ExportDefaultDeclaration') return true;
  if (parent.type === 'AssignmentExpression' && p!.key === 'right') {
    const left = parent.left;
    const isExports = (n: Node): boolean =>
      (n.type === 'Identifier' && n.name === 'exports') ||
      (n.type === 'MemberExpression' &&
        n.object.type === 'Identifier' &&
        n.object.name === 'module' &&
        propertyName(n) === 'exports');
    return isExports(left) || (left.type === 'MemberExpression' && isExports(left.object));
  }
  return false;
}

interface Pending {
  path: NodePath;
  callee: Callee;
  /** a call of the callee (else a reference to it) */
  call: boolean;
}

function create(ctx: DetectorContext) {
  const { model: routes, visitors } = useRouteModel(ctx);
  const pending: Pending[] = [];
  const functionNames = topLevelFunctionNames(ctx.ast.program);

  /** What a name refers to, when it is a project function: a relative import or a function of this file. */
  const calleeOf = (name: string, member: string | null): Callee | null => {
    const binding = ctx.imports.byLocal.get(name);
    if (binding) {
      if (!binding.source.startsWith('.')) return null;
      if (binding.imported === '*') return { source: binding.source, name: member ?? 'default' };
      return member === null ? { source: binding.source, name: binding.imported } : null;
    }
    return member === null && functionNames.has(name) ? { local: name } : null;
  };

  const onIdentifier = (path: NodePath<Identifier>): void => {
    const name = path.node.name;
    if (!ctx.imports.byLocal.has(name) && !functionNames.has(name)) return;
    if (isNonReference(path) || shadowed(path, name)) return;
    const parentPath = path.parent!;
    const parent = parentPath.node;
    // ns.f(...) / ns.f on a namespace or CommonJS module object
    if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && path.key === 'object') {
      const member = propertyName(parent);
      const callee = member ? calleeOf(name, member) : null;
      if (!callee || !('source' in callee)) return;
      const grand = parentPath.parent?.node;
      const isCallee =
        !!grand &&
        (grand.type === 'CallExpression' || grand.type === 'OptionalCallExpression') &&
        grand.callee === parent;
      pending.push({ path: isCallee ? parentPath.parent! : parentPath, callee, call: isCallee });
      return;
    }
    const callee = calleeOf(name, null);
    if (!callee) return;
    if (
      (parent.type === 'CallExpression' ||
        parent.type === 'OptionalCallExpression' ||
        parent.type === 'NewExpression') &&
      parent.callee === path.node
    ) {
      pending.push({ path: parentPath, callee, call: true });
      return;
    }
    if (isExportUse(path)) return;
    pending.push({ path, callee, call: false });
  };

  const routeOfReference = (node: Node, model: RouteModel): RouteRef | null => {
    const ref = model.references().find((r) => r.node === node);
    if (!ref) return null;
    return {
      framework: ref.framework,
      handlesRejection: ref.framework !== 'express' || model.expressCatches,
      line: node.loc?.start.line ?? 0,
      column: (node.loc?.start.column ?? 0) + 1,
    };
  };

  /** `export { f } from './x'`, `export * from './x'`: a barrel passes the functions on to callers the model does not follow. */
  const onReexport = (path: NodePath): void => {
    const node = path.node as Node & { source?: { value: string } | null; specifiers?: Node[] };
    const source = node.source?.value;
    if (!source?.startsWith('.')) return;
    const names =
      node.type === 'ExportAllDeclaration'
        ? ['*']
        : (node.specifiers ?? []).flatMap((s) =>
            s.type === 'ExportSpecifier'
              ? [
                  (s.local as Node & { name?: string; value?: string }).name ??
                    (s.local as Node & { value?: string }).value ??
                    '*',
                ]
              : ['*'],
          );
    for (const name of names) pending.push({ path, callee: { source, name }, call: false });
  };

  return {
    ...visitors,
    Identifier: onIdentifier,
    ExportNamedDeclaration: onReexport,
    ExportAllDeclaration: onReexport,
    'Program:exit'() {
      const functions: FileFunctions = fileFunctions(ctx.ast.program, routes);
      const namedHandlers = new Set(
        routes
          .handlers()
          .filter((h) => h.named)
          .map((h) => h.call),
      );
      const facts: CallSiteFact[] = [];
      for (const p of pending) {
        const node = p.path.node;
        const base = { callee: p.callee, line: node.loc?.start.line ?? 0, column: (node.loc?.start.column ?? 0) + 1 };
        if (!p.call) {
          // a function of this file registered as a route by name: its own reference carries the route
          if (p.path.parent && namedHandlers.has(p.path.parent.node as CallExpression) && 'local' in p.callee) continue;
          const route = routeOfReference(node, routes);
          facts.push({ ...base, handling: 'escapes', testsDefault: false, ...(route ? { route } : {}) });
          continue;
        }
        const outcome = callOutcome(p.path);
        const fact: CallSiteFact = {
          ...base,
          handling: outcome.handling,
          testsDefault: testsDefault(outcome.valuePath),
        };
        if (outcome.handling === 'propagates') {
          const within = functionRefOf(outcome.within, functions);
          if (within) fact.within = within;
          else fact.handling = 'unknown';
        }
        facts.push(fact);
      }
      ctx.facts.calls = facts;
    },
  };
}

/** Records the calls of project functions (no findings of its own): the facts behind silent-error-swallow's callers. */
const callers: CodeDetector = {
  name: 'callers',
  ruleIds: ['silent-error-swallow'],
  // a contract changes only in a function with a catch; its callers elsewhere import it by a
  // relative specifier (`'./x'`, `'../x'`, `'..'`), also through barrels
  triggers: ['catch', /(?:\bfrom|\brequire\s*\(|\bimport\s*\(?)\s*['"`]\.{1,2}(?:\/|['"`])/],
  create,
};

export default callers;
