import type { Node } from '@babel/types';
import { insideRetryLoop } from './retry-loop-guard';
import { isFunctionNode, type NodePath } from '../../src/parse/walk';
import { memberChain } from './dependency-ast';
import type { DependencyAnalysis, DependencyCall, DependencyInstance } from './dependency-calls';
import { isWhole } from './dependency-clients';
import { importAt, resolveValue, type DependencyModel } from './dependency-model';
import { chainedCall } from './dependency-timeouts';
import { keyName } from './node-text';
import { unwrap } from './unwrap';

export const HAND_WRITTEN_LOOP = 'a hand-written retry loop';

/** Which resilience policies guard a call. */
export interface Protection {
  retry: boolean;
  breaker: boolean;
  /** what retries it when `retry` (a client's own retries, a retry helper or library), for the fix to know */
  retriedBy?: string;
}

const NONE: Protection = { retry: false, breaker: false };
const BOTH: Protection = { retry: true, breaker: true };
const RETRY: Protection = { retry: true, breaker: false };
const BREAKER: Protection = { retry: false, breaker: true };

const or = (a: Protection, b: Protection): Protection => {
  const retriedBy = a.retriedBy ?? b.retriedBy;
  return { retry: a.retry || b.retry, breaker: a.breaker || b.breaker, ...(retriedBy ? { retriedBy } : {}) };
};
/** The same protection, saying what retries. */
const by = (p: Protection, what: string): Protection => (p.retry ? { ...p, retriedBy: what } : p);

/** A user's own policy module, e.g. ./resilience/policies. */
const POLICY_MODULE = /polic|resilien/i;
/** Retry helpers whose first argument is the function to retry. */
const RETRY_WRAPPERS: Record<string, string | null> = {
  'p-retry': null,
  'async-retry': null,
  'promise-retry': null,
  'exponential-backoff': 'backOff',
  'ts-retry-promise': 'retry',
};

/** What a name says about a policy or wrapper: `paymentsPolicy`, `withRetry`, `breaker`. */
function byName(name: string | undefined): Protection | null {
  if (!name) return null;
  if (/polic|resilien/i.test(name)) return by(BOTH, name);
  if (/retr(y|ies)|backoff/i.test(name)) return by(RETRY, name);
  if (/breaker|circuit/i.test(name)) return BREAKER;
  return null;
}

/** Callee member names from the outside in, and the root identifier: `Policy.handleAll().retry()` -> retry, handleAll, Policy. */
function callChain(node: Node): { root: string | null; names: string[]; calls: Node[] } {
  const names: string[] = [];
  const calls: Node[] = [];
  let n: Node | null = unwrap(node);
  while (n) {
    if (n.type === 'CallExpression') {
      calls.push(n);
      n = unwrap(n.callee);
    } else if (n.type === 'MemberExpression' && !n.computed && n.property.type === 'Identifier') {
      names.push(n.property.name);
      n = unwrap(n.object);
    } else break;
  }
  return { root: n && n.type === 'Identifier' ? n.name : null, names, calls };
}

/**
 * Answers, per call site, whether a retry and a breaker guard it: built into the client (AWS SDK,
 * got, ky, axios-retry), or lexically inside a function handed to a policy or retry helper, or
 * inside a named function that is.
 */
export interface ProtectionAnalyzer {
  (call: DependencyCall): Protection;
  /** what guards code at a place (the functions around it handed to policies or wrappers) */
  at(path: NodePath): Protection;
  /** what a call or `new` applies to the functions passed to it (`new CircuitBreaker(fn)`) */
  wrapper(node: Node, at: NodePath): Protection;
}

