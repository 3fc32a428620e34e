import { lookupScope } from './scope-lookup';
import type { ASTPath, Collection } from 'jscodeshift';
import type { File } from '@babel/types';
import { collectImports, type ImportBinding, type ImportIndex } from '../../src/parse/imports';

const EMPTY_FILE = { type: 'File', program: { type: 'Program', body: [] } } as unknown as File;

/** The file's module bindings (imports, requires, `import x = require()`), as detection sees them. */
export function moduleBindings(root: Collection): ImportBinding[] {
  return [...moduleImports(root).byLocal.values()];
}

/** The file's module bindings indexed as detection indexes them (by local name, by source). */
export function moduleImports(root: Collection): ImportIndex {
  const top = root.paths()[0]?.node as unknown as File | undefined;
  return collectImports(top?.type === 'File' ? top : EMPTY_FILE);
}

/** Local names bound to a module matching `source` whose import is one of `imported`. */
export function localsOf(
  bindings: ImportBinding[],
  source: (s: string) => boolean,
  imported: (name: string) => boolean,
): Set<string> {
  return new Set(bindings.filter((b) => source(b.source) && imported(b.imported)).map((b) => b.local));
}

/**
 * Whether `name` at `path` refers to the file's top-level binding (an import or require),
 * not to a parameter or local variable of the same name.
 */
export function refersToTopLevel(path: ASTPath, name: string): boolean {
  const found = lookupScope(path, name);
  return found === null || found.isGlobal;
}

/** Whether `name` at `path` is bound nowhere in the file (a global such as `fetch`). */
export function isUnboundGlobal(path: ASTPath, name: string): boolean {
  return lookupScope(path, name) === null;
}
