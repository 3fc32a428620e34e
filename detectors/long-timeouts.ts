import type { CallExpression, Node } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import type { NodePath } from '../src/parse/walk';
import { memberChain, objectShape } from './lib/dependency-ast';
import { analyzeDependencies, type DependencyCall, type DependencyInstance } from './lib/dependency-calls';
import { optionsObject, resolveValue, useDependencyModel, type DependencyModel } from './lib/dependency-model';
import { DEPENDENCY_TRIGGERS } from './lib/dependency-triggers';
import { someDescendant } from './lib/descendants';
import { propertyName } from './lib/node-text';
import { unwrap } from './lib/unwrap';
import { mergeVisitors } from '../src/parse/merge-visitors';

const RULE = 'timeout-too-long';
/** Seed 001: "All HTTP calls have timeouts (< 30s)". API Gateway gives up at 29 s anyway. */
export const TIMEOUT_CEILING_MS = 30_000;

const HTTP_KEYS: Record<string, readonly string[]> = {
  axios: ['timeout'],
  got: ['timeout'],
  ky: ['timeout'],
  http: ['timeout'],
  undici: ['headersTimeout', 'bodyTimeout'],
};
const AWS_KEYS = ['requestTimeout', 'connectionTimeout', 'socketTimeout'];

/** The value of a constant numeric expression (`60000`, `60 * 1000`, `60_000`), or null. */
function constantMs(node: Node | null, resolve: (n: Node) => Node | null, depth = 0): number | null {
  const n = unwrap(node);
  if (!n || depth > 4) return null;
  if (n.type === 'NumericLiteral') return n.value;
  if (n.type === 'Identifier') {
    const v = resolve(n);
    return v && v !== n ? constantMs(v, resolve, depth + 1) : null;
  }
  if (n.type === 'BinaryExpression' && (n.operator === '*' || n.operator === '+')) {
    const a = constantMs(n.left as Node, resolve, depth + 1);
    const b = constantMs(n.right, resolve, depth + 1);
    if (a === null || b === null) return null;
    return n.operator === '*' ? a * b : a + b;
  }
  return null;
}

/** `AbortSignal.timeout(n)` or an abort timer, resolved once the file's constants are known. */
interface Deadline {
  path: NodePath;
  arg: Node;
  kind: 'signal' | 'timer';
}

interface Hit {
  node: Node;
  ms: number;
  what: string;
  option: string;
  client: string;
}

