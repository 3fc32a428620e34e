import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { sleepDelay } from '../../detectors/lib/sleep-calls';

/*
 * The shape of a hand-written retry loop that a policy can replace, and the statement that
 * replaces it. A loop qualifies when its body is one `try/catch` (plus waits and counter updates
 * around it), its `try` block leaves the loop on success (`return`, or a final `break`), and its
 * catch does nothing but retry mechanics (waits, counter updates, `continue`, a bound check that
 * gives up) and things that may run once at the end instead of once per attempt (logging,
 * keeping the last error). The loop becomes `try { <block> } catch (err) { <what is kept> }`:
 * the policy retries inside the block, and when it gives up the catch runs once, as the loop's
 * catch did on its last attempt. A loop that never gave up rethrows from there; a bounded one
 * goes on after the loop as it did.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

const FUNCTION =
  /^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression|ObjectMethod|ClassMethod|ClassPrivateMethod)$/;
const LOOP = /^(ForStatement|ForOfStatement|ForInStatement|WhileStatement|DoWhileStatement)$/;

export interface LoopShape {
  loop: AnyNode;
  tryStatement: AnyNode;
  /** names only the retry mechanics used (counters, a sleep helper): their declarations go when nothing else uses them */
  mechanics: Set<string>;
  /** statements of the catch that stay (run once, when the policy gives up) */
  kept: AnyNode[];
  /** the catch rethrows or returns at the end on its own */
  exitsOnFailure: boolean;
}

/** Identifier nodes under `node`, not looking into nested functions. */
function identifiers(j: JSCodeshift, node: AnyNode): AnyNode[] {
  // `find` looks below the node only
  if (node.type === 'Identifier') return [node];
  return j(node)
    .find(j.Identifier)
    .filter((p) => {
      for (let q = p.parent; q && q.node !== node; q = q.parent) if (FUNCTION.test(q.node.type)) return false;
      return true;
    })
    .nodes();
}

/** Names the loop changes by a step: `i++`, `attempt += 1`, `left = left - 1` (its counters). */
function counters(j: JSCodeshift, loop: AnyNode): Set<string> {
  const names = new Set<string>();
  j(loop)
    .find(j.UpdateExpression)
    .forEach((p) => {
      if (p.node.argument.type === 'Identifier') names.add(p.node.argument.name);
    });
  j(loop)
    .find(j.AssignmentExpression)
    .forEach((p) => {
      const left = p.node.left as AnyNode;
      if (
        left.type === 'Identifier' &&
        (p.node.operator !== '=' || identifiers(j, p.node.right).some((n) => n.name === left.name))
      )
        names.add(left.name);
    });
  return names;
}

/** `await sleep(ms)`, `await new Promise((r) => setTimeout(r, ms))` as a statement. */
function isWait(node: AnyNode): boolean {
  const expr = node?.type === 'ExpressionStatement' ? node.expression : null;
  return expr?.type === 'AwaitExpression' && sleepDelay(expr.argument) !== null;
}

/** The helper a wait calls by name (`sleep` in `await sleep(1000)`). */
function waitHelper(node: AnyNode): string | null {
  const arg = node.expression.argument;
  return arg.type === 'CallExpression' && arg.callee.type === 'Identifier' && arg.callee.name !== 'setTimeout'
    ? arg.callee.name
    : null;
}

/** `attempt++`, `retries -= 1` as a statement, on a counter. */
function isCounterUpdate(node: AnyNode, names: Set<string>): boolean {
  const expr = node?.type === 'ExpressionStatement' ? node.expression : null;
  if (expr?.type === 'UpdateExpression') return expr.argument.type === 'Identifier' && names.has(expr.argument.name);
  return (
    expr?.type === 'AssignmentExpression' &&
    expr.left.type === 'Identifier' &&
    names.has(expr.left.name) &&
    expr.operator !== '='
  );
}

const statementsOf = (node: AnyNode): AnyNode[] => (node.type === 'BlockStatement' ? node.body : [node]);

/** Whether a statement list ends by leaving: `throw`, `return`. */
function endsInExit(list: AnyNode[]): boolean {
  const last = list[list.length - 1];
  return last?.type === 'ThrowStatement' || last?.type === 'ReturnStatement';
}

