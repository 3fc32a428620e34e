import { lookupScope } from './scope-lookup';
import type { ASTPath } from 'jscodeshift';
import type { ImportBinding } from '../../src/parse/imports';
import { awsServiceName, nameFromIdentifier, urlInfoOf } from '../../detectors/lib/dependency-category';
import { isUrlLike } from './call-arguments';
import { isUnboundGlobal, refersToTopLevel } from './module-bindings';
import { findProperty, isObjectLiteral } from './object-literals';
import { unwrap } from '../../detectors/lib/unwrap';

/*
 * Recognises the outbound calls wrap-in-policy can put behind a policy: axios and got (module
 * and instances), fetch, and AWS SDK v3 `client.send(command)`. The request options slot is
 * where the abort signal goes.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

export type PolicyClient = 'axios' | 'fetch' | 'got' | 'aws-sdk';

export interface PolicyCallSite {
  client: PolicyClient;
  /** index of the per-call options argument, or why it cannot be told */
  optionsIndex: number | { reason: string };
  /** dependency name from the callee: instance name, URL host, AWS service, else the library */
  name: string;
  /** AWS: the client construction (`new XClient(...)`) when it is visible in this file */
  awsClient: AnyNode | null;
  /** AWS: the command class sent, when visible */
  awsCommand: string | null;
}

