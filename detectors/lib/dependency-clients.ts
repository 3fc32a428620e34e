import type { CallExpression, NewExpression, Node } from '@babel/types';
import { requireSource, type ImportBinding } from '../../src/parse/imports';
import type { NodePath } from '../../src/parse/walk';
import type { DependencyRef } from '../../src/types';
import { memberChain, objectShape } from './dependency-ast';
import { awsDependency, awsServiceName, httpDependency, NO_URL, urlInfoOf } from './dependency-category';
import {
  importAt,
  optionsObject,
  passedThrough,
  resolveValue,
  staticOwner,
  type DependencyModel,
} from './dependency-model';
import { clientOfModule, tableMake, type ClientMake, type ClientSpec } from './client-table';
import { keyName } from './node-text';
import { unwrap } from './unwrap';

/** The HTTP and AWS SDK v3 clients known to code, or the id of a row of the client table (config/clients.yaml). */
export type ClientKind =
  'axios' | 'fetch' | 'undici' | 'got' | 'ky' | 'http' | 'aws-sdk' | 'kafkajs' | 'jose' | 'jwks-rsa' | (string & {});

/** A client object made in this file: an axios/got/ky instance, an AWS SDK client, a DB pool. */
export interface DependencyInstance {
  node: CallExpression | NewExpression;
  path: NodePath;
  client: ClientKind;
  /** the module it comes from, e.g. "axios", "@aws-sdk/client-dynamodb" */
  module: string;
  /** the variable holding it ("paymentsClient", "this.client"), when there is one */
  key: string | null;
  /** the options argument as written */
  options: Node | null;
  /** the instance it derives from (`client.extend()`, `DynamoDBDocumentClient.from(ddb)`) */
  base: DependencyInstance | null;
  baseNode: Node | null;
  /** AWS: a v3 aggregated client (`new DynamoDB()`), whose methods call the service directly */
  aggregated: boolean;
  /** source text of the factory, e.g. "axios.create", "DynamoDBClient" */
  factory: string;
  dependency: DependencyRef;
  /** the client table's row, for clients it describes, and where its make takes the options */
  spec: ClientSpec | null;
  optionsSlot: ClientMake['options'] | null;
}

const HTTP_MODULES = new Set(['http', 'https', 'node:http', 'node:https']);

export function isWhole(b: ImportBinding | undefined): boolean {
  return !!b && (b.imported === 'default' || b.imported === '*');
}

export function isHttpModule(source: string): boolean {
  return HTTP_MODULES.has(source);
}

/** The AWS package slug: "dynamodb" for @aws-sdk/client-dynamodb and @aws-sdk/lib-dynamodb. */
export function awsSlug(source: string): string | null {
  const m = /^@aws-sdk\/(?:client|lib)-(.+)$/.exec(source);
  return m ? m[1]! : null;
}

function isAwsClientClass(name: string, slug: string): 'client' | 'aggregated' | null {
  if (/Client$/.test(name) && !/Command$/.test(name)) return 'client';
  return name.toLowerCase() === slug.replace(/-/g, '') ? 'aggregated' : null;
}

/** The variable a created value is stored in, and a naming hint when it is an object property. */
function holder(path: NodePath): { key: string | null; hint: string | null } {
  let p = path.parent;
  while (
    p &&
    (p.node.type === 'AwaitExpression' ||
      p.node.type === 'TSAsExpression' ||
      p.node.type === 'TSNonNullExpression' ||
      p.node.type === 'TSSatisfiesExpression' ||
      passedThrough(p.node) === path.node)
  ) {
    path = p;
    p = p.parent;
  }
  if (!p) return { key: null, hint: null };
  const n = p.node;
  if (n.type === 'VariableDeclarator' && n.id.type === 'Identifier') return { key: n.id.name, hint: n.id.name };
  if (n.type === 'AssignmentExpression') {
    const chain = memberChain(n.left);
    if (chain && (chain.length === 1 || (chain.length === 2 && chain[0] === 'this')))
      return { key: chain.join('.'), hint: chain.join('.') };
    return { key: null, hint: chain ? chain[chain.length - 1]! : null };
  }
  if (n.type === 'ClassProperty') {
    const name = keyName(n);
    const owner = n.static ? staticOwner(p) : 'this';
    return { key: name && owner ? `${owner}.${name}` : null, hint: name };
  }
  if (n.type === 'ObjectProperty') return { key: null, hint: keyName(n) };
  if (n.type === 'AssignmentPattern' && n.left.type === 'Identifier') {
    const own = p.parent?.node.type === 'TSParameterProperty';
    return { key: own ? `this.${n.left.name}` : n.left.name, hint: n.left.name };
  }
  return { key: null, hint: null };
}

