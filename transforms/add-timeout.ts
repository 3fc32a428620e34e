/**
 * add-timeout (catalog rule `no-timeout`): gives outbound calls an explicit deadline. axios
 * and got get `timeout`, ky loses `timeout: false`, fetch and node:http(s) get
 * `signal: AbortSignal.timeout(ms)`, AWS SDK v3 clients get requestHandler timeouts. Only calls
 * whose module binding is visible in the file are touched (fetch: only the global one).
 */
import type { ASTPath } from 'jscodeshift';
import { lineOf, calleeParts, type FixOutcome } from './lib/call-arguments';
import { isUnboundGlobal, localsOf, moduleBindings, refersToTopLevel } from './lib/module-bindings';
import { fixAwsClient, isAwsClientExport } from './lib/timeout-aws-sdk';
import { fixFetchCall, fixNodeRequest } from './lib/timeout-fetch-http';
import { factorySetsTimeout, fixClientCall, isInstanceFactory, type HttpLibrary } from './lib/timeout-http-clients';
import { isSelected, toJscodeshiftTransform, type FixContext, type FixStep } from './lib/transform-api';

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

const HTTP_LIBRARIES: HttpLibrary[] = ['axios', 'got', 'ky'];
const NODE_HTTP = new Set(['http', 'https', 'node:http', 'node:https']);
const isModuleObject = (imported: string): boolean => imported === 'default' || imported === '*';

/** An instance made in the file: `const api = axios.create({...})`. */
interface Instance {
  lib: HttpLibrary;
  name: string;
  factory: AnyNode;
  scope: unknown;
}

function scopeOf(path: ASTPath): unknown {
  return (path as unknown as { scope: { lookup(n: string): unknown } | null }).scope;
}

export const fix: FixStep = (ctx: FixContext) => {
  const { j, root, config } = ctx;
  const bindings = moduleBindings(j, root);
  const libraryOf = new Map<string, HttpLibrary>();
  for (const lib of HTTP_LIBRARIES) for (const local of localsOf(bindings, (s) => s === lib, isModuleObject)) libraryOf.set(local, lib);
  const httpModules = localsOf(bindings, (s) => NODE_HTTP.has(s), isModuleObject);
  const httpFunctions = localsOf(bindings, (s) => NODE_HTTP.has(s), (n) => n === 'request' || n === 'get');
  const isAwsSource = (s: string): boolean => s.startsWith('@aws-sdk/client-');
  const awsClasses = localsOf(bindings, isAwsSource, isAwsClientExport);
  const awsNamespaces = localsOf(bindings, isAwsSource, (n) => n === '*');

  let changed = false;
  const record = (node: AnyNode, outcome: FixOutcome | null): void => {
    if (outcome?.kind === 'changed') changed = true;
    else if (outcome?.kind === 'skip') ctx.skip(lineOf(node), outcome.reason);
  };

  // `axios.defaults.timeout = ...` covers every call through that object
  const defaultsSet = new Set<string>();
  root.find(j.AssignmentExpression, { left: { type: 'MemberExpression', property: { name: 'timeout' }, object: { type: 'MemberExpression', property: { name: 'defaults' } } } })
    .forEach((p) => {
      const target = (p.node.left as AnyNode).object.object;
      if (target.type === 'Identifier') defaultsSet.add(target.name);
    });

  const calls: ASTPath[] = [...root.find(j.CallExpression).paths(), ...root.find(j.OptionalCallExpression).paths()];
  const libraryCall = (path: ASTPath): { lib: HttpLibrary; method: string | null } | null => {
    const parts = calleeParts(path.node);
    const lib = parts && libraryOf.get(parts.object);
    return parts && lib && refersToTopLevel(path, parts.object) ? { lib, method: parts.method } : null;
  };

  // instances first: a call through a fixed instance needs nothing of its own
  const instances: Instance[] = [];
  root.find(j.VariableDeclarator, { id: { type: 'Identifier' } }).forEach((p) => {
    const init = p.node.init as AnyNode;
    if (init?.type !== 'CallExpression') return;
    const call = libraryCall(p.get('init') as ASTPath);
    if (call && isInstanceFactory(call.lib, call.method)) instances.push({ lib: call.lib, name: (p.node.id as AnyNode).name, factory: init, scope: scopeOf(p) });
  });
  const instanceAt = (path: ASTPath): Instance | undefined => {
    const parts = calleeParts(path.node);
    const scope = scopeOf(path) as { lookup(n: string): unknown } | null;
    return parts ? instances.find((i) => i.name === parts.object && scope?.lookup(parts.object) === i.scope) : undefined;
  };
  const wantedFactories = new Set<AnyNode>();
  for (const path of calls) {
    const instance = instanceAt(path);
    if (instance && isSelected(ctx, path.node)) wantedFactories.add(instance.factory);
  }

  const ms = config.timeouts.httpMs;
  for (const path of calls) {
    const node = path.node as AnyNode;
    const call = libraryCall(path);
    if (call) {
      if (!isSelected(ctx, node) && !wantedFactories.has(node)) continue;
      if (call.method !== null && defaultsSet.has(libraryOf.has(call.method) ? '' : (node.callee.object.name as string)) && !isInstanceFactory(call.lib, call.method)) continue;
      record(node, fixClientCall(j, call.lib, node, call.method, ms));
      continue;
    }
    if (!isSelected(ctx, node)) continue;
    const parts = calleeParts(node);
    if (!parts) continue;
    const instance = instanceAt(path);
    if (instance) {
      if (instance.lib === 'ky' || factorySetsTimeout(instance.lib, instance.factory) || defaultsSet.has(instance.name)) {
        if (instance.lib === 'ky') record(node, fixClientCall(j, 'ky', node, parts.method, ms));
        continue;
      }
      record(node, fixClientCall(j, instance.lib, node, parts.method, ms));
    } else if (parts.object === 'fetch' && parts.method === null && isUnboundGlobal(path, 'fetch')) {
      record(node, fixFetchCall(j, root, node, ms));
    } else if (httpModules.has(parts.object) && (parts.method === 'request' || parts.method === 'get') && refersToTopLevel(path, parts.object)) {
      record(node, fixNodeRequest(j, root, node, ms));
    } else if (httpFunctions.has(parts.object) && parts.method === null && refersToTopLevel(path, parts.object)) {
      record(node, fixNodeRequest(j, root, node, ms));
    }
  }

  const aws = { requestMs: config.timeouts.awsRequestMs, connectionMs: config.timeouts.awsConnectionMs };
  root.find(j.NewExpression).forEach((path) => {
    const callee = path.node.callee as AnyNode;
    const isClient = (callee.type === 'Identifier' && awsClasses.has(callee.name) && refersToTopLevel(path, callee.name)) ||
      (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && awsNamespaces.has(callee.object.name) &&
        callee.property.type === 'Identifier' && /Client$/.test(callee.property.name) && refersToTopLevel(path, callee.object.name));
    if (isClient && isSelected(ctx, path.node)) record(path.node, fixAwsClient(j, path.node, aws));
  });
  return changed;
};

export default toJscodeshiftTransform(fix);