/** A `break`/`continue` aimed at the loop, not at a nested loop or switch, and not inside a nested function. */
function hasLoopJump(j: JSCodeshift, root: AnyNode, kinds: RegExp): boolean {
  return (
    j(root)
      .find(j.Node, (n: AnyNode) => kinds.test(n.type))
      .filter((p) => {
        if ((p.node as AnyNode).label) return true;
        for (let q = p.parent; q && q.node !== root; q = q.parent) {
          if (
            FUNCTION.test(q.node.type) ||
            LOOP.test(q.node.type) ||
            (q.node.type === 'SwitchStatement' && (p.node as AnyNode).type === 'BreakStatement')
          )
            return false;
        }
        return true;
      })
      .size() > 0
  );
}

/**
 * The loop's retry shape, or why it cannot be replaced. `call` is the dependency call the loop
 * retries (checked by the caller to be the only one in the try block).
 */
export function loopShape(j: JSCodeshift, loop: AnyNode): LoopShape | { reason: string } {
  const body = statementsOf(loop.body);
  const names = counters(j, loop);
  const tries = body.filter((s) => s.type === 'TryStatement');
  const others = body.filter((s) => s.type !== 'TryStatement');
  if (tries.length !== 1 || !tries[0].handler || tries[0].finalizer)
    return { reason: 'the loop body is not one try/catch' };
  if (others.some((s) => !isWait(s) && !isCounterUpdate(s, names) && !isWaitingCheck(j, s, names))) {
    return { reason: 'the loop does more than retry the try/catch (statements besides waits and counters around it)' };
  }
  const tryStatement = tries[0];
  const block: AnyNode[] = tryStatement.block.body;
  const last = block[block.length - 1];
  const successLeaves = last?.type === 'ReturnStatement' || (last?.type === 'BreakStatement' && !last.label);
  if (!successLeaves)
    return { reason: 'a successful attempt does not leave the loop (no return or break at the end of the try block)' };
  if (hasLoopJump(j, { type: 'BlockStatement', body: block.slice(0, -1) }, /^(BreakStatement|ContinueStatement)$/)) {
    return { reason: 'the try block jumps out of the loop elsewhere than at its end' };
  }

  const handler = tryStatement.handler;
  const param: string | null = handler.param?.type === 'Identifier' ? handler.param.name : null;
  if (handler.param && !param) return { reason: 'the catch destructures its error' };
  const kept: AnyNode[] = [];
  for (const stmt of handler.body.body) {
    if (
      isWait(stmt) ||
      isCounterUpdate(stmt, names) ||
      stmt.type === 'ContinueStatement' ||
      (stmt.type === 'BreakStatement' && !stmt.label)
    )
      continue;
    if (stmt.type === 'IfStatement') {
      const testNames = identifiers(j, stmt.test).map((n) => n.name);
      if (param && testNames.includes(param)) {
        return {
          reason: `the catch decides from the error which failures to retry (line ${stmt.loc?.start.line ?? '?'}); the policy retries transient failures only, which may be others`,
        };
      }
      if (testNames.some((n) => names.has(n)) && !stmt.alternate) {
        const inner = statementsOf(stmt.consequent);
        // `if (attempt < max) await sleep(...)`: a wait; `if (attempt >= max) { log; throw err; }`: the last attempt's exit
        if (inner.every((s) => isWait(s) || isCounterUpdate(s, names) || s.type === 'ContinueStatement')) continue;
        if (
          endsInExit(inner) ||
          (inner[inner.length - 1]?.type === 'BreakStatement' && !inner[inner.length - 1].label)
        ) {
          kept.push(...inner.filter((s) => !(s.type === 'BreakStatement' && !s.label)));
          continue;
        }
      }
      return {
        reason: `the catch branches on something other than its attempt count (line ${stmt.loc?.start.line ?? '?'})`,
      };
    }
    if (hasLoopJump(j, stmt, /^(BreakStatement|ContinueStatement)$/))
      return { reason: 'the catch jumps out of the loop from inside a statement' };
    kept.push(stmt);
  }
  // the counters, the loop's own test, and the waits' helpers and delays (`MAX_ATTEMPTS`, `sleep`, `DELAY_MS`)
  const mechanics = new Set(names);
  for (const part of [loop.init, loop.test, loop.update])
    if (part) for (const id of identifiers(j, part)) mechanics.add(id.name);
  j(loop)
    .find(j.ExpressionStatement)
    .forEach((p) => {
      if (!isWait(p.node)) return;
      const helper = waitHelper(p.node);
      if (helper) mechanics.add(helper);
      const delay = sleepDelay((p.node.expression as AnyNode).argument);
      if (delay) for (const id of identifiers(j, delay)) mechanics.add(id.name);
    });
  return { loop, tryStatement, mechanics, kept, exitsOnFailure: endsInExit(kept) };
}