const AXIOS_URL_CONFIG = new Set(['get', 'delete', 'head', 'options']);
const AXIOS_URL_DATA_CONFIG = new Set(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']);
// `stream` and `paginate` return streams and iterators, which outlive an execute() call
const GOT_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
const FETCH_MODULES = new Set(['node-fetch', 'cross-fetch', 'undici']);

/** The initialiser of the variable `name` visible at `path` (`const x = <init>`), unwrapped. */
export function initOf(path: ASTPath, name: string): AnyNode | null {
  const declaring = lookupScope(path, name);
  const ids = declaring?.getBindings()[name] ?? [];
  for (const id of ids) {
    const declarator = id.parent?.node;
    if (declarator?.type === 'VariableDeclarator' && declarator.id === id.node && declarator.init)
      return unwrap(declarator.init);
  }
  return null;
}

function bindingOf(bindings: ImportBinding[], local: string): ImportBinding | undefined {
  return bindings.find((b) => b.local === local);
}

const isWhole = (b: ImportBinding | undefined, source: string): boolean =>
  !!b && b.source === source && (b.imported === 'default' || b.imported === '*');

/** `axios.create(...)` / `got.extend(...)`: the library an instance comes from. */
function instanceLibrary(init: AnyNode, bindings: ImportBinding[]): 'axios' | 'got' | null {
  if (
    init?.type !== 'CallExpression' ||
    init.callee.type !== 'MemberExpression' ||
    init.callee.object.type !== 'Identifier'
  )
    return null;
  const b = bindingOf(bindings, init.callee.object.name);
  const method = init.callee.property.name;
  if (isWhole(b, 'axios') && method === 'create') return 'axios';
  if (b && b.source === 'got' && (b.imported === 'default' || b.imported === 'got') && method === 'extend')
    return 'got';
  return null;
}

/** `new XClient(...)` from an @aws-sdk/client-* package, following `XDocumentClient.from(base)`. */
function awsClientConstruction(
  init: AnyNode,
  bindings: ImportBinding[],
  path: ASTPath,
  depth = 0,
): { node: AnyNode; className: string } | null {
  if (!init || depth > 3) return null;
  if (init.type === 'NewExpression' && init.callee.type === 'Identifier') {
    const b = bindingOf(bindings, init.callee.name);
    if (b && /^@aws-sdk\/client-/.test(b.source) && /Client$/.test(b.imported))
      return { node: init, className: b.imported };
    return null;
  }
  if (
    init.type === 'CallExpression' &&
    init.callee.type === 'MemberExpression' &&
    init.callee.property.name === 'from' &&
    init.callee.object.type === 'Identifier' &&
    /^@aws-sdk\/lib-/.test(bindingOf(bindings, init.callee.object.name)?.source ?? '')
  ) {
    const base = unwrap(init.arguments[0]);
    if (base?.type === 'Identifier') return awsClientConstruction(initOf(path, base.name), bindings, path, depth + 1);
    return awsClientConstruction(base, bindings, path, depth + 1);
  }
  return null;
}

/** The `XCommand` class of a `.send()` argument written inline or held in a local constant. */
function commandOf(
  arg: AnyNode,
  bindings: ImportBinding[],
  path: ASTPath,
): { className: string; source: string } | null {
  let node = unwrap(arg);
  if (node?.type === 'Identifier') node = initOf(path, node.name);
  if (node?.type !== 'NewExpression' || node.callee.type !== 'Identifier') return null;
  const b = bindingOf(bindings, node.callee.name);
  return b && /^@aws-sdk\//.test(b.source) && /Command$/.test(b.imported)
    ? { className: b.imported, source: b.source }
    : null;
}

function hostOf(node: AnyNode): string | null {
  return urlInfoOf(node, () => null).host;
}

function axiosOptionsIndex(method: string | null, args: AnyNode[]): number | { reason: string } | null {
  if (method === null) {
    if (isObjectLiteral(args[0])) return 0;
    return isUrlLike(args[0]) ? 1 : { reason: 'cannot tell whether the first argument is a URL or a config' };
  }
  if (method === 'request') return 0;
  if (AXIOS_URL_CONFIG.has(method)) return 1;
  if (AXIOS_URL_DATA_CONFIG.has(method)) return 2;
  return null;
}

function gotOptionsIndex(method: string | null, args: AnyNode[]): number | null {
  if (method !== null && !GOT_METHODS.has(method)) return null;
  return isObjectLiteral(args[0]) ? 0 : 1;
}

/** The call at `path` as a dependency call that can go behind a policy, else null. */
export function policyCallSite(path: ASTPath, bindings: ImportBinding[]): PolicyCallSite | null {
  const call: AnyNode = path.node;
  const args: AnyNode[] = call.arguments;
  const callee = unwrap(call.callee);
  let object: AnyNode = null;
  let method: string | null = null;
  if (callee?.type === 'Identifier') object = callee;
  else if (
    (callee?.type === 'MemberExpression' || callee?.type === 'OptionalMemberExpression') &&
    !callee.computed &&
    callee.property.type === 'Identifier'
  ) {
    object = unwrap(callee.object);
    method = callee.property.name;
  }
  if (object?.type !== 'Identifier') return null;
  const base = { awsClient: null, awsCommand: null };
  const b = bindingOf(bindings, object.name);

  if (b && !refersToTopLevel(path, object.name)) return null;
  const fetchFunction =
    object.name === 'fetch'
      ? !b && isUnboundGlobal(path, 'fetch')
      : // `require('node-fetch')` is the function itself (imported '*')
        !!b &&
        FETCH_MODULES.has(b.source) &&
        (b.imported === 'fetch' || (b.source !== 'undici' && (b.imported === 'default' || b.imported === '*')));
  if (method === null && fetchFunction) {
    return { ...base, client: 'fetch', optionsIndex: 1, name: hostOf(args[0]) ?? 'fetch' };
  }
  if (method === 'fetch' && object.name === 'globalThis' && !b)
    return { ...base, client: 'fetch', optionsIndex: 1, name: hostOf(args[0]) ?? 'fetch' };

  if (isWhole(b, 'axios')) {
    const index = axiosOptionsIndex(method, args);
    const url = isObjectLiteral(args[0]) ? findProperty(args[0], 'url')?.value : args[0];
    return index === null ? null : { ...base, client: 'axios', optionsIndex: index, name: hostOf(url) ?? 'axios' };
  }
  if (b && b.source === 'got' && (b.imported === 'default' || b.imported === 'got')) {
    const index = gotOptionsIndex(method, args);
    return index === null ? null : { ...base, client: 'got', optionsIndex: index, name: hostOf(args[0]) ?? 'got' };
  }
  if (b) return null;

  const init = initOf(path, object.name);
  const lib = instanceLibrary(init, bindings);
  const instanceName = nameFromIdentifier(object.name);
  if (lib === 'axios') {
    const index = axiosOptionsIndex(method, args);
    const config = isObjectLiteral(init.arguments[0]) ? init.arguments[0] : null;
    const baseUrl = config ? findProperty(config, 'baseURL')?.value : null;
    return index === null
      ? null
      : { ...base, client: 'axios', optionsIndex: index, name: instanceName ?? hostOf(baseUrl) ?? 'axios' };
  }
  if (lib === 'got') {
    const index = gotOptionsIndex(method, args);
    return index === null ? null : { ...base, client: 'got', optionsIndex: index, name: instanceName ?? 'got' };
  }
  if (method !== 'send') return null;
  const client = awsClientConstruction(init, bindings, path);
  const command = commandOf(args[0], bindings, path);
  if (!client && !command) return null;
  const service = client
    ? awsServiceName(client.className, '')
    : (/(?:client|lib)-(.+)$/.exec(command!.source)?.[1] ?? 'aws');
  return {
    client: 'aws-sdk',
    optionsIndex: 1,
    name: service,
    awsClient: client?.node ?? null,
    awsCommand: command?.className ?? null,
  };
}

/** A dependency name as a policy key: "payments API" → "payments-api", "DynamoDB" → "dynamodb". */
export function policyKey(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'dependency'
  );
}
