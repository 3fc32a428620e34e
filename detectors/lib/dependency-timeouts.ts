import type { Node, ObjectExpression } from '@babel/types';
import { clientOfModule, type ClientSpec } from './client-table';
import { enclosingFunction, type NodePath } from '../../src/parse/walk';
import { isOffValue, isWithin, memberChain, objectShape } from './dependency-ast';
import type { DependencyAnalysis, DependencyCall, DependencyInstance } from './dependency-calls';
import { importAt, optionsObject, resolveValue, type DependencyModel } from './dependency-model';
import { propertyName, stringValue } from './node-text';
import { unwrap } from './unwrap';

/** set: a timeout applies; missing: none is set; off: explicitly disabled; unknown: out of sight. */
export type TimeoutState = 'set' | 'missing' | 'off' | 'unknown';

/** An options value as an object literal: written in place, held in a local, or returned by a local function. */
function objectOf(
  m: DependencyModel,
  node: Node | null | undefined,
  at: NodePath,
): ObjectExpression | 'missing' | 'unknown' {
  const obj = optionsObject(m, node, at);
  if (obj !== 'unknown') return obj;
  const v = resolveValue(m, node, at);
  if (!v || v.type !== 'CallExpression' || v.callee.type !== 'Identifier') return 'unknown';
  const fn = localFunction(m, v.callee.name, at);
  const returned = fn ? returnedValue(fn) : null;
  return returned ? optionsObject(m, returned, at) : 'unknown';
}

/** A function declared in the file under a name: `function f() {}` or `const f = () => ...`. */
function localFunction(m: DependencyModel, name: string, at: NodePath): Node | null {
  const declared = m.functions.get(name);
  if (declared?.length === 1) return declared[0]!;
  const v = resolveValue(m, { type: 'Identifier', name } as Node, at);
  return v && (v.type === 'ArrowFunctionExpression' || v.type === 'FunctionExpression') ? v : null;
}

/** What a function returns when it has one visible result: an arrow's expression, or its only top-level `return`. */
function returnedValue(fn: Node): Node | null {
  const body = (fn as { body?: Node }).body;
  if (!body) return null;
  if (body.type !== 'BlockStatement') return body;
  const returns = body.body.filter((st) => st.type === 'ReturnStatement');
  return returns.length === 1 ? ((returns[0] as { argument?: Node | null }).argument ?? null) : null;
}

/** The state of one option path (`['httpOptions', 'timeout']`) in an options value, through nested objects and spreads. */
function pathState(
  m: DependencyModel,
  node: Node | null | undefined,
  path: readonly string[],
  at: NodePath,
  depth = 0,
): TimeoutState {
  if (depth > 4) return 'unknown';
  const obj = objectOf(m, node, at);
  if (typeof obj === 'string') return obj;
  const shape = objectShape(obj);
  const [head, ...rest] = path;
  if (shape.props.has(head!)) {
    const value = shape.props.get(head!)!;
    if (rest.length === 0) return isOffValue(value) ? 'off' : 'set';
    return pathState(m, value, rest, at, depth + 1);
  }
  // `{ ...defaults, region }`: the spread object may hold it
  let unknown = false;
  for (const p of obj.properties) {
    if (p.type === 'SpreadElement') {
      const state = pathState(m, p.argument, path, at, depth + 1);
      if (state === 'set' || state === 'off') return state;
      if (state === 'unknown') unknown = true;
    } else if (p.computed) unknown = true;
  }
  return unknown ? 'unknown' : 'missing';
}

/** Several option paths: set when any is set; off when the only ones present turn it off. */
function pathsState(
  m: DependencyModel,
  options: Node | null,
  at: NodePath,
  paths: ReadonlyArray<readonly string[]>,
): TimeoutState {
  const states = paths.map((p) => pathState(m, options, p, at));
  if (states.includes('set')) return 'set';
  if (states.includes('unknown')) return 'unknown';
  return states.includes('off') ? 'off' : 'missing';
}

/** The state of the first of `keys` present in an options argument (spreads of local objects and functions followed). */
export function optionState(
  m: DependencyModel,
  options: Node | null,
  at: NodePath,
  keys: readonly string[],
): TimeoutState {
  return pathsState(
    m,
    options,
    at,
    keys.map((k) => [k]),
  );
}

/** A value that is clearly a URL or connection string (so no options object hides in it). */
function isUrlLike(m: DependencyModel, node: Node | undefined, at: NodePath): boolean {
  const n = unwrap(node);
  if (!n) return false;
  if (
    stringValue(n) !== null ||
    n.type === 'TemplateLiteral' ||
    n.type === 'NumericLiteral' ||
    n.type === 'BinaryExpression'
  )
    return true;
  if (n.type === 'NewExpression' && n.callee.type === 'Identifier' && n.callee.name === 'URL') return true;
  const chain = memberChain(n);
  if (chain && chain[0] === 'process' && chain[1] === 'env') return true;
  if (n.type === 'LogicalExpression') return isUrlLike(m, n.left, at);
  const v = resolveValue(m, n, at);
  if (v && v !== n) return isUrlLike(m, v, at);
  const last = chain?.[chain.length - 1];
  return !!last && /(url|uri|href|endpoint|host|port|dsn|connectionString)$/i.test(last);
}