/** `if (attempt < max) await sleep(...)` outside the try: a wait too. */
function isWaitingCheck(j: JSCodeshift, node: AnyNode, names: Set<string>): boolean {
  if (node?.type !== 'IfStatement' || node.alternate) return false;
  const testNames = identifiers(j, node.test).map((n) => n.name);
  return (
    testNames.some((n) => names.has(n)) &&
    statementsOf(node.consequent).every((s) => isWait(s) || isCounterUpdate(s, names))
  );
}

/** Names a statement list declares at its own level. */
function declaredNames(list: AnyNode[]): Set<string> {
  const names = new Set<string>();
  const add = (id: AnyNode): void => {
    if (!id) return;
    if (id.type === 'Identifier') names.add(id.name);
    else if (id.type === 'ObjectPattern') for (const p of id.properties) add(p.value ?? p.argument);
    else if (id.type === 'ArrayPattern') for (const e of id.elements) add(e);
    else if (id.type === 'AssignmentPattern') add(id.left);
    else if (id.type === 'RestElement') add(id.argument);
  };
  for (const s of list) {
    if (s.type === 'VariableDeclaration') for (const d of s.declarations) add(d.id);
    if ((s.type === 'FunctionDeclaration' || s.type === 'ClassDeclaration') && s.id) add(s.id);
  }
  return names;
}

/** The statement list holding the loop and the loop's index in it. */
function siblingsOf(path: ASTPath): { siblings: AnyNode[]; index: number } {
  const holder = path.parent?.node as AnyNode;
  const siblings: AnyNode[] = Array.isArray(holder?.body) ? holder.body : (holder?.consequent ?? []);
  return { siblings, index: siblings.indexOf(path.node) };
}

/** Why the loop's end cannot be kept without the loop (checked before anything changes), or null. */
export function endProblem(path: ASTPath, shape: LoopShape, bounded: boolean): string | null {
  const { siblings, index } = siblingsOf(path);
  if (index < 0) return 'the loop is not a statement of a block';
  if (path.parent?.node.type === 'LabeledStatement') return 'the loop has a label';
  if (shape.exitsOnFailure || !bounded || shape.kept.length > 0) return null;
  const next = siblings[index + 1];
  return next?.type === 'ThrowStatement' || next?.type === 'ReturnStatement'
    ? null
    : 'when every attempt fails the loop ends without a result or an error; say what happens then (a throw after the loop), then fix it';
}

/**
 * Puts in the loop's place, once the call in its try block is wrapped: the try statement with
 * the kept catch, which rethrows when the loop never gave up on its own; or the try block's
 * statements alone when the catch would only rethrow.
 */
