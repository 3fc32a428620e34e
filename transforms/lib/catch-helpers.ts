import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import type { FixContext } from '../../src/api/fix-context';
import { isTopLevelName } from './imports';

/*
 * Helpers shared by the fixes that rewrite catch handlers (swallowed-catch,
 * infra-failure-status): choosing the error variable name, finding the enclosing loop,
 * importing from the generated errors module, matching findings to a handler's lines.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime
type AstNode = any;

const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);
const LOOP_TYPES = new Set(['ForStatement', 'ForOfStatement', 'ForInStatement', 'WhileStatement', 'DoWhileStatement']);
/** Array methods whose callback runs once per item, so a `return` in it acts like `continue`. */
const ITERATING_METHODS = new Set([
  'forEach',
  'map',
  'flatMap',
  'filter',
  'reduce',
  'some',
  'every',
  'find',
  'findIndex',
]);

export function isFunctionNode(node: AstNode): boolean {
  return FUNCTION_TYPES.has(node?.type);
}

/** Engine mode: a finding on one of these lines (the handler's own lines); standalone: always. */
export function isSelectedAt(ctx: FixContext, lines: Array<number | undefined>): boolean {
  if (!ctx.findings) return true;
  return ctx.findings.some((f) => lines.includes(f.line));
}

/** Engine mode: a finding on a line from `start` to `end` (a response deep inside a handler); standalone: always. */
export function isSelectedWithin(ctx: FixContext, start: number | undefined, end: number | undefined): boolean {
  if (!ctx.findings) return true;
  if (start === undefined) return false;
  return ctx.findings.some((f) => f.line >= start && f.line <= (end ?? start));
}

/** The lines a finding about a catch clause may point at: `try`, `catch`, and the handler's statements. */
export function catchClauseLines(tryStatement: AstNode, handler: AstNode): Array<number | undefined> {
  return [
    tryStatement.loc?.start.line,
    handler.loc?.start.line,
    handler.body.loc?.start.line,
    ...handler.body.body.map((s: AstNode) => s.loc?.start.line),
  ];
}

/** The nearest enclosing function node (or the Program) of a path. */
export function enclosingScope(path: ASTPath): AstNode {
  for (let p: ASTPath | null = path.parent; p; p = p.parent) {
    if (isFunctionNode(p.node) || p.node.type === 'Program') return p.node;
  }
  return null;
}

/** Every identifier name used under a node (declared or referenced). */
export function identifierNames(j: JSCodeshift, node: AstNode): Set<string> {
  const names = new Set<string>();
  j(node)
    .find(j.Identifier)
    .forEach((p) => {
      names.add(p.node.name);
    });
  if (node.type === 'Identifier') names.add(node.name);
  return names;
}

/**
 * A name for the caught error that no identifier of the enclosing function (or file, at top
 * level) uses, so the new binding shadows nothing: `err`, else `error`, else `caughtError`.
 */
export function freeErrorName(
  j: JSCodeshift,
  root: Collection,
  path: ASTPath,
  extraUsed: Iterable<string> = [],
): string | null {
  const scope = enclosingScope(path);
  const used = scope ? identifierNames(j, scope) : new Set<string>();
  for (const name of extraUsed) used.add(name);
  return ['err', 'error', 'caughtError'].find((n) => !used.has(n) && !isTopLevelName(j, root, n)) ?? null;
}

export interface EnclosingLoop {
  /** a loop statement, or an array method callback (`items.forEach(...)`) */
  kind: 'statement' | 'callback';
  /** iterates a batch of records (`event.Records`, `records`) */
  records: boolean;
}

function mentionsRecords(j: JSCodeshift, node: AstNode): boolean {
  if (!node) return false;
  for (const name of identifierNames(j, node)) if (/^records$/i.test(name)) return true;
  return false;
}

/** The loop the path runs in, within its own function, if any. */
export function enclosingLoop(j: JSCodeshift, path: ASTPath): EnclosingLoop | null {
  for (let p: ASTPath | null = path.parent; p; p = p.parent) {
    const node: AstNode = p.node;
    if (LOOP_TYPES.has(node.type)) {
      const iterated = node.type === 'ForOfStatement' || node.type === 'ForInStatement' ? node.right : node.test;
      return { kind: 'statement', records: mentionsRecords(j, iterated) };
    }
    if (isFunctionNode(node)) {
      const call = p.parent?.node;
      const callee =
        call &&
        (call.type === 'CallExpression' || call.type === 'OptionalCallExpression') &&
        call.arguments.includes(node)
          ? call.callee
          : null;
      if (
        callee &&
        (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') &&
        !callee.computed &&
        ITERATING_METHODS.has(callee.property.name)
      ) {
        return { kind: 'callback', records: mentionsRecords(j, callee.object) };
      }
      return null;
    }
  }
  return null;
}

/**
 * The local name under which `name` is imported/required from `source` (any source when null), else null.
 * (Lets a fix tell the errors module's `classify` from an unrelated one of the same name.)
 */
export function importedLocal(j: JSCodeshift, root: Collection, source: string | null, name: string): string | null {
  let local: string | null = null;
  root.find(j.ImportDeclaration).forEach((p) => {
    if (source !== null && p.node.source.value !== source) return;
    for (const s of p.node.specifiers ?? []) {
      if (s.type === 'ImportSpecifier' && s.imported.name === name && s.local) local = String(s.local.name);
    }
  });
  root.find(j.VariableDeclarator).forEach((p) => {
    const init: AstNode = p.node.init;
    if (
      p.node.id.type !== 'ObjectPattern' ||
      init?.type !== 'CallExpression' ||
      init.callee.name !== 'require' ||
      (source !== null && init.arguments[0]?.value !== source)
    )
      return;
    for (const prop of p.node.id.properties as AstNode[]) {
      if ((prop.key?.name ?? prop.key?.value) === name && prop.value?.type === 'Identifier') local = prop.value.name;
    }
  });
  return local;
}

/** All comments of the file (recast attaches them to nodes as `comments`). */
export function allComments(j: JSCodeshift, root: Collection): AstNode[] {
  const out: AstNode[] = [];
  root.find(j.Node).forEach((p) => {
    const comments = (p.node as AstNode).comments;
    if (Array.isArray(comments)) out.push(...comments);
  });
  return out;
}

/** `throw <classify>(<name>);` */
export function throwClassified(j: JSCodeshift, classify: string, errName: string): AstNode {
  return j.throwStatement(j.callExpression(j.identifier(classify), [j.identifier(errName)]));
}

/** Whether a catch/callback body (log calls, returns, jumps only) leaves with `break` or `continue`. */
export function hasJump(statements: AstNode[]): boolean {
  return statements.some((s) => s.type === 'BreakStatement' || s.type === 'ContinueStatement');
}

/** Whether a node holds an `await` of its own (not inside a nested function). */
export function hasOwnAwait(j: JSCodeshift, node: AstNode): boolean {
  return (
    j(node)
      .find(j.AwaitExpression)
      .filter((p) => {
        for (let q: ASTPath | null = p.parent; q && q.node !== node; q = q.parent)
          if (isFunctionNode(q.node)) return false;
        return true;
      })
      .size() > 0
  );
}