interface Shape {
  client: ClientKind;
  module: string;
  options: Node | null;
  baseNode?: Node | null;
  aggregated?: boolean;
  className?: string;
  spec?: ClientSpec;
  optionsSlot?: ClientMake['options'];
}

function optionsAt(args: Node[], slot: ClientMake['options']): Node | null {
  if (slot === 'last') return args[args.length - 1] ?? null;
  return args[slot] ?? null;
}

/** A client the table describes: its module as imported or required, and the constructor or factory. */
function recogniseTable(m: DependencyModel, node: CallExpression | NewExpression, at: NodePath): Shape | null {
  const callee = unwrap(node.callee);
  let source = requireSource(callee);
  let names: string[] = [];
  let local: string | null = null;
  if (!source) {
    const chain = memberChain(callee);
    if (!chain || chain[0] === 'this' || chain.length > 3) return null;
    const root = importAt(m, chain[0]!, at);
    if (!root) return null;
    source = root.source;
    local = chain[0]!;
    names = isWhole(root) ? chain.slice(1) : [root.imported, ...chain.slice(1)];
  }
  const found = clientOfModule(source);
  const make = found ? tableMake(found.spec, node.type === 'NewExpression', names, found.subPath) : null;
  if (!found || !make) return null;
  const className =
    found.spec.dependency === 'aws' ? ((found.subPath && names.length <= 1 ? local : names[0]) ?? null) : null;
  return {
    client: found.spec.id,
    module: source,
    options: optionsAt(node.arguments as Node[], make.options),
    className: className ?? undefined,
    spec: found.spec,
    optionsSlot: make.options,
  };
}

/** What a `new X(...)` or factory call creates, before naming. */
function recognise(m: DependencyModel, node: CallExpression | NewExpression, at: NodePath): Shape | null {
  const args = node.arguments as Node[];
  const chain = memberChain(node.callee);
  if (!chain || chain.length > 2 || chain[0] === 'this') return null;
  const root = importAt(m, chain[0]!, at);
  const name =
    chain.length === 2
      ? chain[1]!
      : root?.imported === 'default' || root?.imported === '*'
        ? chain[0]!
        : (root?.imported ?? chain[0]!);
  const src = root?.source;
  if (node.type === 'NewExpression') {
    if (!src) return null;
    const slug = awsSlug(src);
    if (slug && src.startsWith('@aws-sdk/client-')) {
      const kind = isAwsClientClass(name, slug);
      return kind
        ? {
            client: 'aws-sdk',
            module: src,
            options: args[0] ?? null,
            aggregated: kind === 'aggregated',
            className: name,
          }
        : null;
    }
    if (src === 'kafkajs' && name === 'Kafka') return { client: 'kafkajs', module: src, options: args[0] ?? null };
    if (src === 'jwks-rsa' && name === 'JwksClient')
      return { client: 'jwks-rsa', module: src, options: args[0] ?? null };
    return null;
  }
  if (!src) return null;
  if (
    src === '@aws-sdk/lib-dynamodb' &&
    chain.length === 2 &&
    name === 'from' &&
    /^DynamoDBDocument(Client)?$/.test(root!.imported)
  ) {
    return {
      client: 'aws-sdk',
      module: src,
      options: null,
      baseNode: args[0] ?? null,
      className: 'DynamoDBDocumentClient',
    };
  }
  if (chain.length === 2 && !isWhole(root)) return null;
  if (src === 'axios' && name === 'create') return { client: 'axios', module: src, options: args[0] ?? null };
  if (src === 'got' && name === 'extend') return { client: 'got', module: src, options: args[0] ?? null };
  if (src === 'ky' && (name === 'create' || name === 'extend'))
    return { client: 'ky', module: src, options: args[0] ?? null };
  if (src === 'jose' && name === 'createRemoteJWKSet') return { client: 'jose', module: src, options: args[0] ?? null };
  if (src === 'jwks-rsa' && (chain.length === 1 ? isWhole(root) : name === 'default'))
    return { client: 'jwks-rsa', module: src, options: args[0] ?? null };
  return null;
}

