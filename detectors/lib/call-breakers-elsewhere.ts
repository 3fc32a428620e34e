import type { Node } from '@babel/types';
import { isFunctionNode, type NodePath } from '../../src/parse/walk';
import { memberChain } from './dependency-ast';
import { importAt, type DependencyModel } from './dependency-model';
import type { ProtectionAnalyzer } from './policy-protection';
import { keyName } from './node-text';
import { unwrap } from './unwrap';

/*
 * A breaker may be defined in another file than the call it protects: `new CircuitBreaker(getRates)`
 * (opossum) or `breaker.execute(() => getRates())` (cockatiel) around a function imported from a
 * project module. Each file records the imported functions it guards so (breakerWrapped), and
 * names the function each no-circuit-breaker finding sits in; the scan joins the two
 * (src/detect/breaker-joins.ts) and drops the findings a breaker elsewhere covers.
 */

/** `getRates`, `api.getRates` (namespace import), as [relative module, export name]; null for anything else. */
function importedFunction(
  m: DependencyModel,
  node: Node | null | undefined,
  at: NodePath,
): { source: string; name: string } | null {
  let n = unwrap(node);
  // getRates.bind(null)
  if (n && n.type === 'CallExpression') {
    const c = memberChain(n.callee);
    if (c && c[c.length - 1] === 'bind' && n.callee.type === 'MemberExpression') n = unwrap(n.callee.object);
  }
  const chain = memberChain(n);
  if (!chain || chain.length > 2) return null;
  const b = importAt(m, chain[0]!, at);
  if (!b || !b.source.startsWith('.')) return null;
  const whole = b.imported === '*' || (b.imported === 'default' && b.style === 'cjs');
  if (chain.length === 2) return whole ? { source: b.source, name: chain[1]! } : null;
  return { source: b.source, name: b.imported === '*' ? 'default' : b.imported };
}

/** The project functions imported by this file that it calls, or hands, to a circuit breaker. */
export function breakerWrappedImports(
  m: DependencyModel,
  protect: ProtectionAnalyzer,
): Array<{ source: string; name: string }> {
  const out = new Map<string, { source: string; name: string }>();
  const add = (f: { source: string; name: string } | null): void => {
    if (f) out.set(`${f.source}#${f.name}`, f);
  };
  for (const path of [...m.calls, ...m.news]) {
    const node = path.node as { callee: Node; arguments: Node[] };
    const callee = importedFunction(m, node.callee, path);
    if (callee && path.node.type === 'CallExpression' && protect.at(path).breaker) add(callee);
    const args = node.arguments.map((a) => importedFunction(m, a, path)).filter((a) => a !== null);
    if (args.length && protect.wrapper(path.node, path).breaker) args.forEach(add);
  }
  return [...out.values()];
}

/** The name the outermost function around a place is exported or declared under: `getRates`, `exports.getRates`. */
export function outerFunctionName(path: NodePath): string | null {
  let outer: NodePath | null = null;
  for (let p = path.parent; p; p = p.parent) if (isFunctionNode(p.node)) outer = p;
  if (!outer) return null;
  const n = outer.node as Node & { id?: { name: string } | null; key?: Node; computed?: boolean };
  if (n.type === 'FunctionDeclaration' && n.id) return n.id.name;
  const parent = outer.parent?.node;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if (parent?.type === 'AssignmentExpression') {
    const chain = memberChain(parent.left);
    return chain ? chain[chain.length - 1]! : null;
  }
  if (
    parent?.type === 'ExportDefaultDeclaration' ||
    (n.type === 'FunctionDeclaration' && outer.parent?.node.type === 'ExportDefaultDeclaration')
  )
    return 'default';
  if ((n.type === 'ObjectMethod' || n.type === 'ClassMethod') && n.key) return keyName(n);
  return null;
}
