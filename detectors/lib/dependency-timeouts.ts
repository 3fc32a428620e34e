import type { Node } from '@babel/types';
import { enclosingFunction, type NodePath } from '../../src/parse/walk';
import { isOffValue, isWithin, memberChain, objectShape, propertyName, stringValue, unwrap } from './dependency-ast';
import type { DependencyAnalysis, DependencyCall, DependencyInstance } from './dependency-calls';
import { importAt, optionsObject, resolveValue, type DependencyModel } from './dependency-model';

/** set: a timeout applies; missing: none is set; off: explicitly disabled; unknown: out of sight. */
export type TimeoutState = 'set' | 'missing' | 'off' | 'unknown';

/** The state of the first of `keys` present in an options argument. */
export function optionState(m: DependencyModel, options: Node | null, at: NodePath, keys: readonly string[]): TimeoutState {
  const obj = optionsObject(m, options, at);
  if (typeof obj === 'string') return obj;
  const shape = objectShape(obj);
  let off = false;
  for (const k of keys) {
    if (!shape.props.has(k)) continue;
    if (isOffValue(shape.props.get(k))) off = true;
    else return 'set';
  }
  if (shape.spread) return 'unknown';
  return off ? 'off' : 'missing';
}

/** A value that is clearly a URL or connection string (so no options object hides in it). */
function isUrlLike(m: DependencyModel, node: Node | undefined, at: NodePath): boolean {
  const n = unwrap(node);
  if (!n) return false;
  if (stringValue(n) !== null || n.type === 'TemplateLiteral' || n.type === 'NumericLiteral' || n.type === 'BinaryExpression') return true;
  if (n.type === 'NewExpression' && n.callee.type === 'Identifier' && n.callee.name === 'URL') return true;
  const chain = memberChain(n);
  if (chain && chain[0] === 'process' && chain[1] === 'env') return true;
  if (n.type === 'LogicalExpression') return isUrlLike(m, n.left, at);
  const v = resolveValue(m, n, at);
  if (v && v !== n) return isUrlLike(m, v, at);
  const last = chain?.[chain.length - 1];
  return !!last && /(url|uri|href|endpoint|host|port|dsn|connectionString)$/i.test(last);
}

const DB_KEYS: Record<string, readonly string[]> = {
  pg: ['connectionTimeoutMillis', 'statement_timeout', 'query_timeout'],
  mysql2: ['connectTimeout'],
  ioredis: ['connectTimeout', 'commandTimeout'],
  mongoose: ['serverSelectionTimeoutMS', 'socketTimeoutMS', 'connectTimeoutMS'],
  mongodb: ['serverSelectionTimeoutMS', 'socketTimeoutMS', 'connectTimeoutMS'],
};

/** Driver options: an options object, or a connection string that may carry the timeout itself. */
function databaseState(m: DependencyModel, inst: DependencyInstance): TimeoutState {
  const keys = DB_KEYS[inst.client]!;
  const args = inst.node.arguments as Node[];
  if (inst.client === 'ioredis') {
    // new Redis(), new Redis(port, host, opts), new Redis(url, opts), new Redis(opts), new Redis.Cluster(nodes, opts)
    const last = args[args.length - 1];
    if (!last) return 'missing';
    if (unwrap(last)?.type === 'ArrayExpression') return 'missing';
    if (isUrlLike(m, last, inst.path)) return 'missing';
    const cluster = /Cluster$/.test(inst.factory);
    const state = optionState(m, last, inst.path, cluster ? [...keys, 'redisOptions'] : keys);
    return state;
  }
  const urlArg = inst.client === 'mongoose' || inst.client === 'mongodb' ? args[0] : null;
  const url = stringValue(resolveValue(m, urlArg ?? inst.options, inst.path));
  if (url !== null && keys.some((k) => url.includes(k) || url.includes('connect_timeout'))) return 'set';
  if (inst.options && isUrlLike(m, inst.options, inst.path)) return 'missing';
  return optionState(m, inst.options, inst.path, keys);
}

/** AWS SDK v3: a requestHandler (shorthand object or NodeHttpHandler) with request/connection timeouts. */
function awsState(m: DependencyModel, inst: DependencyInstance): TimeoutState {
  const cfg = optionsObject(m, inst.options, inst.path);
  if (typeof cfg === 'string') return cfg;
  const shape = objectShape(cfg);
  const handler = shape.props.get('requestHandler');
  if (!handler) return shape.spread ? 'unknown' : 'missing';
  const keys = ['requestTimeout', 'connectionTimeout', 'socketTimeout'];
  const h = resolveValue(m, handler, inst.path);
  if (h && h.type === 'ObjectExpression') return optionState(m, h, inst.path, keys);
  if (h && (h.type === 'NewExpression' || h.type === 'CallExpression')) {
    const chain = memberChain(h.callee);
    if (chain && /HttpHandler$/.test(chain[0]!) && (h.type === 'NewExpression' || chain[1] === 'create')) {
      return h.arguments.length === 0 ? 'missing' : optionState(m, h.arguments[0] as Node, inst.path, keys);
    }
  }
  return 'unknown';
}

function defaultsState(m: DependencyModel, target: string): TimeoutState | null {
  let state: TimeoutState | null = null;
  for (const d of m.defaultsTimeouts) if (d.target === target) state = isOffValue(d.value) ? 'off' : 'set';
  return state;
}

