import type { File, Node, ObjectExpression } from '@babel/types';
import type { DetectorContext } from '../../src/detect/detector-api';
import { requireSource, type ImportBinding } from '../../src/parse/imports';
import { isFunctionNode, type NodePath, type Visitors } from '../../src/parse/walk';
import { isWithin, memberChain, patternNames } from './dependency-ast';
import { isPassThrough } from './client-table';
import { keyName } from './node-text';
import { unwrap } from './unwrap';

/** A value bound to a name: `const x = init`, `x = init`, `this.x = init`, class field `x = init`. */
export interface Binding {
  name: string;
  init: Node;
  path: NodePath;
  /** the function (or Program) the binding belongs to */
  scope: Node;
}

/**
 * What the dependency detectors need from one traversal: every call and `new`, the bindings
 * that name clients and policies, and the local declarations that shadow globals. Resolution
 * happens at Program:exit, when the whole file has been seen.
 */
export interface DependencyModel {
  ctx: DetectorContext;
  program: Node | null;
  calls: NodePath[];
  news: NodePath[];
  bindings: Map<string, Binding[]>;
  /** name -> scopes (function or Program nodes) that declare it */
  declared: Map<string, Node[]>;
  /** `<target>.defaults.timeout = value` */
  defaultsTimeouts: Array<{ target: string; value: Node; path: NodePath }>;
  /** function declarations by name, for options built by a local function */
  functions: Map<string, Node[]>;
  /** memo for derived analyses, keyed by the analysis */
  memo: Map<string, unknown>;
}

function scopeOf(path: NodePath): Node {
  for (let p = path.parent; p; p = p.parent) if (isFunctionNode(p.node) || p.node.type === 'Program') return p.node;
  return path.node;
}

function addTo<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The class name of a static member's class. */
export function staticOwner(path: NodePath): string | null {
  const cls = path.parent?.parent?.node as (Node & { id?: { name: string } | null }) | undefined;
  return cls && (cls.type === 'ClassDeclaration' || cls.type === 'ClassExpression') && cls.id ? cls.id.name : null;
}

function collectVisitors(m: DependencyModel): Visitors {
  const declare = (name: string, scope: Node): void => addTo(m.declared, name, scope);
  const bind = (name: string, init: Node, path: NodePath): void =>
    addTo(m.bindings, name, { name, init, path, scope: scopeOf(path) });
  const params = (path: NodePath): void => {
    const fn = path.node as Node & { params?: Node[] };
    for (const p of fn.params ?? []) {
      for (const n of patternNames(p)) declare(n, fn);
      // constructor(private readonly client = axios.create(...))
      if (
        p.type === 'TSParameterProperty' &&
        p.parameter.type === 'AssignmentPattern' &&
        p.parameter.left.type === 'Identifier'
      ) {
        bind(`this.${p.parameter.left.name}`, p.parameter.right, path);
      }
    }
  };
  return {
    Program: (path) => {
      m.program = path.node;
    },
    CallExpression: (path) => {
      m.calls.push(path);
    },
    OptionalCallExpression: (path) => {
      m.calls.push(path);
    },
    NewExpression: (path) => {
      m.news.push(path);
    },
    FunctionDeclaration: (path) => {
      const node = path.node as Node & { id?: { name: string } | null };
      if (node.id) {
        declare(node.id.name, scopeOf(path));
        addTo(m.functions, node.id.name, path.node);
      }
      params(path);
    },
    FunctionExpression: params,
    ArrowFunctionExpression: params,
    ObjectMethod: params,
    ClassMethod: params,
    ClassPrivateMethod: params,
    ClassDeclaration: (path) => {
      const node = path.node as Node & { id?: { name: string } | null };
      if (node.id) declare(node.id.name, scopeOf(path));
    },
    VariableDeclarator: (path) => {
      const node = path.node as Node & { id: Node; init: Node | null };
      const scope = scopeOf(path);
      for (const n of patternNames(node.id)) declare(n, scope);
      if (node.id.type === 'Identifier' && node.init) bind(node.id.name, node.init, path);
    },
    ClassProperty: (path) => {
      const node = path.node as Node & { key: Node; computed: boolean; value: Node | null; static: boolean };
      const name = keyName(node);
      if (name && node.value && !node.static) bind(`this.${name}`, node.value, path);
      // static ddbClient = new X(): read as DynamoDbStore.ddbClient
      const cls = staticOwner(path);
      if (name && node.value && node.static && cls) bind(`${cls}.${name}`, node.value, path);
    },
    AssignmentExpression: (path) => {
      const node = path.node as Node & { operator: string; left: Node; right: Node };
      if (node.operator !== '=') return;
      const chain = memberChain(node.left);
      if (!chain) return;
      if (chain.length >= 3 && chain[chain.length - 1] === 'timeout' && chain[chain.length - 2] === 'defaults') {
        m.defaultsTimeouts.push({ target: chain.slice(0, -2).join('.'), value: node.right, path });
      } else if (chain.length === 1 || (chain.length === 2 && chain[0] === 'this')) {
        bind(chain.join('.'), node.right, path);
      }
    },
  };
}

