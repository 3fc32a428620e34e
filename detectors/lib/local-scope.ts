import type { Node } from '@babel/types';
import { enclosingFunction, isFunctionNode, type NodePath } from '../../src/parse/walk';
import { memberChain } from './dependency-ast';

/** Names bound by a declaration pattern (`a`, `{ a, b: c }`, `[a, ...b]`, `a = 1`). */
export function patternNames(node: Node | null | undefined, out: string[] = []): string[] {
  if (!node) return out;
  switch (node.type) {
    case 'Identifier':
      out.push(node.name);
      break;
    case 'AssignmentPattern':
      patternNames(node.left, out);
      break;
    case 'RestElement':
      patternNames(node.argument, out);
      break;
    case 'TSParameterProperty':
      patternNames(node.parameter, out);
      break;
    case 'ArrayPattern':
      for (const e of node.elements) patternNames(e, out);
      break;
    case 'ObjectPattern':
      for (const p of node.properties) patternNames(p.type === 'RestElement' ? p : p.value, out);
      break;
    default:
      break;
  }
  return out;
}

function declaresInStatements(body: readonly Node[], name: string): boolean {
  for (const raw of body) {
    const stmt =
      (raw.type === 'ExportNamedDeclaration' || raw.type === 'ExportDefaultDeclaration') && raw.declaration
        ? raw.declaration
        : raw;
    if (stmt.type === 'VariableDeclaration' && stmt.declarations.some((d) => patternNames(d.id).includes(name)))
      return true;
    if ((stmt.type === 'FunctionDeclaration' || stmt.type === 'ClassDeclaration') && stmt.id?.name === name)
      return true;
    if (stmt.type === 'ImportDeclaration' && stmt.specifiers.some((s) => s.local.name === name)) return true;
  }
  return false;
}

/**
 * Whether `name` at this path refers to a local binding (parameter, variable, import, catch
 * parameter) rather than the global. Only enclosing scopes are searched; that is enough to
 * tell `function f(console) { console.log() }` from the global console.
 */
export function isLocallyBound(path: NodePath, name: string): boolean {
  for (let p: NodePath | null = path.parent; p; p = p.parent) {
    const n = p.node;
    if (isFunctionNode(n)) {
      const fn = n as Node & { params: Node[]; id?: { name: string } | null };
      if (fn.params.some((param) => patternNames(param).includes(name))) return true;
      if (n.type === 'FunctionExpression' && fn.id?.name === name) return true;
    } else if (n.type === 'CatchClause') {
      if (patternNames(n.param).includes(name)) return true;
    } else if (n.type === 'BlockStatement' || n.type === 'Program' || n.type === 'StaticBlock') {
      if (declaresInStatements(n.body, name)) return true;
    } else if (
      (n.type === 'ForStatement' && n.init?.type === 'VariableDeclaration') ||
      ((n.type === 'ForOfStatement' || n.type === 'ForInStatement') && n.left.type === 'VariableDeclaration')
    ) {
      const decl = n.type === 'ForStatement' ? n.init : n.left;
      if (
        decl &&
        decl.type === 'VariableDeclaration' &&
        decl.declarations.some((d) => patternNames(d.id).includes(name))
      )
        return true;
    }
  }
  return false;
}

/**
 * True when the path runs once per module load: not inside any function and not in an
 * instance field initializer (static fields and static blocks are module-lived).
 */
export function isModuleScope(path: NodePath): boolean {
  for (let p: NodePath | null = path.parent; p; p = p.parent) {
    const n = p.node;
    if (isFunctionNode(n)) return false;
    if ((n.type === 'ClassProperty' || n.type === 'ClassPrivateProperty') && !n.static) return false;
  }
  return true;
}

/** The name a function is declared or bound under (`function f`, `const f = async () => …`). */
export function functionName(fn: NodePath): string | undefined {
  const node = fn.node as Node & { id?: { name: string } | null };
  const parent = fn.parent?.node;
  return node.type === 'FunctionDeclaration'
    ? node.id?.name
    : parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier'
      ? parent.id.name
      : undefined;
}

/** A file's plain-name calls (`connect()`) by name, and how often each name is written in its text. */
export interface LoadCallIndex {
  byName: Map<string, NodePath[]>;
  mentions: Map<string, number>;
}

/** Built once per file, so that asking about each of its functions stays linear in the file. */
export function loadCallIndex(calls: Iterable<NodePath>, text: string): LoadCallIndex {
  const byName = new Map<string, NodePath[]>();
  for (const c of calls) {
    const callee = memberChain((c.node as { callee: Node }).callee);
    if (callee?.length !== 1) continue;
    const list = byName.get(callee[0]!) ?? [];
    list.push(c);
    byName.set(callee[0]!, list);
  }
  const mentions = new Map<string, number>();
  for (const word of text.match(/[A-Za-z_$][\w$]*/g) ?? []) mentions.set(word, (mentions.get(word) ?? 0) + 1);
  return { byName, mentions };
}

/**
 * A function the file calls only from module scope (`const config = loadConfig()`), and never
 * exports: it runs once, when the module loads. Any other mention of its name (exported, passed
 * as a handler) may run it later, per request or invocation.
 */
export function onlyCalledAtLoad(fn: NodePath, index: LoadCallIndex): boolean {
  const name = functionName(fn);
  if (!name) return false;
  const exported = (p: NodePath | null | undefined) =>
    p?.node.type === 'ExportNamedDeclaration' || p?.node.type === 'ExportDefaultDeclaration';
  if (exported(fn.parent) || exported(fn.parent?.parent?.parent)) return false;
  const calls = index.byName.get(name) ?? [];
  if (calls.some((c) => enclosingFunction(c) || inLoopAtModuleScope(c))) return false;
  return calls.length > 0 && index.mentions.get(name) === calls.length + 1;
}

const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

/**
 * Inside a loop of the module scope (`for await (const msg of consumer) { … }`): runs once per
 * iteration, not once at load. Stops at the enclosing function, whose own calls decide.
 */
export function inLoopAtModuleScope(path: NodePath): boolean {
  for (let p = path.parent; p; p = p.parent) {
    if (isFunctionNode(p.node)) return false;
    if (LOOPS.has(p.node.type)) return true;
  }
  return false;
}