export function replaceLoop(j: JSCodeshift, path: ASTPath, shape: LoopShape, bounded: boolean): void {
  const { tryStatement, kept } = shape;
  const block: AnyNode[] = tryStatement.block.body;
  const last = block[block.length - 1];
  // a final `break` left the loop on success: without the loop, the block simply ends
  if (last?.type === 'BreakStatement') block.pop();
  const handler = tryStatement.handler;
  const { siblings, index } = siblingsOf(path);

  let catchBody = kept;
  if (!shape.exitsOnFailure) {
    if (bounded && kept.length === 0) {
      // every attempt failed: the loop went on to the statement after it (checked by endProblem), which now ends the catch
      const next = siblings[index + 1];
      siblings.splice(index + 1, 1);
      catchBody = [next];
    } else if (!bounded) {
      // the loop never gave up: now the policy does, and the failure goes on to the caller
      if (!handler.param) handler.param = j.identifier('err');
      catchBody = [...kept, j.throwStatement(j.identifier(handler.param.name))];
    }
  }
  const onlyRethrows =
    catchBody.length === 1 &&
    catchBody[0].type === 'ThrowStatement' &&
    catchBody[0].argument?.type === 'Identifier' &&
    catchBody[0].argument.name === handler.param?.name;
  const leading = (shape.loop.comments ?? []).filter((c: AnyNode) => c.leading);
  if (onlyRethrows) {
    const outside = declaredNames(siblings.filter((s) => s !== path.node));
    if (![...declaredNames(block)].some((n) => outside.has(n))) {
      if (leading.length && block[0]) block[0].comments = [...leading, ...(block[0].comments ?? [])];
      siblings.splice(index, 1, ...block);
      return;
    }
  }
  handler.body.body = catchBody;
  tryStatement.comments = [...leading, ...(tryStatement.comments ?? []).filter((c: AnyNode) => !c.leading)];
  siblings.splice(index, 1, tryStatement);
}

/** The statement lists a declaration of `name` could sit in: the blocks around `path` and the program. */
function enclosingLists(path: ASTPath): AnyNode[][] {
  const lists: AnyNode[][] = [];
  for (let p: ASTPath | null = path.parent; p; p = p.parent) {
    const node = p.node as AnyNode;
    if (node.type === 'BlockStatement' || node.type === 'Program') lists.push(node.body);
  }
  return lists;
}

/**
 * Removes what only the loop's retry mechanics used, once the loop is gone: a counter
 * (`let attempt = 0`) and a private sleep helper, when nothing else in the file refers to them
 * (a project built with noUnusedLocals would not compile otherwise). Exported names stay.
 */
export function removeUnusedMechanics(j: JSCodeshift, root: Collection, path: ASTPath, mechanics: Set<string>): void {
  const lists = enclosingLists(path);
  for (const name of mechanics) {
    const uses = root
      .find(j.Identifier, { name })
      .filter((p) => {
        const parent = p.parent?.node as AnyNode;
        if (parent?.type === 'VariableDeclarator' && parent.id === p.node) return false;
        if (parent?.type === 'FunctionDeclaration' && parent.id === p.node) return false;
        if (parent?.type === 'ImportSpecifier' || parent?.type === 'ImportDefaultSpecifier') return false;
        if (
          (parent?.type === 'MemberExpression' || parent?.type === 'OptionalMemberExpression') &&
          parent.property === p.node &&
          !parent.computed
        )
          return false;
        if (
          (parent?.type === 'ObjectProperty' || parent?.type === 'Property') &&
          parent.key === p.node &&
          !parent.computed &&
          !parent.shorthand
        )
          return false;
        return true;
      })
      .size();
    if (uses > 0) continue;
    // an imported helper: its specifier goes, and the import when it was the only one
    root.find(j.ImportDeclaration).forEach((p) => {
      const specifiers = (p.node.specifiers ?? []) as AnyNode[];
      const kept = specifiers.filter((sp) => sp.local?.name !== name);
      if (kept.length === specifiers.length) return;
      if (kept.length === 0) j(p).remove();
      else p.node.specifiers = kept;
    });
    for (const list of lists) {
      const index = list.findIndex(
        (s: AnyNode) =>
          (s.type === 'VariableDeclaration' &&
            s.declarations.length === 1 &&
            s.declarations[0].id.type === 'Identifier' &&
            s.declarations[0].id.name === name) ||
          (s.type === 'FunctionDeclaration' && s.id?.name === name),
      );
      if (index < 0) continue;
      const removed = list[index];
      const leading = (removed.comments ?? []).filter((c: AnyNode) => c.leading);
      // a comment above it stays, on the statement that follows
      if (leading.length && list[index + 1])
        list[index + 1].comments = [...leading, ...(list[index + 1].comments ?? [])];
      list.splice(index, 1);
      break;
    }
  }
}
