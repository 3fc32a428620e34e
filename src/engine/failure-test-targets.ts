import type { Node } from '@babel/types';
import { fileFunctions } from '../../detectors/lib/function-refs';
import { forEachDescendant } from '../../detectors/lib/descendants';
import { literalText, propertyName } from '../../detectors/lib/node-text';
import { languageOf } from '../parse/parse-options';
import { parseSource } from '../parse/parse-source';
import { walk, isFunctionNode, type NodePath } from '../parse/walk';

/*
 * What a failure-mode test needs to fail a wrapped dependency call at its transport: the
 * service's own exported function that makes the call (and sample arguments for it), the
 * environment variable its base URL comes from (so that the test points it at a local fake),
 * the HTTP method and whether an idempotency key is sent. Read from the fixed file, where the
 * policy wrap is in its final form.
 */

export type SampleKind = 'string' | 'number' | 'boolean' | 'other';

export interface FailureTestTarget {
  /** the policy key, as passed to policyFor */
  key: string;
  /** the exported function that makes the call */
  exportName: string;
  /** one sample argument per parameter */
  params: SampleKind[];
  method: string;
  /** an Idempotency-Key header (or a library's key option) goes with the request */
  idempotencyKey: boolean;
  /** the environment variable the base URL is read from */
  envVar: string;
  line: number;
  /** the per-call options written at the call site (`policyFor(key, { idempotent: false })`), which the test's expectations follow */
  callOptions: CallOptions;
}