/** The timeout state of a client object as created (and its `.defaults.timeout`). */
export function instanceTimeout(m: DependencyModel, inst: DependencyInstance): TimeoutState {
  switch (inst.client) {
    case 'axios': {
      const own = optionState(m, inst.options, inst.path, ['timeout', 'signal']);
      const defaults = inst.key ? defaultsState(m, inst.key) : null;
      if (defaults) return defaults;
      if (own !== 'missing') return own;
      if (inst.base) return instanceTimeout(m, inst.base);
      const global = m.ctx.imports.localsOf('axios').map((l) => defaultsState(m, l)).find((s) => s !== null);
      return global === 'set' ? 'set' : 'missing';
    }
    case 'got': {
      const own = optionState(m, inst.options, inst.path, ['timeout', 'signal']);
      return own === 'missing' && inst.base ? instanceTimeout(m, inst.base) : own;
    }
    case 'ky': {
      const own = optionState(m, inst.options, inst.path, ['timeout']);
      if (own === 'missing' && inst.base) return instanceTimeout(m, inst.base);
      return own === 'off' ? 'off' : 'set';
    }
    case 'aws-sdk':
      return inst.base ? instanceTimeout(m, inst.base) : awsState(m, inst);
    case 'pg': case 'mysql2': case 'ioredis': case 'mongoose': case 'mongodb':
      return databaseState(m, inst);
    default:
      return 'set';
  }
}

/** `const req = http.request(...); req.setTimeout(...)` or `http.get(...).setTimeout(...)`. */
function hasSetTimeoutOnResult(m: DependencyModel, call: DependencyCall): boolean {
  const parent = call.path.parent;
  if (!parent) return false;
  const p = parent.node;
  if ((p.type === 'MemberExpression' || p.type === 'OptionalMemberExpression') && p.object === call.node) return propertyName(p) === 'setTimeout';
  if (p.type !== 'VariableDeclarator' || p.id.type !== 'Identifier') return false;
  const name = p.id.name;
  const scope = enclosingFunction(call.path)?.node ?? m.program;
  return m.calls.some((c) => {
    const chain = memberChain((c.node as { callee: Node }).callee);
    return !!chain && chain.length === 2 && chain[0] === name && chain[1] === 'setTimeout' && (!scope || isWithin(c, scope));
  });
}

/** The call's own options only (not its instance). */
export function ownCallTimeout(m: DependencyModel, call: DependencyCall): TimeoutState {
  switch (call.client) {
    case 'axios': case 'got': {
      // axios(config) / got(options) with a config held in a variable
      const first = call.node.arguments[0] as Node | undefined;
      const direct = call.method === '' || (call.client === 'axios' && call.method === 'request');
      const opts = direct && first && !isUrlLike(m, first, call.path) ? first : call.options;
      return optionState(m, opts, call.path, ['timeout', 'signal']);
    }
    case 'ky': {
      const s = optionState(m, call.options, call.path, ['timeout']);
      return s === 'off' ? 'off' : s === 'missing' ? 'missing' : 'set';
    }
    case 'fetch': {
      const first = unwrap(call.node.arguments[0] as Node | undefined);
      if (first && first.type === 'NewExpression') return 'unknown';
      return optionState(m, call.options, call.path, call.module === 'node-fetch' ? ['signal', 'timeout'] : ['signal']);
    }
    case 'undici':
      return optionState(m, call.options, call.path, ['signal', 'headersTimeout', 'bodyTimeout']);
    case 'http': {
      // request(url[, options][, cb]) or request(options[, cb])
      const first = call.node.arguments[0] as Node | undefined;
      let opts: Node | null = call.options;
      if (first && !isUrlLike(m, first, call.path)) {
        if (resolveValue(m, first, call.path)?.type !== 'ObjectExpression') return 'unknown';
        opts = first;
      }
      const s = optionState(m, opts, call.path, ['timeout', 'signal']);
      if (s !== 'missing') return s;
      if (hasSetTimeoutOnResult(m, call)) return 'set';
      // a custom agent may carry a socket timeout we cannot see
      return optionState(m, opts, call.path, ['agent']) === 'set' ? 'unknown' : 'missing';
    }
    default:
      return 'unknown';
  }
}

/** `pTimeout(call, ...)` (p-timeout) or `Promise.race([call, ...])`: the caller stops waiting. */
function isRaced(m: DependencyModel, call: DependencyCall): boolean {
  let p = call.path.parent;
  if (p && p.node.type === 'ArrayExpression') p = p.parent;
  if (!p || p.node.type !== 'CallExpression') return false;
  const chain = memberChain(p.node.callee);
  if (!chain) return false;
  if (chain.length === 2 && chain[0] === 'Promise' && chain[1] === 'race') return true;
  return importAt(m, chain[0]!, p)?.source === 'p-timeout';
}

/** The effective timeout of a call: its own options, else its instance's, else the module defaults. */
export function callTimeout(m: DependencyModel, call: DependencyCall): TimeoutState {
  if (isRaced(m, call)) return 'set';
  const own = ownCallTimeout(m, call);
  if (call.client === 'aws-sdk') return call.instance ? instanceTimeout(m, call.instance) : 'unknown';
  if (own !== 'missing') return own;
  if (call.instance) return instanceTimeout(m, call.instance);
  if (call.client === 'ky') return 'set';
  if (call.client === 'axios') {
    const local = memberChain(call.node.callee)?.[0];
    return (local && defaultsState(m, local)) || 'missing';
  }
  return 'missing';
}

export type { DependencyAnalysis };
