import type { CallExpression, Node } from '@babel/types';
import type { NodePath } from '../../src/parse/walk';
import type { DependencyRef } from '../../src/types';
import { memberChain, objectShape, sourceText } from './dependency-ast';
import { awsDependency, httpDependency, joinUrl, NO_URL, urlInfoOf, type UrlInfo } from './dependency-category';
import { clientOfModule, type ClientSpec } from './client-table';
import {
  awsSlug,
  collectInstances,
  isHttpModule,
  isWhole,
  type ClientKind,
  type DependencyInstance,
} from './dependency-clients';
import { importAt, isDeclaredAt, optionsObject, resolveValue, type DependencyModel } from './dependency-model';
import { propertyName, stringValue } from './node-text';
import { unwrap } from './unwrap';

export type { ClientKind, DependencyInstance } from './dependency-clients';

/** One outbound call to a dependency: an HTTP request or an AWS SDK command. */
export interface DependencyCall {
  node: CallExpression;
  path: NodePath;
  client: ClientKind;
  module: string;
  /** 'get', 'post', 'send', 'request'...; '' for a direct call (`fetch(url)`, `axios(config)`) */
  method: string;
  instance: DependencyInstance | null;
  /** the per-call options argument as written, null when absent */
  options: Node | null;
  /** the URL argument, else the options that name the target (http `hostname`, axios `url`) */
  urlNode: Node | null;
  url: UrlInfo;
  /** source text of the callee, e.g. "axios.get", "this.client.post", "fetch" */
  callee: string;
  dependency: DependencyRef;
  /** the client table's row, for calls through its clients and its request modules */
  spec: ClientSpec | null;
}

export interface DependencyAnalysis {
  instances: DependencyInstance[];
  calls: DependencyCall[];
  instanceAt(node: Node | null | undefined, at: NodePath): DependencyInstance | null;
}

const AXIOS_NO_DATA = new Set(['get', 'delete', 'head', 'options']);
const AXIOS_WITH_DATA = new Set(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']);
const GOT_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'stream', 'paginate']);
const KY_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head']);
const FETCH_MODULES = new Set(['node-fetch', 'cross-fetch', 'isomorphic-fetch', 'isomorphic-unfetch', 'undici']);
const GLOBAL_OBJECTS = new Set(['globalThis', 'window', 'global', 'self']);
/** AWS client members that are not service calls */
const AWS_NON_CALLS = new Set(['destroy', 'middlewareStack', 'config', 'then', 'toString']);

/** Where the URL and per-call options sit for a client and method. */
function argSlots(client: ClientKind, method: string, args: Node[]): { url: Node | null; options: Node | null } {
  const a0 = unwrap(args[0]) ?? null;
  const firstIsObject = a0?.type === 'ObjectExpression';
  switch (client) {
    case 'axios':
      if (method === 'request' || (method === '' && firstIsObject)) return { url: null, options: args[0] ?? null };
      if (AXIOS_WITH_DATA.has(method)) return { url: args[0] ?? null, options: args[2] ?? null };
      return { url: args[0] ?? null, options: args[1] ?? null };
    case 'got':
      return firstIsObject
        ? { url: null, options: args[0] ?? null }
        : { url: args[0] ?? null, options: args[1] ?? null };
    case 'http': {
      if (firstIsObject) return { url: null, options: args[0] ?? null };
      const second = unwrap(args[1]);
      const isCallback = second && (second.type === 'ArrowFunctionExpression' || second.type === 'FunctionExpression');
      return { url: args[0] ?? null, options: isCallback ? null : (args[1] ?? null) };
    }
    case 'aws-sdk':
      return { url: null, options: args[1] ?? null };
    default:
      return { url: args[0] ?? null, options: args[1] ?? null };
  }
}

interface Match {
  client: ClientKind;
  module: string;
  method: string;
  instance: DependencyInstance | null;
  spec?: ClientSpec;
}

/** The `new XCommand()` an AWS `.send(cmd)` argument is, as its package. */
function awsCommandModule(m: DependencyModel, arg: Node | undefined, at: NodePath): string | null {
  const v = resolveValue(m, arg, at);
  if (!v || v.type !== 'NewExpression') return null;
  const chain = memberChain(v.callee);
  const src = chain ? importAt(m, chain[0]!, at)?.source : undefined;
  return src && awsSlug(src) && /Command$/.test(chain![chain!.length - 1]!) ? src : null;
}

