import type { Collection, JSCodeshift } from 'jscodeshift';

type Program = { body: any[] };

/** The Program of a file's collection, read directly: `root.find(j.Program)` walks the whole tree. */
export function programOf(j: JSCodeshift, root: Collection): Program {
  const node = root.paths()[0]?.node as { type?: string; program?: Program } | undefined;
  if (node?.type === 'File' && node.program) return node.program;
  if (node?.type === 'Program') return node as unknown as Program;
  return root.find(j.Program).get().node as Program;
}

/**
 * Facts of a whole file that fix steps ask for once per finding, computed once per AST (keyed by
 * its Program node): each costs a walk of the tree, so asking per finding was quadratic in large
 * files. The steps' own edits follow the file's style, so the answers stay true while they run.
 */
const styleCache = new WeakMap<object, 'esm' | 'cjs'>();
const quoteCache = new WeakMap<object, "'" | '"'>();

/** The file's module style: ES imports, or CommonJS require (plain .js/.cjs without imports). */
export function moduleStyleOf(j: JSCodeshift, root: Collection, file: string): 'esm' | 'cjs' {
  if (/\.(ts|tsx|mts|mjs)$/.test(file)) return 'esm';
  if (/\.cjs$/.test(file)) return 'cjs';
  const program = programOf(j, root);
  const known = styleCache.get(program);
  if (known) return known;
  const style = moduleStyleOfProgram(j, root, program);
  styleCache.set(program, style);
  return style;
}

function moduleStyleOfProgram(j: JSCodeshift, root: Collection, program: Program): 'esm' | 'cjs' {
  const hasEsm = program.body.some((s) => /^(Import|Export)/.test(s.type));
  if (hasEsm) return 'esm';
  const hasRequire = root.find(j.CallExpression, { callee: { type: 'Identifier', name: 'require' } }).size() > 0;
  // `module.exports` or `exports.x = ...` (a CommonJS module need not require anything)
  const hasModuleExports =
    root.find(j.MemberExpression, { object: { name: 'module' }, property: { name: 'exports' } }).size() > 0 ||
    root
      .find(j.AssignmentExpression, {
        left: { type: 'MemberExpression', object: { type: 'Identifier', name: 'exports' } },
      })
      .size() > 0;
  return hasRequire || hasModuleExports ? 'cjs' : 'esm';
}

function isRequireOf(node: any, source?: string): boolean {
  const init = node?.init?.type === 'MemberExpression' ? node.init.object : node?.init;
  return (
    init?.type === 'CallExpression' &&
    init.callee?.type === 'Identifier' &&
    init.callee.name === 'require' &&
    (source === undefined || (init.arguments[0] && init.arguments[0].value === source))
  );
}

function isImportLike(stmt: any): boolean {
  if (stmt.type === 'ImportDeclaration' || stmt.type === 'TSImportEqualsDeclaration') return true;
  return (
    stmt.type === 'VariableDeclaration' &&
    stmt.declarations.length > 0 &&
    stmt.declarations.every((d: any) => isRequireOf(d))
  );
}

/**
 * Inserts a new import/require among the file's top-level imports. It goes just before the
 * last one: recast then prints it with no blank lines around it (after the last one it would
 * get a blank line of its own). Without imports it goes first, keeping a header comment first.
 */
export function insertAmongImports(j: JSCodeshift, root: Collection, statement: any): void {
  const program = programOf(j, root);
  let last = -1;
  program.body.forEach((s, i) => {
    if (isImportLike(s)) last = i;
  });
  if (last >= 0) {
    program.body.splice(last, 0, statement);
    return;
  }
  const first = program.body[0];
  if (first && first.comments && first.comments.length) {
    statement.comments = first.comments.filter((c: any) => c.leading);
    first.comments = first.comments.filter((c: any) => !c.leading);
  }
  program.body.unshift(statement);
}

/**
 * Builds a statement by parsing its source with the file's own parser: recast then prints it
 * exactly as written (its builders would print `const {\n  a\n} = require(...)`).
 */
export function parseStatement(j: JSCodeshift, code: string): any {
  const node = (j(code).find(j.Program).get().node as Program).body[0];
  // positions from the snippet would make recast splice it onto a line of the file
  delete node.loc;
  delete node.start;
  delete node.end;
  return node;
}

/** The quote most string literals of the file use (single when tied). */
export function preferredQuote(j: JSCodeshift, root: Collection): "'" | '"' {
  const program = programOf(j, root);
  const known = quoteCache.get(program);
  if (known) return known;
  const quote = countQuotes(j, root);
  quoteCache.set(program, quote);
  return quote;
}