/** `client.extend(...)`, `client.create(...)`: an instance made from another instance. */
function derived(
  m: DependencyModel,
  node: CallExpression,
  byNode: Map<Node, DependencyInstance>,
  at: NodePath,
): Shape | null {
  const callee = unwrap(node.callee);
  if (!callee || callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier')
    return null;
  if (callee.property.name !== 'extend' && callee.property.name !== 'create') return null;
  const target = resolveValue(m, callee.object, at);
  const base = target ? byNode.get(target) : undefined;
  if (!base || (base.client !== 'axios' && base.client !== 'got' && base.client !== 'ky')) return null;
  return {
    client: base.client,
    module: base.module,
    options: (node.arguments[0] as Node | undefined) ?? null,
    baseNode: callee.object,
  };
}

function urlOption(m: DependencyModel, options: Node | null, at: NodePath, keys: string[]): Node | null {
  const obj = optionsObject(m, options, at);
  if (typeof obj === 'string') return null;
  const shape = objectShape(obj);
  for (const k of keys) if (shape.props.has(k)) return shape.props.get(k)!;
  return null;
}

function dependencyOf(
  m: DependencyModel,
  s: Shape,
  hint: string | null,
  at: NodePath,
  base: DependencyInstance | null,
): DependencyRef {
  const internal = m.ctx.project.config.internalHosts;
  const resolve = (n: Node): Node | null => resolveValue(m, n, at);
  if (s.client === 'aws-sdk') {
    if (base?.client === 'aws-sdk') return base.dependency;
    const slug = awsSlug(s.module) ?? s.module;
    return awsDependency(awsServiceName(s.className ?? null, slug), slug);
  }
  if (s.spec) {
    if (s.spec.dependency !== 'aws') return { ...s.spec.dependency };
    if (base?.spec === s.spec) return base.dependency;
    const service = s.className ?? 'AWS';
    return awsDependency(service, service.toLowerCase());
  }
  if (s.client === 'kafkajs') return { name: 'Kafka', category: 'event-bus' };
  if (s.client === 'jose' || s.client === 'jwks-rsa') {
    const url =
      s.client === 'jose'
        ? urlInfoOf(s.options, resolve)
        : urlInfoOf(urlOption(m, s.options, at, ['jwksUri']), resolve);
    return { name: url.host ?? 'JWKS', category: 'auth-provider' };
  }
  const baseUrl = urlInfoOf(urlOption(m, s.options, at, ['baseURL', 'prefixUrl', 'prefix']), resolve);
  if (base && !baseUrl.host && !baseUrl.envVar && !hint) return base.dependency;
  return httpDependency(baseUrl.host || baseUrl.envVar ? baseUrl : NO_URL, hint, s.client, internal);
}

/** Every client object created in the file, in source order. */
export function collectInstances(m: DependencyModel): {
  list: DependencyInstance[];
  byNode: Map<Node, DependencyInstance>;
} {
  const byNode = new Map<Node, DependencyInstance>();
  const list: DependencyInstance[] = [];
  // by end position: an inner `new X()` is known before the `.from(...)` wrapping it
  const paths = [...m.calls, ...m.news].sort((a, b) => (a.node.end ?? 0) - (b.node.end ?? 0));
  for (const path of paths) {
    const node = path.node as CallExpression | NewExpression;
    const shape =
      recogniseTable(m, node, path) ??
      recognise(m, node, path) ??
      (node.type === 'CallExpression' ? derived(m, node, byNode, path) : null);
    if (!shape) continue;
    const { key, hint } = holder(path);
    const baseTarget = shape.baseNode ? resolveValue(m, shape.baseNode, path) : null;
    const base = baseTarget ? (byNode.get(baseTarget) ?? null) : null;
    const text = m.ctx.file.text;
    const factory =
      node.callee.start != null && node.callee.end != null
        ? text.slice(node.callee.start, node.callee.end)
        : shape.client;
    const inst: DependencyInstance = {
      node,
      path,
      client: shape.client,
      module: shape.module,
      key,
      options: shape.options,
      base,
      baseNode: shape.baseNode ?? null,
      aggregated: !!shape.aggregated,
      factory,
      dependency: dependencyOf(m, shape, hint, path, base),
      spec: shape.spec ?? null,
      optionsSlot: shape.optionsSlot ?? null,
    };
    byNode.set(node, inst);
    list.push(inst);
  }
  return { list, byNode };
}
