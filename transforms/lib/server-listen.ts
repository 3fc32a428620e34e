import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { isProbePath, ServerApps, type ServerApp } from '../../detectors/lib/http-servers';
import { propertyName } from '../../detectors/lib/node-text';
import { unwrap } from '../../detectors/lib/unwrap';
import { moduleImports } from './module-bindings';

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

/** A `.listen(` statement of a server the file makes, as the fixes for probes and shutdown need it. */
export interface ListenStatement extends ServerApp {
  call: AnyNode;
  /** the statement holding the call, directly in a Program or block body */
  statement: ASTPath;
  /** the variable the listen target is (`app` in `app.listen()`, `server` in `server.listen()`) */
  target: string | null;
  /** `const <stored> = app.listen(...)` */
  stored: string | null;
}

/** Every listen statement of a recognised server, in source order, classified by the HTTP server model. */
export function listenStatements(j: JSCodeshift, root: Collection): ListenStatement[] {
  const servers = new ServerApps(moduleImports(root));
  root.find(j.Node).forEach((p) => {
    const n = p.node as AnyNode;
    if (n.type === 'VariableDeclarator') servers.bind(n.id, n.init);
    else if (n.type === 'AssignmentExpression') servers.bind(n.left, n.right);
  });

  const out: ListenStatement[] = [];
  root.find(j.CallExpression).forEach((p) => {
    const callee = p.node.callee as AnyNode;
    if (callee.type !== 'MemberExpression' || propertyName(callee) !== 'listen') return;
    const kind = servers.classify(callee.object);
    if (!kind) return;
    let s: ASTPath = p;
    let stored: string | null = null;
    while (s.parent && !['Program', 'BlockStatement'].includes(s.parent.node.type)) {
      if (s.parent.node.type === 'VariableDeclarator' && s.parent.node.id.type === 'Identifier')
        stored = s.parent.node.id.name;
      s = s.parent;
    }
    if (!s.parent) return;
    const target: AnyNode = unwrap(callee.object, { await: true });
    out.push({
      call: p.node,
      statement: s,
      ...kind,
      target: target.type === 'Identifier' ? target.name : null,
      stored,
    });
  });
  return out;
}

/** The names declared directly in the block (or program) holding a statement. */
export function namesInBlock(statement: ASTPath): Set<string> {
  const names = new Set<string>();
  for (const s of (statement.parent?.node.body ?? []) as AnyNode[]) {
    const d = s.type === 'ExportNamedDeclaration' && s.declaration ? s.declaration : s;
    if (d.type === 'VariableDeclaration')
      for (const v of d.declarations) if (v.id.type === 'Identifier') names.add(v.id.name);
    if ((d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id) names.add(d.id.name);
    if (d.type === 'ImportDeclaration') for (const sp of d.specifiers ?? []) names.add(sp.local.name);
  }
  return names;
}

/** Whether the file already answers a probe path anywhere (a route, a check on req.url). */
export function hasProbeRoute(j: JSCodeshift, root: Collection): boolean {
  return root.find(j.StringLiteral).some((p) => isProbePath(String(p.node.value)));
}
