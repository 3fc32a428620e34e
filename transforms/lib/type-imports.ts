import type { Collection, JSCodeshift } from 'jscodeshift';
import { insertAmongImports, parseStatement } from './imports';

type AnyNode = any;

/**
 * Makes type-only names available from `source` in a TypeScript file: reuses a name already
 * imported from it (as a type or a value), else merges into an existing `import type { ... }`,
 * else adds one. Type-only, so packages without runtime code (aws-lambda) are never required.
 * Returns the local name of each.
 */
export function ensureTypeImports(
  j: JSCodeshift,
  root: Collection,
  source: string,
  names: string[],
): Record<string, string> {
  const program = root.find(j.Program).get().node as { body: AnyNode[] };
  const fromSource = program.body.filter((s) => s.type === 'ImportDeclaration' && s.source.value === source);
  const locals: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of names) {
    const spec = fromSource
      .flatMap((d) => d.specifiers ?? [])
      .find((sp: AnyNode) => sp.type === 'ImportSpecifier' && (sp.imported.name ?? sp.imported.value) === name);
    if (spec) locals[name] = spec.local.name;
    else missing.push(name);
  }
  if (!missing.length) return locals;
  for (const name of missing) locals[name] = name;
  const typeImport = fromSource.find(
    (d) => d.importKind === 'type' && (d.specifiers ?? []).every((sp: AnyNode) => sp.type === 'ImportSpecifier'),
  );
  if (typeImport)
    typeImport.specifiers.push(...missing.map((n) => j.importSpecifier(j.identifier(n), j.identifier(n))));
  else insertAmongImports(j, root, parseStatement(j, `import type { ${missing.join(', ')} } from '${source}';`));
  return locals;
}