export function protectionAnalyzer(m: DependencyModel, analysis: DependencyAnalysis): ProtectionAnalyzer {
  /** The policies a value used as `<value>.execute(fn)` applies. */
  const policyOf = (node: Node, at: NodePath, depth = 0): Protection => {
    const v = resolveValue(m, node, at);
    if (!v || depth > 4) return BOTH;
    if (v.type === 'CallExpression') {
      const { root, names, calls } = callChain(v);
      const rootImport = root ? importAt(m, root, at) : undefined;
      const all = [...names, ...(rootImport && !isWhole(rootImport) ? [rootImport.imported] : root ? [root] : [])];
      if (all.includes('policyFor')) return BOTH;
      if (rootImport && POLICY_MODULE.test(rootImport.source)) return BOTH;
      if (rootImport?.source === 'cockatiel') {
        const wrapIndex = all.indexOf('wrap');
        if (wrapIndex >= 0) {
          const wrapCall = calls[Math.min(wrapIndex, calls.length - 1)] as Node & { arguments: Node[] };
          return wrapCall.arguments.reduce<Protection>((acc, a) => or(acc, policyOf(a, at, depth + 1)), NONE);
        }
        return by({ retry: all.includes('retry'), breaker: all.includes('circuitBreaker') }, 'a cockatiel retry');
      }
      // createPolicy('x'), this.policies.get('x'), makeRetry()
      for (const n of [...names, ...(root ? [root] : [])]) {
        const p = byName(n);
        if (p) return p;
      }
      return NONE;
    }
    if (v.type === 'NewExpression') return byName(memberChain(v.callee)?.at(-1)) ?? NONE;
    const chain = memberChain(v);
    if (chain) {
      const imp = importAt(m, chain[0]!, at);
      if (imp && POLICY_MODULE.test(imp.source)) return BOTH;
      return byName(chain[chain.length - 1]) ?? byName(chain[0]) ?? NONE;
    }
    return NONE;
  };

  /** The policies a call or `new` applies to the functions passed to it. */
  const wrapperOf = (wrapper: Node, at: NodePath): Protection => {
    if (wrapper.type !== 'CallExpression' && wrapper.type !== 'NewExpression') return NONE;
    const callee = unwrap(wrapper.callee);
    if (!callee) return NONE;
    if (
      wrapper.type === 'CallExpression' &&
      callee.type === 'MemberExpression' &&
      !callee.computed &&
      callee.property.type === 'Identifier' &&
      callee.property.name === 'execute'
    ) {
      return policyOf(callee.object, at);
    }
    const chain = memberChain(callee);
    if (!chain) return NONE;
    const imp = importAt(m, chain[0]!, at);
    if (imp) {
      if (imp.source === 'opossum' || imp.source === 'brakes') return BREAKER;
      if (POLICY_MODULE.test(imp.source)) return BOTH;
      const wanted = RETRY_WRAPPERS[imp.source];
      if (wanted !== undefined) {
        const name = chain.length === 1 ? imp.imported : chain[1]!;
        if (wanted === null ? isWhole(imp) && chain.length === 1 : name === wanted) return by(RETRY, imp.source);
      }
    }
    // helpers named for what they do: withRetry(fn), breaker.run(fn), retryable(fn)
    return byName(chain[chain.length - 1]) ?? (chain.length > 1 ? byName(chain[0]) : null) ?? NONE;
  };

  const fnName = (fn: NodePath): string | null => {
    const n = fn.node as Node & { id?: { name: string } | null; key?: Node; computed?: boolean };
    if (n.type === 'FunctionDeclaration' && n.id) return n.id.name;
    if ((n.type === 'ClassMethod' || n.type === 'ObjectMethod' || n.type === 'ClassPrivateMethod') && n.key)
      return keyName(n);
    const p = fn.parent?.node;
    if (p?.type === 'VariableDeclarator' && p.id.type === 'Identifier') return p.id.name;
    if ((p?.type === 'ClassProperty' || p?.type === 'ObjectProperty') && fn.key === 'value') return keyName(p);
    return null;
  };

  /** A reference to the named function: `name`, `this.name`, `name.bind(...)`; a method by any receiver. */
  const refersTo = (arg: Node | undefined, name: string, method: boolean): boolean => {
    let a = unwrap(arg);
    if (a && a.type === 'CallExpression') {
      const c = memberChain(a.callee);
      if (c && c[c.length - 1] === 'bind') a = unwrap((a.callee as { object: Node }).object);
    }
    const chain = memberChain(a);
    return (
      !!chain &&
      chain[chain.length - 1] === name &&
      (method || chain.length === 1 || (chain.length === 2 && chain[0] === 'this'))
    );
  };

  const byFunctionName = new Map<string, Protection>();
  /** The last name a reference ends in (`name`, `this.name`, `x.name`, `name.bind(...)`), as refersTo reads it. */
  const lastNameOf = (arg: Node | undefined): string | undefined => {
    let a = unwrap(arg);
    if (a && a.type === 'CallExpression') {
      const c = memberChain(a.callee);
      if (c && c[c.length - 1] === 'bind') a = unwrap((a.callee as { object: Node }).object);
    }
    const chain = memberChain(a);
    return chain ? chain[chain.length - 1] : undefined;
  };
  /**
   * The calls and `new`s whose callee or an argument ends in a name, in file order: built once,
   * so that looking up every named function stays linear in the file (a scan of every call per
   * name was quadratic in large generated clients).
   */
  let byLastName: Map<string, NodePath[]> | null = null;
  const candidatesFor = (name: string): NodePath[] => {
    if (!byLastName) {
      byLastName = new Map();
      for (const w of [...m.calls, ...m.news]) {
        const names = new Set<string>();
        for (const a of (w.node as { arguments: Node[] }).arguments) {
          const n = lastNameOf(a);
          if (n !== undefined) names.add(n);
        }
        const c = lastNameOf((w.node as { callee: Node }).callee);
        if (c !== undefined) names.add(c);
        for (const n of names) {
          const list = byLastName.get(n) ?? [];
          list.push(w);
          byLastName.set(n, list);
        }
      }
    }
    return byLastName.get(name) ?? [];
  };
  /** Guards for a named function: passed to a wrapper, or called from a function passed to one. */
  const namedProtection = (name: string, method: boolean): Protection => {
    const known = byFunctionName.get(`${method}:${name}`);
    if (known) return known;
    let acc = NONE;
    for (const w of candidatesFor(name)) {
      const args = (w.node as { arguments: Node[] }).arguments;
      if (args.some((a) => refersTo(a, name, method))) acc = or(acc, wrapperOf(w.node, w));
      if (refersTo((w.node as { callee: Node }).callee, name, method)) {
        for (let p = w.parent; p; p = p.parent) {
          if (!isFunctionNode(p.node)) continue;
          if (p.parent && p.key === 'arguments') acc = or(acc, wrapperOf(p.parent.node, p.parent));
        }
      }
    }
    byFunctionName.set(`${method}:${name}`, acc);
    return acc;
  };

  const lexical = (path: NodePath): Protection => {
    let acc = NONE;
    for (let p = path.parent; p; p = p.parent) {
      if (!isFunctionNode(p.node)) continue;
      if (p.parent && p.key === 'arguments') acc = or(acc, wrapperOf(p.parent.node, p.parent));
      const name = fnName(p);
      if (name)
        acc = or(
          acc,
          namedProtection(
            name,
            p.node.type === 'ClassMethod' || p.node.type === 'ObjectMethod' || p.node.type === 'ClassPrivateMethod',
          ),
        );
      if (acc.retry && acc.breaker) break;
    }
    return acc;
  };

  // axios-retry / retry-axios attach retries to an axios instance (or the default one)
  const retried = new Set<DependencyInstance | 'default'>();
  for (const c of m.calls) {
    const node = c.node as { callee: Node; arguments: Node[] };
    const chain = memberChain(node.callee);
    const imp = chain ? importAt(m, chain[0]!, c) : undefined;
    const isAxiosRetry = imp?.source === 'axios-retry' && chain!.length === 1;
    const isRax = imp?.source === 'retry-axios' && chain![chain!.length - 1] === 'attach';
    if (!isAxiosRetry && !isRax) continue;
    const target = node.arguments[0];
    const targetChain = target ? memberChain(target) : null;
    if (!target || (targetChain?.length === 1 && importAt(m, targetChain[0]!, c)?.source === 'axios'))
      retried.add('default');
    else {
      const inst = analysis.instanceAt(target, c);
      if (inst) retried.add(inst);
    }
  }

  const builtIn = (call: DependencyCall): Protection => {
    if (call.client === 'aws-sdk') return by(RETRY, "the AWS SDK client's own retries");
    if (call.spec?.retries) return by(RETRY, call.spec.retries);
    const chained = call.spec?.requests?.chainedRetry;
    if (chained && chainedCall(call, chained)) return by(RETRY, `${call.spec!.name}'s .${chained}()`);
    if (call.client === 'got' || call.client === 'ky') return by(RETRY, `${call.client}'s own retries`);
    if (call.client === 'axios') {
      for (let i = call.instance; i; i = i.base) if (retried.has(i)) return by(RETRY, 'axios-retry');
      if (!call.instance && retried.has('default')) return by(RETRY, 'axios-retry');
    }
    return NONE;
  };

  const analyzer = (call: DependencyCall): Protection =>
    or(or(builtIn(call), lexical(call.path)), insideRetryLoop(call.path) ? by(RETRY, HAND_WRITTEN_LOOP) : NONE);
  return Object.assign(analyzer, { at: lexical, wrapper: wrapperOf });
}
