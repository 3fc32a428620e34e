import type { Node, Program } from '@babel/types';
import { isFunctionNode } from '../../src/parse/walk';
import { isModuleExports, keyName, propertyName, typeRefName } from './node-text';
import { unwrap } from './unwrap';

export type Trigger =
  'http' | 'sqs' | 'sns' | 'eventbridge' | 'kinesis' | 'dynamodb-stream' | 's3' | 'schedule' | 'unknown';

/** An exported function found at its export site. */
export interface ExportedFunction {
  exportName: string;
  /** the export statement, declarator, assignment or property: where the handler is reported */
  site: Node;
  /** the function itself, once wrappers such as middy(fn) are looked through */
  fn: Node | null;
  /** type annotation on the exported binding (`export const handler: SQSHandler = ...`) */
  bindingType: Node | null;
}

const TYPE_TRIGGERS: ReadonlyArray<[RegExp, Trigger]> = [
  [/^SQS(Event|Handler|Record|BatchResponse)$/, 'sqs'],
  [/^SNS(Event|Handler|EventRecord)$/, 'sns'],
  [/^Scheduled(Event|Handler)$/, 'schedule'],
  [/^EventBridge(Event|Handler)$/, 'eventbridge'],
  [/^KinesisStream(Event|Handler|Record)$/, 'kinesis'],
  [/^DynamoDBStream(Event|Handler)$/, 'dynamodb-stream'],
  [/^S3(Event|Handler)$/, 's3'],
  [/^(APIGateway\w*|ALB(Event|Handler)|LambdaFunctionURL(Event|Handler))$/, 'http'],
];

/** The trigger a type annotation names; generic `Handler<SQSEvent>` looks at its first type argument. */
export function triggerOfType(annotation: Node | null | undefined): Trigger | null {
  if (!annotation) return null;
  const type = annotation.type === 'TSTypeAnnotation' ? annotation.typeAnnotation : annotation;
  const name = typeRefName(type);
  if (!name) return null;
  for (const [re, trigger] of TYPE_TRIGGERS) if (re.test(name)) return trigger;
  if (name === 'Handler' && type.type === 'TSTypeReference') {
    const first = type.typeParameters?.params[0];
    return triggerOfType(first) ?? 'unknown';
  }
  return null;
}

/** The trigger the function's own signature names (first parameter type, then return type). */
export function triggerOfFunction(fn: Node | null): Trigger | null {
  if (!fn || !isFunctionNode(fn)) return null;
  const f = fn as Node & { params: Node[]; returnType?: Node | null };
  const param = f.params[0] as (Node & { typeAnnotation?: Node | null }) | undefined;
  const fromParam = triggerOfType(param?.typeAnnotation ?? null);
  if (fromParam) return fromParam;
  let ret: Node | null | undefined = f.returnType?.type === 'TSTypeAnnotation' ? f.returnType.typeAnnotation : null;
  if (ret?.type === 'TSTypeReference' && typeRefName(ret) === 'Promise') ret = ret.typeParameters?.params[0];
  const fromReturn = triggerOfType(ret);
  return fromReturn && fromReturn !== 'unknown' ? fromReturn : null;
}

/** Looks through wrappers (`middy(fn).use(x)`, `makeIdempotent(fn)`, `Sentry.wrapHandler(fn)`) to the function. */
export function resolveFunction(node: Node | null | undefined, locals: Map<string, Node>, depth = 0): Node | null {
  const n = unwrap(node, { await: true });
  if (!n || depth > 4) return null;
  if (isFunctionNode(n)) return n;
  if (n.type === 'Identifier') {
    const local = locals.get(n.name);
    return local && local !== n ? resolveFunction(local, locals, depth + 1) : null;
  }
  if (n.type === 'CallExpression') {
    for (const arg of n.arguments) {
      const fn = resolveFunction(arg, locals, depth + 1);
      if (fn) return fn;
    }
    if (n.callee.type === 'MemberExpression') return resolveFunction(n.callee.object, locals, depth + 1);
  }
  return null;
}

/** Top-level functions and `const x = ...` initializers, by name. */
export function topLevelBindings(program: Program): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const raw of program.body) {
    const stmt =
      (raw.type === 'ExportNamedDeclaration' || raw.type === 'ExportDefaultDeclaration') && raw.declaration
        ? raw.declaration
        : raw;
    if (stmt.type === 'FunctionDeclaration' && stmt.id) out.set(stmt.id.name, stmt);
    if (stmt.type === 'VariableDeclaration') {
      for (const d of stmt.declarations) if (d.id.type === 'Identifier' && d.init) out.set(d.id.name, d.init);
    }
  }
  return out;
}

