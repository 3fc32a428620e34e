import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { parseExpression } from './code-splice';
import type { PolicyCallSite } from './policy-call-sites';

/*
 * AWS SDK v3 clients retry by themselves (3 attempts by default). Inside a policy's retry the
 * attempts would multiply, so exactly one of the two retries: the policy, when the client is made
 * in this file, not exported, and every call through it is wrapped here (the client then gets
 * `maxAttempts: 1`); otherwise the client keeps its retries, which its other callers rely on,
 * and the policy adds breaker and timeout only (`{ retry: false }`).
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

export interface AwsAttemptPlan {
  /** Whether the policy does the retrying for this send (its client then gives up its own). */
  retriesHere(site: PolicyCallSite): boolean;
  /** A send was wrapped: its `policyFor(...)` call. */
  wrapped(site: PolicyCallSite, policyCall: AnyNode): void;
  /** A send was left unwrapped: its client must keep its own retries. */
  left(site: PolicyCallSite): void;
  /** The client constructions to give `maxAttempts: 1`; a client that must keep its retries turns its wrapped sends to `{ retry: false }`. */
  finish(j: JSCodeshift): AnyNode[];
}

/** The variable names a client is known by in the file: its own, and those of clients made from it (`DynamoDBDocumentClient.from(ddb)`). */
function namesOf(j: JSCodeshift, root: Collection, client: AnyNode): Set<string> {
  const names = new Set<string>();
  root.find(j.VariableDeclarator).forEach((p) => {
    const init = p.node.init as AnyNode;
    if (init === client && p.node.id.type === 'Identifier') names.add(p.node.id.name);
  });
  root.find(j.VariableDeclarator).forEach((p) => {
    const id = p.node.id as AnyNode;
    if (id.type !== 'Identifier' || names.has(id.name) || !p.node.init) return;
    if (
      j(p.node.init)
        .find(j.Identifier)
        .some((q) => names.has(q.node.name))
    )
      names.add(id.name);
  });
  return names;
}

/** Whether one of `names` leaves the file: `export const`, `export { }`, `export default`, `module.exports`/`exports.x`. */
function isExported(j: JSCodeshift, root: Collection, names: Set<string>): boolean {
  const named = (node: AnyNode): boolean => node?.type === 'Identifier' && names.has(node.name);
  const exported = root.find(j.ExportNamedDeclaration).some((p) => {
    const node = p.node as AnyNode;
    if (
      node.declaration?.type === 'VariableDeclaration' &&
      node.declaration.declarations.some((d: AnyNode) => named(d.id))
    )
      return true;
    return (node.specifiers ?? []).some((s: AnyNode) => named(s.local));
  });
  if (exported || root.find(j.ExportDefaultDeclaration).some((p) => named((p.node as AnyNode).declaration)))
    return true;
  return root.find(j.AssignmentExpression).some((p) => {
    const left = p.node.left as AnyNode;
    const target =
      left.type === 'MemberExpression'
        ? left.object.type === 'MemberExpression'
          ? left.object.object
          : left.object
        : null;
    if (target?.type !== 'Identifier' || (target.name !== 'module' && target.name !== 'exports')) return false;
    const right = p.node.right as AnyNode;
    return (
      named(right) || (right.type === 'ObjectExpression' && right.properties.some((prop: AnyNode) => named(prop.value)))
    );
  });
}

export function awsAttemptPlan(
  j: JSCodeshift,
  root: Collection,
  all: ReadonlyArray<{ path: ASTPath; site: PolicyCallSite }>,
  selected: ReadonlyArray<{ path: ASTPath; site: PolicyCallSite }>,
): AwsAttemptPlan {
  const chosen = new Set(selected.map((s) => s.site));
  const verdicts = new Map<AnyNode, boolean>();
  const ownsRetries = (client: AnyNode): boolean => {
    if (!verdicts.has(client)) {
      const sends = all.filter((s) => s.site.awsClient === client);
      verdicts.set(client, sends.every((s) => chosen.has(s.site)) && !isExported(j, root, namesOf(j, root, client)));
    }
    return verdicts.get(client)!;
  };
  const wrappedCalls = new Map<AnyNode, AnyNode[]>();
  const keepsRetries = new Set<AnyNode>();
  return {
    retriesHere: (site) => site.awsClient !== null && ownsRetries(site.awsClient),
    wrapped(site, policyCall) {
      if (site.client !== 'aws-sdk' || !site.awsClient) return;
      wrappedCalls.set(site.awsClient, [...(wrappedCalls.get(site.awsClient) ?? []), policyCall]);
    },
    left(site) {
      if (site.client === 'aws-sdk' && site.awsClient) keepsRetries.add(site.awsClient);
    },
    finish(jj) {
      const limited: AnyNode[] = [];
      for (const [client, calls] of wrappedCalls) {
        if (!ownsRetries(client)) continue;
        if (!keepsRetries.has(client)) {
          limited.push(client);
          continue;
        }
        // one of its sends stayed unwrapped: the client keeps its retries, so the policy must not retry
        for (const call of calls)
          if (call.arguments.length === 1) call.arguments.push(parseExpression(jj, '{ retry: false }'));
      }
      return limited;
    },
  };
}
