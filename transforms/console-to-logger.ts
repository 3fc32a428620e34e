import { lookupScope } from './lib/scope-lookup';
/**
 * console-to-logger (catalog rule `unstructured-logging`): console.log/info/warn/error/debug/trace
 * become calls of the package's Powertools logger (generated `resilience/logger`), with
 * interpolated values moved out of the message into attributes.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { replaceInPlace } from './lib/code-splice';
import { ensureNamedImports, isTopLevelName, preferredQuote } from './lib/imports';
import { mapLogArguments } from './lib/log-arguments';
import { isUnboundGlobal } from './lib/module-bindings';
import { isSelected, toJscodeshiftTransform } from './lib/transform-api';
import type { FixContext, FixStep } from '../src/api/fix-context';
import type { FixStepMeta } from '../src/api/step-metadata';

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

const LEVELS: Record<string, string> = {
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
  debug: 'debug',
  trace: 'debug',
};
/** What a catch handler logs is a failure: `console.log` there becomes `logger.error` (a `warn` stays a warning). */
const FAILURE_LEVELS = new Set(['log', 'info', 'debug', 'trace']);

/** Whether the call runs in a catch handler: a `catch` clause, or a `.catch(...)` / `.then(_, failed)` callback, within its own function. */
function insideCatchHandler(path: ASTPath): boolean {
  for (let p = path.parentPath as ASTPath | null; p; p = p.parentPath as ASTPath | null) {
    const node = p.node as AnyNode;
    if (node.type === 'CatchClause') return true;
    if (/Function/.test(node.type) && node.type !== 'FunctionDeclaration') {
      const call = p.parentPath?.node as AnyNode;
      if (
        !call ||
        call.type !== 'CallExpression' ||
        call.callee.type !== 'MemberExpression' ||
        call.callee.property.type !== 'Identifier'
      )
        return false;
      const name = call.callee.property.name;
      return (name === 'catch' && call.arguments[0] === node) || (name === 'then' && call.arguments[1] === node);
    }
    if (/Function/.test(node.type)) return false;
  }
  return false;
}
const GENERATED_LOGGER = /(^|\/)resilience\/logger(\.[cm]?js)?$/;

/** The method of a `console.<method>` member, when it is the global console. */
function consoleMethod(path: ASTPath): string | null {
  const node = path.node as AnyNode;
  if (
    node.computed ||
    node.object.type !== 'Identifier' ||
    node.object.name !== 'console' ||
    node.property.type !== 'Identifier'
  )
    return null;
  if (!Object.hasOwn(LEVELS, node.property.name) || !isUnboundGlobal(path, 'console')) return null;
  return node.property.name;
}

/** Whether the file's top-level `logger` is the generated one (imported or required from resilience/logger). */
function importsGeneratedLogger(j: JSCodeshift, root: Collection): boolean {
  const fromImport = root
    .find(j.ImportDeclaration)
    .some(
      (p) =>
        GENERATED_LOGGER.test(String(p.node.source.value)) &&
        (p.node.specifiers ?? []).some((s) => s.local?.name === 'logger'),
    );
  const fromRequire = root.find(j.CallExpression, { callee: { type: 'Identifier', name: 'require' } }).some((p) => {
    const arg = p.node.arguments[0] as AnyNode;
    return arg?.type === 'StringLiteral' && GENERATED_LOGGER.test(arg.value);
  });
  return fromImport || fromRequire;
}

/** `catch (err)` without a type: TypeScript (strict) types `err` as unknown, the logger wants an Error. */
function catchParamCast(path: ASTPath, typescript: boolean) {
  return (node: AnyNode): string => {
    if (!typescript || node.type !== 'Identifier') return '';
    for (let p: ASTPath | null = path; p; p = p.parentPath as ASTPath | null) {
      const n = p.node as AnyNode;
      if (n.type === 'CatchClause' && n.param?.type === 'Identifier' && n.param.name === node.name) {
        const annotation = n.param.typeAnnotation?.typeAnnotation?.type;
        return annotation === undefined || annotation === 'TSUnknownKeyword' ? ' as Error' : '';
      }
      if (
        /Function/.test(n.type) &&
        (n.params ?? []).some((q: AnyNode) => q.type === 'Identifier' && q.name === node.name)
      )
        return '';
    }
    return '';
  };
}

export const step: FixStepMeta = {
  name: 'console-to-logger',
  phase: '4.3',
  fixes: ['unstructured-logging'],
  requires: [],
  // last of phase 4.3 (the established order): it converts the console calls where the other rewrites left them
  runsAfter: ['idempotent-handler'],
};

export const fix: FixStep = (ctx: FixContext) => {
  const { j, root, file } = ctx;
  const typescript = /\.[cm]?tsx?$/.test(file);
  const candidates: Array<{ path: ASTPath; method: string }> = [];
  root.find(j.MemberExpression).forEach((path) => {
    const method = consoleMethod(path);
    if (method && isSelected(ctx, path.node as AnyNode)) candidates.push({ path, method });
  });
  if (candidates.length === 0) return false;
  if (isTopLevelName(j, root, 'logger') && !importsGeneratedLogger(j, root)) {
    for (const c of candidates)
      ctx.skip((c.path.node as AnyNode).loc?.start.line ?? 0, 'the file already has a different `logger`');
    return false;
  }

  const quote = preferredQuote(j, root);
  const rewrites: Array<{ call: AnyNode; args: string[]; level: string }> = [];
  for (const { path, method } of candidates) {
    const line = (path.node as AnyNode).loc?.start.line ?? 0;
    const parent = path.parentPath?.node as AnyNode;
    if (!parent || parent.type !== 'CallExpression' || parent.callee !== path.node) {
      ctx.skip(line, `console.${method} is passed as a value, not called`);
      continue;
    }
    const loggerScope = lookupScope(path, 'logger');
    if (loggerScope && !loggerScope.isGlobal) {
      ctx.skip(line, 'a local `logger` hides the module logger here');
      continue;
    }
    const mapped = mapLogArguments(j, parent.arguments, { quote, errorCast: catchParamCast(path, typescript) });
    if ('skip' in mapped) ctx.skip(line, mapped.skip);
    else
      rewrites.push({
        call: parent,
        args: mapped.args,
        level: FAILURE_LEVELS.has(method) && insideCatchHandler(path) ? 'error' : LEVELS[method]!,
      });
  }
  if (rewrites.length === 0) return false;

  const { logger } = ensureNamedImports(j, root, file, ctx.useModule('logger'), ['logger']);
  // last first: rewriting a call re-parses its text, which replaces the calls nested in it
  rewrites.sort((a, b) => (b.call.start ?? 0) - (a.call.start ?? 0));
  for (const r of rewrites) {
    if (!replaceInPlace(j, r.call, `${logger}.${r.level}(${r.args.join(', ')})`))
      ctx.skip(r.call.loc?.start.line ?? 0, 'the arguments do not parse on their own');
  }
  ctx.addDependency('@aws-lambda-powertools/logger', '^2.0.0');
  return true;
};

export default toJscodeshiftTransform(fix);
