import type { ASTPath } from 'jscodeshift';
import type { CallFacts } from '../../src/rule-data/policy-rules';

/*
 * Calls a policy must not be put around, from what the detectors learned of them: a call inside
 * a hand-written retry (the policy's retries would multiply the loop's, and a loop that catches
 * everything defeats the breaker's fail-fast), and a call whose catch reads fields of the
 * original error (the policy hands it a taxonomy error with the original as `cause`).
 */

// recast hands out loosely typed Babel nodes
type AnyNode = any;

const RETRY_STATEMENTS =
  /^(ForStatement|WhileStatement|DoWhileStatement|FunctionDeclaration|FunctionExpression|ArrowFunctionExpression|ObjectMethod|ClassMethod|ClassPrivateMethod)$/;

/** Whether the loop (or retrying function) that starts at `line` still holds the call: an earlier fix may have replaced it. */
function stillInside(path: ASTPath, line: number): boolean {
  for (let p: ASTPath | null = path.parent; p; p = p.parent) {
    const node = p.node as AnyNode;
    // recast leaves no position on a function declaration under `export`: its export statement starts on the same line
    const start = node.loc?.start.line ?? (p.parent?.node as AnyNode)?.loc?.start.line;
    if (RETRY_STATEMENTS.test(node.type) && start === line) return true;
  }
  return false;
}

/** Why the call at `path` is left unwrapped, or null. */
export function refusalFor(path: ASTPath, facts: CallFacts | null): string | null {
  const loop = facts?.retryLoop;
  if (loop && stillInside(path, loop.line)) {
    return loop.shape === 'recursion'
      ? `its function retries by calling itself (line ${loop.line}): a policy inside would multiply the attempts; replace that retry with the policy by hand`
      : `inside the hand-written retry loop at line ${loop.line}: a policy inside it would multiply the attempts; the fix for retry-without-jitter / retry-without-max replaces the loop with the policy`;
  }
  const catcher = facts?.inspectedBy;
  if (catcher) {
    return `the catch at line ${catcher.line} reads ${catcher.what}, which the policy's error does not carry (it is a taxonomy error with the original as cause): adapt the catch, then wrap the call`;
  }
  return null;
}