/** Flags explicit timeouts above 30 s: the caller waits longer than anyone upstream will. */
function check(ctx: DetectorContext, m: DependencyModel, deadlines: Deadline[]): void {
  const hits: Hit[] = [];
  for (const d of deadlines) {
    const ms = constantMs(d.arg, (n) => resolveValue(m, n, d.path));
    if (ms === null || ms <= TIMEOUT_CEILING_MS) continue;
    const signal = d.kind === 'signal';
    hits.push({
      node: unwrap(d.arg) ?? d.arg,
      ms,
      what: signal ? 'AbortSignal.timeout()' : 'setTimeout() abort',
      option: 'deadline',
      client: signal ? 'fetch' : 'abort-controller',
    });
  }
  const seen = new Set<Node>();
  const inspect = (options: Node | null, at: NodePath, keys: readonly string[], client: string, what: string): void => {
    const obj = optionsObject(m, options, at);
    if (typeof obj === 'string') return;
    const shape = objectShape(obj);
    for (const key of keys) {
      let value = shape.props.get(key);
      if (!value) continue;
      const resolved = resolveValue(m, value, at);
      // got: `timeout: { request: 60000, connect: ... }`
      if (client === 'got' && resolved?.type === 'ObjectExpression') {
        inspect(resolved, at, [...objectShape(resolved).props.keys()], client, what);
        continue;
      }
      const ms = constantMs(value, (n) => resolveValue(m, n, at));
      if (ms === null || ms <= TIMEOUT_CEILING_MS || seen.has(value)) continue;
      seen.add(value);
      value = unwrap(value) ?? value;
      hits.push({ node: value, ms, what, option: key, client });
    }
  };
  const { instances, calls } = analyzeDependencies(m);
  const instanceOptions = (inst: DependencyInstance): void => {
    if (inst.client === 'aws-sdk') {
      const cfg = optionsObject(m, inst.options, inst.path);
      if (typeof cfg === 'string') return;
      const handler = resolveValue(m, objectShape(cfg).props.get('requestHandler'), inst.path);
      if (handler?.type === 'ObjectExpression') inspect(handler, inst.path, AWS_KEYS, 'aws-sdk', inst.factory);
      else if (handler && (handler.type === 'NewExpression' || handler.type === 'CallExpression')) {
        inspect((handler.arguments[0] as Node | undefined) ?? null, inst.path, AWS_KEYS, 'aws-sdk', inst.factory);
      }
      return;
    }
    const keys = HTTP_KEYS[inst.client];
    if (keys) inspect(inst.options, inst.path, keys, inst.client, `${inst.factory}()`);
  };
  for (const inst of instances) instanceOptions(inst);
  for (const call of calls) callOptions(call);
  function callOptions(call: DependencyCall): void {
    const keys = HTTP_KEYS[call.client];
    if (!keys) return;
    const first = call.node.arguments[0] as Node | undefined;
    const direct = (call.method === '' || call.method === 'request') && unwrap(first)?.type === 'ObjectExpression';
    inspect(direct ? first! : call.options, call.path, keys, call.client, `${call.callee}()`);
  }
  for (const d of m.defaultsTimeouts) {
    const ms = constantMs(d.value, (n) => resolveValue(m, n, d.path));
    if (ms !== null && ms > TIMEOUT_CEILING_MS)
      hits.push({ node: d.value, ms, what: `${d.target}.defaults`, option: 'timeout', client: 'axios' });
  }
  for (const h of hits) {
    const seconds = Math.round(h.ms / 100) / 10;
    ctx.report({
      ruleId: RULE,
      node: h.node,
      messageId: 'timeoutAboveCeiling',
      message: `${h.what} ${h.option} is ${seconds} s (${h.ms} ms), above the ${TIMEOUT_CEILING_MS / 1000} s ceiling`,
      data: { client: h.client, option: h.option, ms: h.ms, limitMs: TIMEOUT_CEILING_MS },
    });
  }
}

/** `setTimeout(() => controller.abort(), n)`: a hand-made request deadline. */
function isAbortTimer(call: CallExpression): boolean {
  const cb = unwrap(call.arguments[0] as Node | undefined);
  if (!cb) return false;
  if (cb.type === 'ArrowFunctionExpression' || cb.type === 'FunctionExpression') {
    return someDescendant(cb, (n) => n.type === 'CallExpression' && propertyName(n.callee) === 'abort');
  }
  // setTimeout(controller.abort.bind(controller), n)
  const chain = memberChain(cb.type === 'CallExpression' ? cb.callee : cb);
  return !!chain && chain.includes('abort');
}

const longTimeouts: CodeDetector = {
  name: 'long-timeouts',
  ruleIds: [RULE],
  triggers: [...DEPENDENCY_TRIGGERS, 'AbortSignal', 'abort'],
  create(ctx) {
    const { model, visitors } = useDependencyModel(ctx);
    const deadlines: Deadline[] = [];
    return mergeVisitors(visitors, {
      CallExpression(path: NodePath<CallExpression>) {
        const call = path.node;
        const chain = memberChain(call.callee);
        if (!chain) return;
        const isSignal = chain.length === 2 && chain[0] === 'AbortSignal' && chain[1] === 'timeout';
        const isTimer =
          (chain.length === 1 && chain[0] === 'setTimeout') ||
          (chain.length === 2 && ['globalThis', 'global', 'window'].includes(chain[0]!) && chain[1] === 'setTimeout');
        const arg = (isSignal ? call.arguments[0] : isTimer ? call.arguments[1] : undefined) as Node | undefined;
        if (!arg || (isTimer && !isAbortTimer(call))) return;
        deadlines.push({ path, arg, kind: isSignal ? 'signal' : 'timer' });
      },
      'Program:exit': () => check(ctx, model, deadlines),
    });
  },
};

export default longTimeouts;
