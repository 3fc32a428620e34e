import type { CallExpression, NewExpression, Node } from '@babel/types';
import { ctorName, walk } from './cdk-ast';

/**
 * Constructs made by a helper of the same file: `createQueue(name) { return new sqs.Queue(this,
 * name, {...}) }` or `const makeFn = (scope, id) => new lambda.Function(scope, id, {...})`. Each
 * call with a literal id (`this.createQueue('Orders')`) is one construct, reported at the call,
 * and read from the helper's `new` expression.
 */
export interface HelperTemplate {
  helper: string;
  ctor: string;
  node: NewExpression;
  /** the helper parameter the construct id comes from, and the id built from its value */
  paramIndex: number;
  idOf: (value: string) => string;
  /** the helper returns this construct (a binding of the call's result is bound to it) */
  returned: boolean;
}

type Fn = Extract<Node, { params: unknown[] }>;

function functionName(fn: Node, parent: Node | undefined): string | null {
  if ((fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression') && fn.id) return fn.id.name;
  if (
    (fn.type === 'ClassMethod' || fn.type === 'ObjectMethod' || fn.type === 'ClassPrivateMethod') &&
    fn.key.type === 'Identifier'
  )
    return fn.key.name;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  if (parent?.type === 'ClassProperty' && parent.key.type === 'Identifier') return parent.key.name;
  return null;
}

function paramNames(fn: Fn): string[] {
  return (fn.params as Node[]).map((p) =>
    p.type === 'Identifier'
      ? p.name
      : p.type === 'TSParameterProperty' && p.parameter.type === 'Identifier'
        ? p.parameter.name
        : p.type === 'AssignmentPattern' && p.left.type === 'Identifier'
          ? p.left.name
          : '',
  );
}

/** the id argument as a function of one parameter: `id`, `` `${name}Queue` `` */
function idTemplate(
  arg: Node | undefined,
  params: string[],
): { paramIndex: number; idOf: (v: string) => string } | null {
  if (arg?.type === 'Identifier') {
    const i = params.indexOf(arg.name);
    return i >= 0 ? { paramIndex: i, idOf: (v) => v } : null;
  }
  if (arg?.type === 'TemplateLiteral' && arg.expressions.length === 1 && arg.expressions[0]!.type === 'Identifier') {
    const i = params.indexOf(arg.expressions[0]!.name);
    const [head, tail] = arg.quasis.map((q) => q.value.cooked ?? '');
    return i >= 0 ? { paramIndex: i, idOf: (v) => `${head}${v}${tail ?? ''}` } : null;
  }
  return null;
}

const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ClassMethod',
  'ClassPrivateMethod',
  'ObjectMethod',
]);

export function helperTemplates(program: Node, ctors: ReadonlySet<string>): Map<string, HelperTemplate[]> {
  const out = new Map<string, HelperTemplate[]>();
  walk(program, (n, ancestors) => {
    if (n.type !== 'NewExpression') return;
    const ctor = ctorName(n.callee);
    if (!ctor || !ctors.has(ctor)) return;
    const at = ancestors
      .map((a, i) => [a, i] as const)
      .reverse()
      .find(([a]) => FUNCTION_TYPES.has(a.type));
    if (!at) return;
    const [fn, i] = at;
    const name = functionName(fn, ancestors[i - 1]);
    const template = name ? idTemplate(n.arguments[1] as Node | undefined, paramNames(fn as Fn)) : null;
    if (!name || !template) return;
    const parent = ancestors[ancestors.length - 1];
    const returned =
      parent?.type === 'ReturnStatement' ||
      parent === fn ||
      (parent?.type === 'VariableDeclarator' && returnsBinding(fn, parent));
    out.set(name, [...(out.get(name) ?? []), { helper: name, ctor, node: n, ...template, returned }]);
  });
  return out;
}

/** `const q = new Queue(...); ...; return q;` */
function returnsBinding(fn: Node, decl: Node): boolean {
  if (decl.type !== 'VariableDeclarator' || decl.id.type !== 'Identifier') return false;
  const name = decl.id.name;
  let found = false;
  walk(fn, (n) => {
    if (n.type === 'ReturnStatement' && n.argument?.type === 'Identifier' && n.argument.name === name) found = true;
  });
  return found;
}

/** `helper(...)`, `this.helper(...)`, `Stack.helper(...)` → `helper` */
export function calledHelper(call: CallExpression): string | null {
  const c = call.callee;
  if (c.type === 'Identifier') return c.name;
  if (c.type === 'MemberExpression' && c.property.type === 'Identifier' && !c.computed) return c.property.name;
  return null;
}

/**
 * Functions of a file that put a queue-depth alarm on one of their parameters:
 * `export function alarmOnDlq(scope, queue) { new Alarm(scope, 'A', { metric: queue.metricApproximateNumberOfMessagesVisible() }) }`.
 * Each entry names the function and the parameters the alarm watches.
 */
export function depthAlarmHelpers(program: Node): Array<{ name: string; params: number[] }> {
  const out: Array<{ name: string; params: number[] }> = [];
  walk(program, (n, ancestors) => {
    if (!FUNCTION_TYPES.has(n.type)) return;
    const name = functionName(n, ancestors[ancestors.length - 1]);
    if (!name) return;
    const params = paramNames(n as Fn);
    const watched = new Set<number>();
    walk(n, (m) => {
      if (
        m.type !== 'CallExpression' ||
        m.callee.type !== 'MemberExpression' ||
        m.callee.property.type !== 'Identifier'
      )
        return;
      if (m.callee.property.name !== 'metricApproximateNumberOfMessagesVisible') return;
      const obj = m.callee.object;
      const i = obj.type === 'Identifier' ? params.indexOf(obj.name) : -1;
      if (i >= 0) watched.add(i);
    });
    if (watched.size) out.push({ name, params: [...watched] });
  });
  return out;
}
