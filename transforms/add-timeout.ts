import { lookupScope } from './lib/scope-lookup';
/**
 * add-timeout (catalog rule `no-timeout`): gives outbound calls an explicit deadline. axios
 * and got get `timeout`, ky loses `timeout: false`, fetch and node:http(s) get
 * `signal: AbortSignal.timeout(ms)`, AWS SDK v3 clients get requestHandler timeouts, and the
 * clients of the client table (config/clients.yaml: AWS SDK v2 `httpOptions`, Stripe `timeout`...)
 * get the options their row names. Only calls
 * whose module binding is visible in the file are touched (fetch: only the global one).
 */
import type { ASTPath } from 'jscodeshift';
import { lineOf, calleeParts, skipped, type FixOutcome } from './lib/call-arguments';
import { isUnboundGlobal, localsOf, moduleBindings, refersToTopLevel } from './lib/module-bindings';
import { fixAwsClient, isAwsClientExport, type HandlerForm } from './lib/timeout-aws-sdk';
import { handlerShorthandSupport } from './lib/aws-sdk-versions';
import { ensureNamedImports } from './lib/imports';
import type { ImportBinding } from '../src/parse/imports';
import { fixFetchCall, fixNodeRequest } from './lib/timeout-fetch-http';
import { factorySetsTimeout, fixClientCall, isInstanceFactory, type HttpLibrary } from './lib/timeout-http-clients';
import { isSelected, toJscodeshiftTransform } from './lib/transform-api';
import type { FixContext, FixStep } from '../src/api/fix-context';
import type { FixStepMeta } from '../src/api/step-metadata';
import { clientTimeoutMs } from './lib/client-timeouts';
import { fixTableClient, tableClientAt, tableRequestAt } from './lib/timeout-table-clients';
import { clientById } from '../detectors/lib/client-table';
import type { TimeoutData } from '../src/rule-data/timeout-rule';

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

/** The local name of NodeHttpHandler: an existing import of it, else one from @smithy/node-http-handler, added to the package's dependencies. */
function useNodeHttpHandler(ctx: FixContext, bindings: ImportBinding[]): string {
  const existing = bindings.find(
    (b) => b.imported === 'NodeHttpHandler' && /^@(smithy|aws-sdk)\/node-http-handler$/.test(b.source),
  );
  if (existing) return existing.local;
  ctx.addDependency('@smithy/node-http-handler', '^4.4.0');
  return ensureNamedImports(ctx.j, ctx.root, ctx.file, '@smithy/node-http-handler', ['NodeHttpHandler'])
    .NodeHttpHandler!;
}

export const step: FixStepMeta = {
  name: 'add-timeout',
  phase: '4.3',
  fixes: ['no-timeout'],
  requires: [],
  // after wrapping: add-timeout edits the call in place, wrap-in-policy needs its original position
  runsAfter: ['wrap-in-policy'],
};

