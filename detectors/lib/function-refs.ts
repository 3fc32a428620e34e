import type { Node, Program } from '@babel/types';
import type { FunctionRef, RouteRef } from '../../src/contract-types';
import { isFunctionNode, type NodePath } from '../../src/parse/walk';
import { exportedFunctions, topLevelBindings } from './lambda-handlers';
import { isModuleExports } from './node-text';
import type { RouteModel } from './route-handlers';
import { insideTryWithCatch } from './rejection-handling';

/*
 * Names a function the way callers in other files reach it: its top-level name and the names
 * it is exported under (ESM and CommonJS), and whether it is a route handler of this file.
 */

export interface FileFunctions {
  /** function node → its top-level name */
  names: Map<Node, string>;
  /** function node → the names it is exported under */
  exports: Map<Node, string[]>;
  /** top-level names bound to functions */
  functionNames: Set<string>;
  /** function node → the route it handles in this file */
  routes: Map<Node, RouteRef>;
}

/** The top-level names of a file bound to functions (known before the traversal). */
export function topLevelFunctionNames(program: Program): Set<string> {
  const out = new Set<string>();
  for (const [name, node] of topLevelBindings(program)) if (isFunctionNode(node)) out.add(name);
  return out;
}

/** The functions of a file by node: names, export names (`module.exports = fn` is the default export) and routes (read at `Program:exit`). */
export function fileFunctions(program: Program, routes: RouteModel | null): FileFunctions {
  const locals = topLevelBindings(program);
  const names = new Map<Node, string>();
  const functionNames = new Set<string>();
  for (const [name, node] of locals) {
    if (isFunctionNode(node)) {
      names.set(node, name);
      functionNames.add(name);
    }
  }
  const exports = new Map<Node, string[]>();
  const add = (fn: Node | null, exportName: string): void => {
    if (!fn) return;
    exports.set(fn, [...new Set([...(exports.get(fn) ?? []), exportName])]);
  };
  for (const e of exportedFunctions(program)) add(e.fn, e.exportName);
  for (const stmt of program.body) {
    // module.exports = fn / module.exports = function () {}
    if (
      stmt.type === 'ExpressionStatement' &&
      stmt.expression.type === 'AssignmentExpression' &&
      isModuleExports(stmt.expression.left)
    ) {
      const right = stmt.expression.right;
      add(
        right.type === 'Identifier' ? (locals.get(right.name) ?? null) : isFunctionNode(right) ? right : null,
        'default',
      );
    }
  }
  const routeMap = new Map<Node, RouteRef>();
  for (const h of routes?.handlers() ?? []) {
    routeMap.set(h.fn, {
      framework: h.framework,
      handlesRejection: h.framework !== 'express' || (routes?.expressCatches ?? false),
      line: h.fn.loc?.start.line ?? 0,
      column: (h.fn.loc?.start.column ?? 0) + 1,
    });
  }
  return { names, exports, functionNames, routes: routeMap };
}

/** How callers reach the function at `fnPath` (null path: module scope). */
export function functionRefOf(fnPath: NodePath | null, functions: FileFunctions): FunctionRef | null {
  if (!fnPath) return null;
  const fn = fnPath.node;
  const ref: FunctionRef = {
    name: functions.names.get(fn) ?? null,
    exports: functions.exports.get(fn) ?? [],
    line: fn.loc?.start.line ?? 0,
  };
  const route = functions.routes.get(fn);
  if (route) ref.route = route;
  return ref;
}

/** Whether a throw at `path` is caught by a try/catch of its own function (so the function's contract does not change). */
export function caughtWithinFunction(path: NodePath): boolean {
  return insideTryWithCatch(path);
}