/** The literal options of a `policyFor(key, {...})` call site (see the generated policies module's CallOptions). */
export interface CallOptions {
  idempotent?: boolean;
  retry?: boolean;
  maxAttempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/** A call the test cannot fail at the transport, and why (the dependency's policy is tested on its own then). */
export interface UntestableCall {
  key: string;
  line: number;
  reason: string;
}

const URL_ENV = /(URL|URI|ENDPOINT|HOST|BASE|ADDRESS|API)$/i;
const LOOPS = new Set(['ForStatement', 'ForOfStatement', 'ForInStatement', 'WhileStatement', 'DoWhileStatement']);
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

function envName(node: Node): string | null {
  if (node.type !== 'MemberExpression' && node.type !== 'OptionalMemberExpression') return null;
  const obj = node.object;
  const isEnv =
    (obj.type === 'MemberExpression' || obj.type === 'OptionalMemberExpression') &&
    obj.object.type === 'Identifier' &&
    obj.object.name === 'process' &&
    propertyName(obj) === 'env';
  const name = isEnv ? propertyName(node) : null;
  return name && URL_ENV.test(name) ? name : null;
}

/** The URL environment variable read anywhere under a node. */
function envUnder(node: Node): string | null {
  let found: string | null = null;
  forEachDescendant(node, (n) => {
    if (found) return false;
    found = envName(n);
    return !found;
  });
  return found;
}

function sampleKind(param: Node): SampleKind {
  const p = param.type === 'AssignmentPattern' ? param.left : param;
  const annotation = (p as Node & { typeAnnotation?: { typeAnnotation?: Node } | null }).typeAnnotation?.typeAnnotation;
  if (annotation?.type === 'TSStringKeyword') return 'string';
  if (annotation?.type === 'TSNumberKeyword') return 'number';
  if (annotation?.type === 'TSBooleanKeyword') return 'boolean';
  if (!annotation && p.type === 'Identifier' && /(id|name|key|code|sku|slug|token|email)$/i.test(p.name))
    return 'string';
  return annotation ? 'other' : 'string';
}

/** The HTTP method and idempotency key of the request made in the policy callback. */
function requestOf(callback: Node): { method: string; idempotencyKey: boolean } {
  let method = 'GET';
  let idempotencyKey = false;
  let seenCall = false;
  forEachDescendant(callback, (n) => {
    if (n.type === 'ObjectProperty') {
      const key = n.key.type === 'Identifier' ? n.key.name : literalText(n.key);
      if (key && /^idempotency-?key$/i.test(key)) idempotencyKey = true;
      if (key === 'method' && literalText(n.value)) method = literalText(n.value)!.toUpperCase();
    }
    if (!seenCall && (n.type === 'CallExpression' || n.type === 'OptionalCallExpression')) {
      const name = n.callee.type === 'MemberExpression' ? propertyName(n.callee) : null;
      if (name && HTTP_METHODS.has(name)) {
        method = name.toUpperCase();
        seenCall = true;
      } else if (n.callee.type === 'Identifier' && n.callee.name === 'fetch') seenCall = true;
    }
  });
  return { method, idempotencyKey };
}

/** The boolean and number literals of a call site's options object. */
function callOptionsOf(node: Node | undefined): CallOptions {
  const out: Record<string, boolean | number> = {};
  if (node?.type !== 'ObjectExpression') return out;
  for (const prop of node.properties) {
    if (prop.type !== 'ObjectProperty' || prop.computed) continue;
    const name = prop.key.type === 'Identifier' ? prop.key.name : literalText(prop.key);
    if (!name) continue;
    if (prop.value.type === 'BooleanLiteral' || prop.value.type === 'NumericLiteral') out[name] = prop.value.value;
  }
  return out as CallOptions;
}

/** The wrapped calls of a fixed file that a test can fail at the transport, and the others with the reason. */
export function failureTestTargets(
  text: string,
  file: string,
  keys: Set<string>,
): { targets: FailureTestTarget[]; untestable: UntestableCall[] } {
  const out = { targets: [] as FailureTestTarget[], untestable: [] as UntestableCall[] };
  const parsed = parseSource(text, languageOf(file) ?? 'tsx');
  if (!parsed.ok) return out;
  const program = parsed.ast.program;
  const functions = fileFunctions(program, null);
  // top-level names whose value reads a URL variable: `const payments = axios.create({ baseURL: process.env.PAYMENTS_URL })`
  const envOfName = new Map<string, string>();
  for (const stmt of program.body) {
    const decl = stmt.type === 'ExportNamedDeclaration' && stmt.declaration ? stmt.declaration : stmt;
    if (decl.type !== 'VariableDeclaration') continue;
    for (const d of decl.declarations) {
      const env = d.init ? envUnder(d.init) : null;
      if (d.id.type === 'Identifier' && env) envOfName.set(d.id.name, env);
    }
  }
  walk(program, [
    {
      CallExpression(path: NodePath) {
        const call = path.node as Node & { callee: Node; arguments: Node[] };
        if (call.callee.type !== 'MemberExpression' || propertyName(call.callee) !== 'execute') return;
        const policy = call.callee.object;
        if (
          policy.type !== 'CallExpression' ||
          policy.callee.type !== 'Identifier' ||
          policy.callee.name !== 'policyFor'
        )
          return;
        const key = literalText(policy.arguments[0] as Node);
        if (!key || !keys.has(key)) return;
        const line = call.loc?.start.line ?? 0;
        const leave = (reason: string): void => {
          out.untestable.push({ key, line, reason });
        };
        let fnPath: NodePath | null = null;
        for (let p = path.parent; p && !fnPath; p = p.parent) {
          if (LOOPS.has(p.node.type))
            return leave('the call sits in a hand-written retry loop, which the test would run as well');
          if (isFunctionNode(p.node)) fnPath = p;
        }
        const fn = fnPath?.node;
        const exportName = fn ? functions.exports.get(fn)?.[0] : undefined;
        if (!fn || !exportName)
          return leave('no exported function of the module makes the call, so a test cannot call it');
        const callback = call.arguments[0];
        if (!callback) return leave('the policy runs no callback');
        let env = envUnder(callback);
        if (!env) {
          forEachDescendant(callback, (n) => {
            if (env) return false;
            if (n.type === 'Identifier' && envOfName.has(n.name)) env = envOfName.get(n.name)!;
            return !env;
          });
        }
        if (!env)
          return leave('its URL is not read from an environment variable, so a test cannot point it at a local fake');
        out.targets.push({
          key,
          exportName,
          line,
          envVar: env,
          params: (fn as Node & { params: Node[] }).params.map(sampleKind),
          callOptions: callOptionsOf(policy.arguments[1] as Node | undefined),
          ...requestOf(callback),
        });
      },
    },
  ]);
  return out;
}