const models = new WeakMap<File, DependencyModel>();

/**
 * The file's dependency model, shared by the dependency detectors. The first detector to ask
 * gets the collecting visitors to register; later ones get none (one collection per file).
 */
export function useDependencyModel(ctx: DetectorContext): { model: DependencyModel; visitors: Visitors } {
  const existing = models.get(ctx.ast);
  if (existing) return { model: existing, visitors: {} };
  const model: DependencyModel = {
    ctx,
    program: null,
    calls: [],
    news: [],
    bindings: new Map(),
    declared: new Map(),
    functions: new Map(),
    defaultsTimeouts: [],
    memo: new Map(),
  };
  models.set(ctx.ast, model);
  return { model, visitors: collectVisitors(model) };
}

/** The binding a name refers to at a place: the one in the nearest enclosing scope. */
export function bindingAt(m: DependencyModel, name: string, at: NodePath): Binding | null {
  const list = m.bindings.get(name);
  if (!list) return null;
  if (name.includes('.')) return list[0] ?? null;
  let best: Binding | null = null;
  let bestDepth = -1;
  for (const b of list) {
    if (b.scope !== m.program && !isWithin(at, b.scope)) continue;
    let depth = 0;
    for (let p: NodePath | null = b.path; p; p = p.parent) depth++;
    if (depth > bestDepth) {
      best = b;
      bestDepth = depth;
    }
  }
  return best;
}

/** A derived analysis of the file, computed once per model under `key`. */
export function memoized<T>(m: DependencyModel, key: string, compute: () => T): T {
  if (m.memo.has(key)) return m.memo.get(key) as T;
  const value = compute();
  m.memo.set(key, value);
  return value;
}

/**
 * The expression a name or `this.x` stands for at a place, following `const a = b` aliases.
 * Null when it is not bound to a visible value in this file.
 */
export function resolveValue(m: DependencyModel, node: Node | null | undefined, at: NodePath, depth = 0): Node | null {
  const n = unwrap(node);
  if (!n || depth > 4) return n;
  const chain = n.type === 'Identifier' || n.type === 'MemberExpression' ? memberChain(n) : null;
  if (
    !chain ||
    !(chain.length === 1 || (chain.length === 2 && (chain[0] === 'this' || m.bindings.has(chain.join('.')))))
  )
    return n;
  if (chain.length === 1 && importAt(m, chain[0]!, at)) return n;
  const b = bindingAt(m, chain.join('.'), at);
  if (!b) return n;
  let init = unwrap(b.init);
  if (init && init.type === 'AwaitExpression') init = unwrap(init.argument);
  return resolveValue(m, passedThrough(init) ?? init, b.path, depth + 1);
}

/** The argument a pass-through wrapper returns (`AWSXRay.captureAWSv3Client(new X())` -> `new X()`), else null. */
export function passedThrough(node: Node | null | undefined): Node | null {
  const n = unwrap(node);
  if (!n || n.type !== 'CallExpression') return null;
  const chain = memberChain(n.callee);
  const arg = n.arguments[0];
  if (!chain || !arg || arg.type === 'SpreadElement' || !isPassThrough(chain[chain.length - 1]!)) return null;
  return unwrap(arg as Node);
}

/** Whether a name is declared by the file in a scope that encloses a place (so a global is shadowed). */
export function isDeclaredAt(m: DependencyModel, name: string, at: NodePath): boolean {
  for (const scope of m.declared.get(name) ?? []) if (scope === m.program || isWithin(at, scope)) return true;
  return false;
}

/** An options argument as an object literal, or whether it is absent or out of sight. */
export function optionsObject(
  m: DependencyModel,
  node: Node | null | undefined,
  at: NodePath,
): ObjectExpression | 'missing' | 'unknown' {
  if (!node) return 'missing';
  const v = resolveValue(m, node, at);
  if (!v) return 'missing';
  if (v.type === 'ObjectExpression') return v;
  if (v.type === 'Identifier' && v.name === 'undefined') return 'missing';
  return 'unknown';
}

/** `const AWS = AWSXRay.captureAWS(require('aws-sdk'))`: the module, instrumented, bound at the top level. */
function wrappedModule(m: DependencyModel, name: string): ImportBinding | undefined {
  const b = m.bindings.get(name)?.find((x) => x.scope === m.program);
  const inner = b ? passedThrough(b.init) : null;
  const source = requireSource(unwrap(inner));
  return source
    ? { local: name, source, imported: '*', style: 'cjs', line: b!.path.node.loc?.start.line ?? 1 }
    : undefined;
}

/** The module binding a name has at a place, unless a function-local declaration shadows it. */
export function importAt(m: DependencyModel, name: string, at: NodePath): ImportBinding | undefined {
  const b = m.ctx.imports.byLocal.get(name) ?? wrappedModule(m, name);
  if (!b) return undefined;
  for (const scope of m.declared.get(name) ?? []) if (scope !== m.program && isWithin(at, scope)) return undefined;
  return b;
}