function countQuotes(j: JSCodeshift, root: Collection): "'" | '"' {
  let double = 0;
  let single = 0;
  root.find(j.StringLiteral).forEach((p) => {
    const raw = (p.node as any).extra?.raw as string | undefined;
    if (raw?.startsWith('"')) double++;
    else if (raw?.startsWith("'")) single++;
  });
  return double > single ? '"' : "'";
}

/** A string literal in the file's quote style. */
function quoted(j: JSCodeshift, root: Collection, value: string): string {
  return preferredQuote(j, root) === '"'
    ? JSON.stringify(value)
    : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Whether a name is declared anywhere at the top level of the file (import, variable, function, class). */
export function isTopLevelName(j: JSCodeshift, root: Collection, name: string): boolean {
  const program = programOf(j, root);
  const declared = (id: any): boolean => {
    if (!id) return false;
    if (id.type === 'Identifier') return id.name === name;
    if (id.type === 'ObjectPattern') return id.properties.some((p: any) => declared(p.value ?? p.argument));
    if (id.type === 'ArrayPattern') return id.elements.some(declared);
    if (id.type === 'AssignmentPattern') return declared(id.left);
    return false;
  };
  return program.body.some((s: any) => {
    const d = s.type === 'ExportNamedDeclaration' && s.declaration ? s.declaration : s;
    if (d.type === 'ImportDeclaration') return (d.specifiers ?? []).some((sp: any) => sp.local?.name === name);
    if (d.type === 'VariableDeclaration') return d.declarations.some((v: any) => declared(v.id));
    if (d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') return d.id?.name === name;
    if (d.type === 'TSImportEqualsDeclaration') return d.id?.name === name;
    return false;
  });
}

/**
 * Makes `names` available from `source` in the file's own import style, merging into an
 * existing import/require of that source. Returns the local name of each (unchanged if
 * already imported). Idempotent.
 */
export function ensureNamedImports(
  j: JSCodeshift,
  root: Collection,
  file: string,
  source: string,
  names: string[],
): Record<string, string> {
  const locals: Record<string, string> = {};
  const style = moduleStyleOf(j, root, file);
  const program = programOf(j, root);
  if (style === 'esm') {
    const existing = program.body.find(
      (s: any) =>
        s.type === 'ImportDeclaration' &&
        s.source.value === source &&
        s.importKind !== 'type' &&
        !(s.specifiers ?? []).some((sp: any) => sp.type === 'ImportNamespaceSpecifier'),
    );
    const missing: string[] = [];
    for (const name of names) {
      const spec = existing?.specifiers?.find(
        (sp: any) => sp.type === 'ImportSpecifier' && (sp.imported.name ?? sp.imported.value) === name,
      );
      if (spec) locals[name] = spec.local.name;
      else missing.push(name);
    }
    if (missing.length === 0) return locals;
    for (const name of missing) locals[name] = name;
    if (existing)
      existing.specifiers.push(...missing.map((name) => j.importSpecifier(j.identifier(name), j.identifier(name))));
    else
      insertAmongImports(
        j,
        root,
        parseStatement(j, `import { ${missing.join(', ')} } from ${quoted(j, root, source)};`),
      );
    return locals;
  }
  const existingDecl = program.body.find(
    (s: any) =>
      s.type === 'VariableDeclaration' &&
      s.declarations.length === 1 &&
      s.declarations[0].id.type === 'ObjectPattern' &&
      isRequireOf(s.declarations[0], source) &&
      s.declarations[0].init.type === 'CallExpression',
  );
  const pattern = existingDecl?.declarations[0].id;
  const missing: string[] = [];
  for (const name of names) {
    const prop = pattern?.properties.find((p: any) => (p.key?.name ?? p.key?.value) === name);
    if (prop) locals[name] = prop.value?.name ?? name;
    else missing.push(name);
  }
  if (missing.length === 0) return locals;
  for (const name of missing) locals[name] = name;
  if (pattern) {
    for (const name of missing) {
      const prop = j.objectProperty(j.identifier(name), j.identifier(name));
      prop.shorthand = true;
      pattern.properties.push(prop);
    }
  } else {
    insertAmongImports(
      j,
      root,
      parseStatement(j, `const { ${missing.join(', ')} } = require(${quoted(j, root, source)});`),
    );
  }
  return locals;
}
