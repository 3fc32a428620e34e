import type { ASTPath } from 'jscodeshift';

/** The part of ast-types' Scope the transforms use. */
export interface ScopeLike {
  node: { type: string; param?: unknown };
  parent: ScopeLike | null;
  isGlobal: boolean;
  declares(name: string): boolean;
  getBindings(): Record<string, ASTPath[]>;
}

/**
 * The scope declaring `name` as seen from `path`, or null. Like ast-types' `scope.lookup`, but
 * it steps over `catch {}` scopes without a binding, whose scan ast-types cannot do (it throws
 * "null does not match type Pattern"); they declare nothing anyway.
 */
export function lookupScope(path: ASTPath, name: string): ScopeLike | null {
  for (let s = (path as unknown as { scope: ScopeLike | null }).scope; s; s = s.parent) {
    if (s.node.type === 'CatchClause' && !s.node.param) continue;
    if (s.declares(name)) return s;
  }
  return null;
}