/** A string argument (a connection string) that carries one of the table's URL timeout parameters. */
function urlCarriesTimeout(m: DependencyModel, inst: DependencyInstance, urlKeys: readonly string[]): boolean {
  if (!urlKeys.length) return false;
  return (inst.node.arguments as Node[]).some((a) => {
    const url = stringValue(resolveValue(m, a, inst.path));
    return url !== null && urlKeys.some((k) => url.includes(k));
  });
}

/** `AWS.config.update({ httpOptions: { timeout } })`: the table's global setting, made in this file for the client's modules. */
function globalState(
  m: DependencyModel,
  spec: ClientSpec,
  paths: ReadonlyArray<readonly string[]>,
): TimeoutState | null {
  const global = spec.timeout.global?.split('.');
  if (!global) return null;
  let state: TimeoutState | null = null;
  for (const c of m.calls) {
    const node = c.node as { callee: Node; arguments: Node[] };
    const chain = memberChain(node.callee);
    if (!chain || chain.length !== global.length + 1 || global.some((g, i) => chain[i + 1] !== g)) continue;
    const source = importAt(m, chain[0]!, c)?.source;
    if (!source || clientOfModule(source)?.spec !== spec) continue;
    const s = pathsState(m, node.arguments[0] ?? null, c, paths);
    if (s === 'set' || s === 'off') state = s;
  }
  return state;
}

/** A client the table describes: its options, a connection string, or the module's global settings. */
function tableState(m: DependencyModel, inst: DependencyInstance, spec: ClientSpec): TimeoutState {
  const paths = spec.timeout.keys.map((k) => k.split('.'));
  if (urlCarriesTimeout(m, inst, spec.timeout.urlKeys)) return 'set';
  const options = unwrap(inst.options);
  // new Redis(port, host), createClient(port, host), new Redis.Cluster([nodes]): no options object
  const own =
    !options ||
    options.type === 'ArrayExpression' ||
    options.type === 'ArrowFunctionExpression' ||
    options.type === 'FunctionExpression' ||
    isUrlLike(m, options, inst.path)
      ? 'missing'
      : pathsState(m, options, inst.path, paths);
  if (own === 'set' || own === 'unknown') return own;
  const global = globalState(m, spec, paths);
  return global === 'set' ? 'set' : own;
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
      const global = m.ctx.imports
        .localsOf('axios')
        .map((l) => defaultsState(m, l))
        .find((s) => s !== null);
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
    default:
      if (inst.spec) return inst.base ? instanceTimeout(m, inst.base) : tableState(m, inst, inst.spec);
      return 'set';
  }
}

/** `const req = http.request(...); req.setTimeout(...)` or `http.get(...).setTimeout(...)`. */
function hasSetTimeoutOnResult(m: DependencyModel, call: DependencyCall): boolean {
  const parent = call.path.parent;
  if (!parent) return false;
  const p = parent.node;
  if ((p.type === 'MemberExpression' || p.type === 'OptionalMemberExpression') && p.object === call.node)
    return propertyName(p) === 'setTimeout';
  if (p.type !== 'VariableDeclarator' || p.id.type !== 'Identifier') return false;
  const name = p.id.name;
  const scope = enclosingFunction(call.path)?.node ?? m.program;
  return m.calls.some((c) => {
    const chain = memberChain((c.node as { callee: Node }).callee);
    return (
      !!chain && chain.length === 2 && chain[0] === name && chain[1] === 'setTimeout' && (!scope || isWithin(c, scope))
    );
  });
}

/** `superagent.get(url).set(...).timeout(5000)`: a call of `name` chained on the request. */
export function chainedCall(call: DependencyCall, name: string): boolean {
  let p = call.path.parent;
  let node: Node = call.node;
  while (
    p &&
    (p.node.type === 'MemberExpression' || p.node.type === 'OptionalMemberExpression') &&
    (p.node as { object: Node }).object === node
  ) {
    if (propertyName(p.node) === name) return true;
    const c = p.parent;
    if (
      !c ||
      (c.node.type !== 'CallExpression' && c.node.type !== 'OptionalCallExpression') ||
      (c.node as { callee: Node }).callee !== p.node
    )
      return false;
    node = c.node;
    p = c.parent;
  }
  return false;
}

/** The call's own options only (not its instance). */
export function ownCallTimeout(m: DependencyModel, call: DependencyCall): TimeoutState {
  switch (call.client) {
    case 'axios':
    case 'got': {
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
    default:
      if (call.spec?.requests) {
        if (call.spec.requests.chainedTimeout && chainedCall(call, call.spec.requests.chainedTimeout)) return 'set';
        return optionState(m, call.options, call.path, call.spec.timeout.keys);
      }
      return 'unknown';
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
  if (call.client === 'aws-sdk' || call.instance?.spec)
    return call.instance ? instanceTimeout(m, call.instance) : 'unknown';
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
