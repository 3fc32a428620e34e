import type { Node, File } from '@babel/types';

/** How a local name was bound to a module. */
export interface ImportBinding {
  local: string;
  source: string;
  /** 'default', '*' (namespace / whole CommonJS module) or the imported name */
  imported: string;
  style: 'esm' | 'cjs' | 'ts-import-equals';
  line: number;
}

export interface ImportIndex {
  byLocal: Map<string, ImportBinding>;
  sources: Set<string>;
  /** the module a local name comes from, or undefined */
  sourceOf(local: string): string | undefined;
  /** local names bound to a module (any import form), optionally a given export */
  localsOf(source: string | RegExp, imported?: string): string[];
}

/** The module a `require('m')` call loads, or null for anything else. */
export function requireSource(node: Node | null | undefined): string | null {
  if (!node) return null;
  // require('x') or require('x').default or require('x').Named
  if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require') {
    const arg = node.arguments[0];
    if (arg && arg.type === 'StringLiteral') return arg.value;
  }
  return null;
}

function addPatternBindings(
  out: ImportBinding[],
  id: Node,
  source: string,
  base: string,
  style: ImportBinding['style'],
  line: number,
): void {
  if (id.type === 'Identifier') out.push({ local: id.name, source, imported: base, style, line });
  else if (id.type === 'ObjectPattern') {
    for (const prop of id.properties) {
      if (prop.type !== 'ObjectProperty') continue;
      const key =
        prop.key.type === 'Identifier' ? prop.key.name : prop.key.type === 'StringLiteral' ? prop.key.value : null;
      const value = prop.value.type === 'AssignmentPattern' ? prop.value.left : prop.value;
      if (key && value.type === 'Identifier') out.push({ local: value.name, source, imported: key, style, line });
    }
  }
}

/** Collects module bindings from the top level and from variable declarations anywhere at top of functions. */
export function collectImports(ast: File): ImportIndex {
  const bindings: ImportBinding[] = [];
  const visitStatement = (stmt: Node): void => {
    const line = stmt.loc?.start.line ?? 1;
    if (stmt.type === 'ImportDeclaration') {
      if (stmt.importKind === 'type') return;
      for (const spec of stmt.specifiers) {
        if (spec.type === 'ImportDefaultSpecifier')
          bindings.push({ local: spec.local.name, source: stmt.source.value, imported: 'default', style: 'esm', line });
        else if (spec.type === 'ImportNamespaceSpecifier')
          bindings.push({ local: spec.local.name, source: stmt.source.value, imported: '*', style: 'esm', line });
        else if (spec.importKind !== 'type') {
          const imported = spec.imported.type === 'Identifier' ? spec.imported.name : spec.imported.value;
          bindings.push({ local: spec.local.name, source: stmt.source.value, imported, style: 'esm', line });
        }
      }
    } else if (stmt.type === 'TSImportEqualsDeclaration') {
      const ref = stmt.moduleReference;
      if (ref.type === 'TSExternalModuleReference')
        bindings.push({
          local: stmt.id.name,
          source: ref.expression.value,
          imported: '*',
          style: 'ts-import-equals',
          line,
        });
    } else if (stmt.type === 'VariableDeclaration') {
      for (const decl of stmt.declarations) {
        let init = decl.init;
        if (init && init.type === 'AwaitExpression') init = init.argument;
        let source = requireSource(init);
        let base = '*';
        if (
          !source &&
          init &&
          init.type === 'MemberExpression' &&
          !init.computed &&
          init.property.type === 'Identifier'
        ) {
          source = requireSource(init.object);
          base = init.property.name === 'default' ? 'default' : init.property.name;
        }
        if (source) addPatternBindings(bindings, decl.id, source, base, 'cjs', line);
      }
    } else if (stmt.type === 'ExportNamedDeclaration' && stmt.declaration) {
      visitStatement(stmt.declaration);
    }
  };
  for (const stmt of ast.program.body) visitStatement(stmt);

  const byLocal = new Map<string, ImportBinding>();
  for (const b of bindings) if (!byLocal.has(b.local)) byLocal.set(b.local, b);
  const sources = new Set(bindings.map((b) => b.source));
  return {
    byLocal,
    sources,
    sourceOf: (local) => byLocal.get(local)?.source,
    localsOf(source, imported) {
      const out: string[] = [];
      for (const b of byLocal.values()) {
        const match = typeof source === 'string' ? b.source === source : source.test(b.source);
        if (match && (imported === undefined || b.imported === imported)) out.push(b.local);
      }
      return out;
    },
  };
}