/** Members of a client that are local helpers or lifecycle, not requests. */
const TABLE_NON_CALLS = new Set([
  'on',
  'once',
  'off',
  'addListener',
  'removeListener',
  'removeAllListeners',
  'setMaxListeners',
  'emit',
  'then',
  'toString',
  'config',
  'createSet',
  'setPromisesDependency',
  'end',
  'quit',
  'disconnect',
  'close',
  'destroy',
  'setApiKey',
  'setTimeout',
]);

/**
 * A call through a client the table describes whose calls are checked (`calls: members`):
 * `s3.putObject(params)`, `stripe.charges.create(...)`. Signing a URL is not a request.
 */
function tableClientCall(callee: Node, path: NodePath, instanceAt: DependencyAnalysis['instanceAt']): Match | null {
  if (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') return null;
  const method = propertyName(callee);
  if (!method) return null;
  let obj: Node | null = unwrap(callee.object);
  for (let depth = 0; obj && depth < 3; depth++) {
    const inst = instanceAt(obj, path);
    if (inst?.spec) {
      if (inst.spec.calls !== 'members' || TABLE_NON_CALLS.has(method) || inst.spec.presignOnly.includes(method))
        return null;
      return { client: inst.client, module: inst.module, method, instance: inst };
    }
    if (inst) return null;
    obj = obj.type === 'MemberExpression' || obj.type === 'OptionalMemberExpression' ? unwrap(obj.object) : null;
  }
  return null;
}

/** A request module of the table: `request(options, cb)`, `superagent.get(url)`, `needle.post(url, data, opts)`. */
function tableRequest(m: DependencyModel, chain: string[], at: NodePath): Match | null {
  const b = importAt(m, chain[0]!, at);
  if (!b || !isWhole(b)) return null;
  const spec = clientOfModule(b.source)?.spec;
  const requests = spec?.requests;
  if (!spec || !requests) return null;
  const method = chain.length === 2 ? chain[1]! : '';
  if (chain.length === 1 ? !requests.direct : chain.length !== 2 || !requests.methods.includes(method)) return null;
  return { client: spec.id, module: b.source, method, instance: null, spec };
}

/** The options of a request-module call: its last object argument (`request(opts, cb)`, `needle.post(url, data, opts)`). */
function requestSlots(m: DependencyModel, args: Node[], at: NodePath): { url: Node | null; options: Node | null } {
  let options: Node | null = null;
  for (const a of args) if (resolveValue(m, a, at)?.type === 'ObjectExpression') options = a;
  const first =
    args[0] && args[0] !== options && resolveValue(m, args[0], at)?.type !== 'ObjectExpression' ? args[0] : null;
  return { url: first, options };
}

/** `const fetch = (...args) => import('node-fetch').then(({ default: f }) => f(...args))`: the module a local lazy fetch loads. */
function lazyFetchModule(m: DependencyModel, callee: Node, at: NodePath): string | null {
  if (callee.type !== 'Identifier' || !isDeclaredAt(m, callee.name, at)) return null;
  const fn = resolveValue(m, callee, at);
  if (!fn || (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression')) return null;
  let body: Node | null = fn.body;
  if (body.type === 'BlockStatement') {
    const ret = body.body.find((st) => st.type === 'ReturnStatement');
    body = ret && ret.type === 'ReturnStatement' ? (ret.argument ?? null) : null;
  }
  const call = unwrap(body);
  if (!call || call.type !== 'CallExpression') return null;
  const then = unwrap(call.callee);
  if (!then || then.type !== 'MemberExpression' || propertyName(then) !== 'then') return null;
  const imported = unwrap(then.object);
  if (!imported || imported.type !== 'CallExpression' || imported.callee.type !== 'Import') return null;
  const src = stringValue(imported.arguments[0] as Node | undefined);
  return src && FETCH_MODULES.has(src) && src !== 'undici' ? src : null;
}

function matchCall(m: DependencyModel, path: NodePath, instanceAt: DependencyAnalysis['instanceAt']): Match | null {
  const node = path.node as CallExpression;
  const callee = unwrap(node.callee);
  if (!callee) return null;
  if (callee.type === 'Identifier') {
    const b = importAt(m, callee.name, path);
    if (b) {
      const src = b.source;
      if (src === 'axios' && isWhole(b)) return { client: 'axios', module: src, method: '', instance: null };
      if (FETCH_MODULES.has(src) && (b.imported === 'fetch' || (src !== 'undici' && isWhole(b))))
        return { client: 'fetch', module: src, method: '', instance: null };
      if (src === 'undici' && b.imported === 'request')
        return { client: 'undici', module: src, method: 'request', instance: null };
      if (src === 'got' && (isWhole(b) || b.imported === 'got'))
        return { client: 'got', module: src, method: '', instance: null };
      if (src === 'ky' && isWhole(b)) return { client: 'ky', module: src, method: '', instance: null };
      if (isHttpModule(src) && (b.imported === 'request' || b.imported === 'get'))
        return { client: 'http', module: src, method: b.imported, instance: null };
      return tableRequest(m, [callee.name], path);
    }
    const lazy = lazyFetchModule(m, callee, path);
    if (lazy) return { client: 'fetch', module: lazy, method: '', instance: null };
    if (callee.name === 'fetch')
      return isDeclaredAt(m, 'fetch', path) ? null : { client: 'fetch', module: 'fetch', method: '', instance: null };
    const inst = instanceAt(callee, path);
    return inst && (inst.client === 'axios' || inst.client === 'got' || inst.client === 'ky')
      ? { client: inst.client, module: inst.module, method: '', instance: inst }
      : null;
  }
  if (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') return null;
  const chain = memberChain(callee);
  const method = chain ? chain[chain.length - 1]! : '';
  if (chain && chain.length === 2) {
    const b = importAt(m, chain[0]!, path);
    if (b && isWhole(b)) {
      const src = b.source;
      if (src === 'axios' && (AXIOS_NO_DATA.has(method) || AXIOS_WITH_DATA.has(method) || method === 'request'))
        return { client: 'axios', module: src, method, instance: null };
      if (src === 'got' && GOT_METHODS.has(method)) return { client: 'got', module: src, method, instance: null };
      if (src === 'ky' && KY_METHODS.has(method)) return { client: 'ky', module: src, method, instance: null };
      if (isHttpModule(src) && (method === 'request' || method === 'get'))
        return { client: 'http', module: src, method, instance: null };
      if (src === 'undici' && method === 'fetch') return { client: 'fetch', module: src, method: '', instance: null };
      if (src === 'undici' && method === 'request') return { client: 'undici', module: src, method, instance: null };
    }
    if (!b && GLOBAL_OBJECTS.has(chain[0]!) && method === 'fetch')
      return { client: 'fetch', module: 'fetch', method: '', instance: null };
    const request = tableRequest(m, chain, path);
    if (request) return request;
  }
  const tableCall = tableClientCall(callee, path, instanceAt);
  if (tableCall) return tableCall;
  const inst = instanceAt(callee.object, path);
  if (inst) {
    const c = inst.client;
    if (c === 'axios' && (AXIOS_NO_DATA.has(method) || AXIOS_WITH_DATA.has(method) || method === 'request'))
      return { client: c, module: inst.module, method, instance: inst };
    if (c === 'got' && GOT_METHODS.has(method)) return { client: c, module: inst.module, method, instance: inst };
    if (c === 'ky' && KY_METHODS.has(method)) return { client: c, module: inst.module, method, instance: inst };
    if (c === 'aws-sdk' && (method === 'send' || (inst.aggregated && !AWS_NON_CALLS.has(method))))
      return { client: c, module: inst.module, method, instance: inst };
    return null;
  }
  if (method === 'send') {
    const src = awsCommandModule(m, node.arguments[0] as Node | undefined, path);
    if (src) return { client: 'aws-sdk', module: src, method, instance: null };
  }
  return null;
}

function callDependency(m: DependencyModel, match: Match, url: UrlInfo): DependencyRef {
  const inst = match.instance;
  if (inst?.spec) return inst.dependency;
  if (match.client === 'aws-sdk') {
    if (inst) return inst.dependency;
    const slug = awsSlug(match.module) ?? match.module;
    return awsDependency(SERVICE_NAMES[slug] ?? slug, slug);
  }
  const internal = m.ctx.project.config.internalHosts;
  if (match.spec && !url.host && !url.envVar && match.spec.dependency !== 'aws') return { ...match.spec.dependency };
  if (inst) {
    if (!url.host && !url.envVar) return inst.dependency;
    return httpDependency(url, inst.key, match.client, internal);
  }
  return httpDependency(url, null, match.client, internal);
}

/** Display names of common services for `.send(new XCommand())` on a client made elsewhere. */
const SERVICE_NAMES: Record<string, string> = {
  dynamodb: 'DynamoDB',
  sqs: 'SQS',
  sns: 'SNS',
  eventbridge: 'EventBridge',
  kinesis: 'Kinesis',
  s3: 'S3',
  ssm: 'SSM',
  'secrets-manager': 'SecretsManager',
  lambda: 'Lambda',
  'sagemaker-runtime': 'SageMakerRuntime',
  'bedrock-runtime': 'BedrockRuntime',
  'cognito-identity-provider': 'CognitoIdentityProvider',
  firehose: 'Firehose',
  sfn: 'SFN',
  'rds-data': 'RDSData',
};

function baseUrlOf(m: DependencyModel, inst: DependencyInstance | null): UrlInfo {
  for (let i = inst; i; i = i.base) {
    const obj = optionsObject(m, i.options, i.path);
    if (typeof obj === 'string') continue;
    for (const p of obj.properties) {
      if (p.type !== 'ObjectProperty' || p.key.type !== 'Identifier') continue;
      if (p.key.name === 'baseURL' || p.key.name === 'prefixUrl' || p.key.name === 'prefix') {
        return urlInfoOf(p.value as Node, (n) => resolveValue(m, n, i!.path));
      }
    }
  }
  return NO_URL;
}

/** The target named inside an options object: axios/got `url`, http `host`/`hostname` + `path`. */
function urlFromOptions(m: DependencyModel, options: Node | null, at: NodePath): UrlInfo {
  const obj = optionsObject(m, options, at);
  if (typeof obj === 'string') return NO_URL;
  const shape = objectShape(obj);
  const resolve = (n: Node): Node | null => resolveValue(m, n, at);
  const url = shape.props.get('url');
  if (url) return urlInfoOf(url, resolve);
  const host = stringValue(resolve(shape.props.get('hostname') ?? shape.props.get('host') ?? obj));
  if (!host) return NO_URL;
  return {
    text: null,
    host: host.toLowerCase(),
    path: stringValue(resolve(shape.props.get('path') ?? obj)),
    envVar: null,
  };
}

/** Instances and outbound calls of the file; computed once per file and shared by the detectors. */
export function analyzeDependencies(m: DependencyModel): DependencyAnalysis {
  const cached = m.memo.get('dependencies') as DependencyAnalysis | undefined;
  if (cached) return cached;
  const { list, byNode } = collectInstances(m);
  const instanceAt = (node: Node | null | undefined, at: NodePath): DependencyInstance | null => {
    const v = resolveValue(m, node, at);
    return v ? (byNode.get(v) ?? null) : null;
  };
  const calls: DependencyCall[] = [];
  for (const path of m.calls) {
    const node = path.node as CallExpression;
    const match = matchCall(m, path, instanceAt);
    if (!match) continue;
    const slots = match.spec?.requests
      ? requestSlots(m, node.arguments as Node[], path)
      : argSlots(match.client, match.method, node.arguments as Node[]);
    const own = slots.url
      ? urlInfoOf(slots.url, (n) => resolveValue(m, n, path))
      : urlFromOptions(m, slots.options, path);
    const url = match.instance ? joinUrl(baseUrlOf(m, match.instance), own) : own;
    calls.push({
      node,
      path,
      ...match,
      options: slots.options,
      url,
      urlNode: match.instance?.spec ? null : (slots.url ?? slots.options),
      callee: sourceText(m.ctx.file.text, node.callee),
      dependency: callDependency(m, match, url),
      spec: match.instance?.spec ?? match.spec ?? null,
    });
  }
  const analysis: DependencyAnalysis = { instances: list, calls, instanceAt };
  m.memo.set('dependencies', analysis);
  return analysis;
}