function isExportsTarget(node: Node): string | null {
  // exports.x / module.exports.x
  if (node.type !== 'MemberExpression') return null;
  const name = propertyName(node);
  const obj = node.object;
  if (obj.type === 'Identifier' && obj.name === 'exports') return name;
  if (
    obj.type === 'MemberExpression' &&
    obj.object.type === 'Identifier' &&
    obj.object.name === 'module' &&
    propertyName(obj) === 'exports'
  )
    return name;
  return null;
}

/**
 * Every exported function of a module, ESM or CommonJS. Several detectors ask for the same
 * program in one traversal: computed once per program (a large CommonJS module exports hundreds).
 */
export function exportedFunctions(program: Program): readonly ExportedFunction[] {
  let found = EXPORTS_OF.get(program);
  if (!found) {
    found = findExportedFunctions(program);
    EXPORTS_OF.set(program, found);
  }
  return found;
}

const EXPORTS_OF = new WeakMap<Program, readonly ExportedFunction[]>();

function findExportedFunctions(program: Program): ExportedFunction[] {
  const locals = topLevelBindings(program);
  const bindingTypes = topLevelBindingTypes(program);
  const localBindingType = (name: string): Node | null => bindingTypes.get(name) ?? null;
  const out: ExportedFunction[] = [];
  const add = (
    exportName: string,
    site: Node,
    value: Node | null | undefined,
    bindingType: Node | null = null,
  ): void => {
    const fn = resolveFunction(value, locals);
    // `async (event) => {...} satisfies SQSHandler` carries its type on the expression
    const cast =
      value && (value.type === 'TSSatisfiesExpression' || value.type === 'TSAsExpression')
        ? value.typeAnnotation
        : null;
    const type = bindingType ?? cast;
    if (fn || type) out.push({ exportName, site, fn, bindingType: type });
  };
  for (const stmt of program.body) {
    if (stmt.type === 'ExportNamedDeclaration') {
      const decl = stmt.declaration;
      if (decl?.type === 'FunctionDeclaration' && decl.id) add(decl.id.name, stmt, decl);
      else if (decl?.type === 'VariableDeclaration') {
        for (const d of decl.declarations) {
          if (d.id.type === 'Identifier')
            add(d.id.name, d, d.init, (d.id.typeAnnotation as Node | null | undefined) ?? null);
        }
      } else if (!stmt.source) {
        for (const spec of stmt.specifiers) {
          if (spec.type !== 'ExportSpecifier') continue;
          const name = spec.exported.type === 'Identifier' ? spec.exported.name : spec.exported.value;
          add(name, spec, spec.local, localBindingType(spec.local.name));
        }
      }
    } else if (stmt.type === 'ExportDefaultDeclaration') {
      add('default', stmt, stmt.declaration as Node);
    } else if (stmt.type === 'ExpressionStatement' && stmt.expression.type === 'AssignmentExpression') {
      const { left, right } = stmt.expression;
      const name = isExportsTarget(left);
      if (name) add(name, stmt.expression, right, right.type === 'Identifier' ? localBindingType(right.name) : null);
      if (isModuleExports(left) && right.type === 'ObjectExpression') {
        for (const prop of right.properties) {
          const key = keyName(prop);
          if (!key) continue;
          const value =
            prop.type === 'ObjectMethod' ? prop : prop.type === 'ObjectProperty' ? (prop.value as Node) : null;
          add(key, prop, value, value?.type === 'Identifier' ? localBindingType(value.name) : null);
        }
      }
    }
  }
  return out;
}

/** The type annotations of top-level `const name: T = ...`, by name (the first declaration wins). */
function topLevelBindingTypes(program: Program): Map<string, Node | null> {
  const out = new Map<string, Node | null>();
  for (const raw of program.body) {
    const stmt = raw.type === 'ExportNamedDeclaration' && raw.declaration ? raw.declaration : raw;
    if (stmt.type !== 'VariableDeclaration') continue;
    for (const d of stmt.declarations) {
      if (d.id.type === 'Identifier' && !out.has(d.id.name))
        out.set(d.id.name, (d.id.typeAnnotation as Node | null | undefined) ?? null);
    }
  }
  return out;
}
