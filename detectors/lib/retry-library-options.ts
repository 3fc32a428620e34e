import type { CallExpression, NewExpression, Node, ObjectExpression } from '@babel/types';
import type { ImportIndex } from '../../src/parse/imports';
import type { ValueIndex } from './sleep-calls';
import { keyName } from './node-text';
import { unwrap } from './unwrap';

export type RetryLibrary = 'cockatiel' | 'p-retry' | 'async-retry' | 'axios-retry';

const RETRY_MODULES = new Set<string>(['cockatiel', 'p-retry', 'async-retry', 'axios-retry']);

export interface LibraryFinding {
  ruleId: 'retry-without-jitter' | 'retry-without-max';
  node: Node;
  form: RetryLibrary;
  message: string;
}

/** The module and export a callee refers to: `retry` → cockatiel#retry, `cockatiel.retry`, `pRetry` → p-retry#default. */
function resolveCallee(callee: Node, imports: ImportIndex): { source: string; imported: string } | null {
  const c = unwrap(callee, { await: true, void: true });
  if (c.type === 'Identifier') {
    const b = imports.byLocal.get(c.name);
    return b ? { source: b.source, imported: b.imported } : null;
  }
  if (
    c.type === 'MemberExpression' &&
    !c.computed &&
    c.object.type === 'Identifier' &&
    c.property.type === 'Identifier'
  ) {
    const b = imports.byLocal.get(c.object.name);
    if (b && (b.imported === '*' || b.imported === 'default')) return { source: b.source, imported: c.property.name };
  }
  return null;
}

function optionsObject(arg: Node | undefined, values: ValueIndex): ObjectExpression | null {
  if (!arg) return null;
  const a = unwrap(arg, { await: true, void: true });
  if (a.type === 'ObjectExpression') return a;
  if (a.type === 'Identifier') {
    const defs = values.get(a.name) ?? [];
    const only = defs.length === 1 ? unwrap(defs[0]!, { await: true, void: true }) : null;
    return only && only.type === 'ObjectExpression' ? only : null;
  }
  return null;
}

function property(obj: ObjectExpression, key: string): Node | null {
  for (const p of obj.properties) if (p.type === 'ObjectProperty' && keyName(p) === key) return p;
  return null;
}

function valueOf(prop: Node): Node {
  return prop.type === 'ObjectProperty' ? unwrap(prop.value, { await: true, void: true }) : prop;
}

function isInfinite(value: Node): boolean {
  if (value.type === 'Identifier') return value.name === 'Infinity';
  return (
    value.type === 'MemberExpression' &&
    !value.computed &&
    value.object.type === 'Identifier' &&
    value.object.name === 'Number' &&
    value.property.type === 'Identifier' &&
    ['POSITIVE_INFINITY', 'MAX_SAFE_INTEGER', 'MAX_VALUE'].includes(value.property.name)
  );
}

const isFalse = (v: Node): boolean => v.type === 'BooleanLiteral' && !v.value;
const isTrue = (v: Node): boolean => v.type === 'BooleanLiteral' && v.value;
const hasSpread = (o: ObjectExpression): boolean => o.properties.some((p) => p.type === 'SpreadElement');

function cockatielRetry(call: CallExpression, values: ValueIndex): LibraryFinding[] {
  const out: LibraryFinding[] = [];
  const opts = optionsObject(call.arguments[1], values);
  if (call.arguments[1] && !opts) return out;
  const max = opts ? property(opts, 'maxAttempts') : null;
  if (max && isInfinite(valueOf(max))) {
    out.push({
      ruleId: 'retry-without-max',
      node: max,
      form: 'cockatiel',
      message: 'cockatiel retry() is configured with maxAttempts: Infinity',
    });
  } else if (!max && !(opts && hasSpread(opts))) {
    out.push({
      ruleId: 'retry-without-max',
      node: call,
      form: 'cockatiel',
      message: 'cockatiel retry() has no maxAttempts, so it retries forever',
    });
  }
  if (!(opts && (property(opts, 'backoff') || hasSpread(opts)))) {
    out.push({
      ruleId: 'retry-without-jitter',
      node: call,
      form: 'cockatiel',
      message: 'cockatiel retry() has no backoff, so it retries immediately with no jitter',
    });
  }
  return out;
}

function promiseRetryOptions(opts: ObjectExpression | null, form: RetryLibrary): LibraryFinding[] {
  if (!opts) return [];
  const out: LibraryFinding[] = [];
  const retries = property(opts, 'retries');
  if (retries && isInfinite(valueOf(retries)))
    out.push({
      ruleId: 'retry-without-max',
      node: retries,
      form,
      message: `${form} is configured with retries: Infinity`,
    });
  const forever = property(opts, 'forever');
  if (forever && isTrue(valueOf(forever)))
    out.push({ ruleId: 'retry-without-max', node: forever, form, message: `${form} is configured to retry forever` });
  const randomize = form === 'axios-retry' ? null : property(opts, 'randomize');
  if (randomize && isFalse(valueOf(randomize)))
    out.push({
      ruleId: 'retry-without-jitter',
      node: randomize,
      form,
      message: `${form} is configured with randomize: false`,
    });
  return out;
}

/** Findings for a retry library call or backoff construction, judged from its literal options. */
export function libraryFindings(
  node: CallExpression | NewExpression,
  imports: ImportIndex,
  valuesOf: () => ValueIndex,
): LibraryFinding[] {
  const target = resolveCallee(node.callee, imports);
  if (!target || !RETRY_MODULES.has(target.source)) return [];
  const values = valuesOf();
  const { source, imported } = target;
  if (source === 'cockatiel') {
    if (node.type === 'CallExpression' && imported === 'retry') return cockatielRetry(node, values);
    if (node.type !== 'NewExpression') return [];
    if (imported === 'ConstantBackoff' || imported === 'IterableBackoff') {
      return [
        {
          ruleId: 'retry-without-jitter',
          node,
          form: 'cockatiel',
          message: `cockatiel ${imported} waits fixed delays with no jitter`,
        },
      ];
    }
    const opts = imported === 'ExponentialBackoff' ? optionsObject(node.arguments[0], values) : null;
    const generator = opts ? property(opts, 'generator') : null;
    const g = generator ? valueOf(generator) : null;
    const named =
      g &&
      (g.type === 'Identifier'
        ? (imports.byLocal.get(g.name)?.imported ?? g.name)
        : g.type === 'MemberExpression' && g.property.type === 'Identifier'
          ? g.property.name
          : null);
    if (generator && named === 'noJitterGenerator') {
      return [
        {
          ruleId: 'retry-without-jitter',
          node: generator,
          form: 'cockatiel',
          message: 'cockatiel ExponentialBackoff uses noJitterGenerator',
        },
      ];
    }
    return [];
  }
  if (node.type !== 'CallExpression' || !['default', '*'].includes(imported)) return [];
  if (source === 'p-retry' || source === 'async-retry' || source === 'axios-retry') {
    return promiseRetryOptions(optionsObject(node.arguments[1], values), source);
  }
  return [];
}