export const fix: FixStep = (ctx: FixContext) => {
  const { j, root, config } = ctx;
  const bindings = moduleBindings(root);
  const libraryOf = new Map<string, HttpLibrary>();
  for (const lib of HTTP_LIBRARIES)
    for (const local of localsOf(bindings, (s) => s === lib, isModuleObject)) libraryOf.set(local, lib);
  const httpModules = localsOf(bindings, (s) => NODE_HTTP.has(s), isModuleObject);
  const httpFunctions = localsOf(
    bindings,
    (s) => NODE_HTTP.has(s),
    (n) => n === 'request' || n === 'get',
  );
  // the plain-object requestHandler only where the package's declared and installed SDK take it
  let nodeHttpHandler: string | null = null;
  const handlerForm = (clientPackage: string): HandlerForm => {
    const support = handlerShorthandSupport(ctx.file, clientPackage);
    if (support === 'yes') return { shorthand: true };
    // a new handler is written the way every release takes; a user's own shorthand is changed only when it surely fails
    return {
      shorthand: false,
      convert: support === 'no',
      nodeHttpHandler: () => (nodeHttpHandler ??= useNodeHttpHandler(ctx, bindings)),
    };
  };
  const isAwsSource = (s: string): boolean => s.startsWith('@aws-sdk/client-');
  const awsClasses = localsOf(bindings, isAwsSource, isAwsClientExport);
  const awsNamespaces = localsOf(bindings, isAwsSource, (n) => n === '*');
  /** The @aws-sdk/client-* package of a `new XClient()` / `new ns.XClient()` bound at the top level, or null. */
  const awsClientPackage = (path: ASTPath): string | null => {
    const callee = (path.node as AnyNode).callee;
    const local =
      callee.type === 'Identifier' && awsClasses.has(callee.name)
        ? callee.name
        : callee.type === 'MemberExpression' &&
            callee.object.type === 'Identifier' &&
            awsNamespaces.has(callee.object.name) &&
            callee.property.type === 'Identifier' &&
            /Client$/.test(callee.property.name)
          ? callee.object.name
          : null;
    if (!local || !refersToTopLevel(path, local)) return null;
    return bindings.find((b) => b.local === local)?.source ?? null;
  };
  /** What no-timeout found of the client made at a node (the detector classified it; the fix does not again). */
  const timeoutAt = (node: AnyNode): TimeoutData | null => {
    const start = node.loc?.start;
    return start ? ctx.facts.timeoutAt(start.line, start.column + 1) : null;
  };

  let changed = false;
  const record = (node: AnyNode, outcome: FixOutcome | null): void => {
    if (outcome?.kind === 'changed') changed = true;
    else if (outcome?.kind === 'skip') ctx.skip(lineOf(node), outcome.reason);
  };

  // `axios.defaults.timeout = ...` covers every call through that object
  const defaultsSet = new Set<string>();
  root
    .find(j.AssignmentExpression, {
      left: {
        type: 'MemberExpression',
        property: { name: 'timeout' },
        object: { type: 'MemberExpression', property: { name: 'defaults' } },
      },
    })
    .forEach((p) => {
      const target = (p.node.left as AnyNode).object.object;
      if (target.type === 'Identifier') defaultsSet.add(target.name);
    });

  const calls: ASTPath[] = [...root.find(j.CallExpression).paths(), ...root.find(j.OptionalCallExpression).paths()];
  const libraryCall = (path: ASTPath): { lib: HttpLibrary; object: string; method: string | null } | null => {
    const parts = calleeParts(path.node);
    const lib = parts && libraryOf.get(parts.object);
    return parts && lib && refersToTopLevel(path, parts.object) ? { lib, ...parts } : null;
  };

  // instances first: a call through a fixed instance needs nothing of its own
  const instances: Instance[] = [];
  root.find(j.VariableDeclarator, { id: { type: 'Identifier' } }).forEach((p) => {
    const init = p.node.init as AnyNode;
    if (init?.type !== 'CallExpression') return;
    const call = libraryCall(p.get('init') as ASTPath);
    if (call && isInstanceFactory(call.lib, call.method))
      instances.push({
        lib: call.lib,
        name: (p.node.id as AnyNode).name,
        factory: init,
        scope: lookupScope(p, (p.node.id as AnyNode).name),
      });
  });
  const instanceAt = (path: ASTPath): Instance | undefined => {
    const parts = calleeParts(path.node);
    return parts
      ? instances.find((i) => i.name === parts.object && lookupScope(path, parts.object) === i.scope)
      : undefined;
  };
  const wantedFactories = new Set<AnyNode>();
  for (const path of calls) {
    const instance = instanceAt(path);
    if (instance && isSelected(ctx, path.node as AnyNode)) wantedFactories.add(instance.factory);
  }

  // just above the policy's attempt timeout, so that for a wrapped call the policy's timeout decides
  const ms = clientTimeoutMs(config);
  const aws = { requestMs: config.timeouts.awsRequestMs, connectionMs: config.timeouts.awsConnectionMs };
  // innermost and last first: a fix may re-parse a call's text, which replaces the nodes inside it
  const targets = [...calls, ...root.find(j.NewExpression).paths()].sort((a, b) => {
    const x = a.node as AnyNode;
    const y = b.node as AnyNode;
    return (y.start ?? 0) - (x.start ?? 0) || (x.end ?? 0) - (y.end ?? 0);
  });
  // factories first, so that calls through their instances see the timeout
  const handled = new Set<AnyNode>();
  for (const instance of instances) {
    if (!isSelected(ctx, instance.factory) && !wantedFactories.has(instance.factory)) continue;
    handled.add(instance.factory);
    const method = calleeParts(instance.factory)?.method ?? null;
    record(instance.factory, fixClientCall(j, instance.lib, instance.factory, method, ms));
  }
  for (const path of targets) {
    const node = path.node as AnyNode;
    if (handled.has(node)) continue;
    const found = isSelected(ctx, node) ? timeoutAt(node) : null;
    const spec = found?.table ? clientById(found.table.id) : undefined;
    // the finding's row first; a client no-timeout left unreported (options out of sight) is still recognised here, to say why it is left
    const table =
      found?.table && spec
        ? { spec, slot: found.table.options }
        : isSelected(ctx, node)
          ? tableClientAt(path, bindings)
          : null;
    if (table) {
      record(node, fixTableClient(j, node, table, config));
      continue;
    }
    const requestModule =
      node.type === 'CallExpression' && isSelected(ctx, node) ? tableRequestAt(path, bindings) : null;
    if (requestModule) {
      record(node, skipped(requestModule.notFixable ?? `${requestModule.name}: no rewrite is known for its calls`));
      continue;
    }
    if (node.type === 'NewExpression') {
      // SDK v3 clients are still recognised here: no-timeout accepts a requestHandler with some of the
      // timeouts, which this fix completes (requestTimeout without throwOnRequestTimeout only warns)
      const awsPackage = found?.client === 'aws-sdk' ? found.module : awsClientPackage(path);
      if (awsPackage && isSelected(ctx, node)) record(node, fixAwsClient(j, node, aws, handlerForm(awsPackage)));
      continue;
    }
    const call = libraryCall(path);
    if (call) {
      if (!isSelected(ctx, node) && !wantedFactories.has(node)) continue;
      if (defaultsSet.has(call.object) && !isInstanceFactory(call.lib, call.method)) continue;
      record(node, fixClientCall(j, call.lib, node, call.method, ms));
      continue;
    }
    if (!isSelected(ctx, node)) continue;
    const parts = calleeParts(node);
    if (!parts) continue;
    const instance = instanceAt(path);
    if (instance) {
      if (
        instance.lib === 'ky' ||
        factorySetsTimeout(instance.lib, instance.factory) ||
        defaultsSet.has(instance.name)
      ) {
        if (instance.lib === 'ky') record(node, fixClientCall(j, 'ky', node, parts.method, ms));
        continue;
      }
      record(node, fixClientCall(j, instance.lib, node, parts.method, ms));
    } else if (parts.object === 'fetch' && parts.method === null && isUnboundGlobal(path, 'fetch')) {
      record(node, fixFetchCall(j, root, node, ms));
    } else if (
      httpModules.has(parts.object) &&
      (parts.method === 'request' || parts.method === 'get') &&
      refersToTopLevel(path, parts.object)
    ) {
      record(node, fixNodeRequest(j, root, node, ms));
    } else if (httpFunctions.has(parts.object) && parts.method === null && refersToTopLevel(path, parts.object)) {
      record(node, fixNodeRequest(j, root, node, ms));
    }
  }

  return changed;
};

export default toJscodeshiftTransform(fix);
