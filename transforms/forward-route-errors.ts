/**
 * forward-route-errors (catalog rule `unhandled-route-rejection`): an async Express 4 route
 * handler that awaits outside try/catch crashes the process when the awaited call rejects.
 * The handler's body goes into a try whose catch passes the failure to `next(err)`; in the
 * file that creates the app, an error handler registered after the routes answers 503 with
 * Retry-After when the failure is a dependency being down or failing (`isInfraFailure` of the
 * generated errors module) and leaves everything else to Express's own handler (500). A router
 * file's handlers reach whatever error handler its app has; the process stays up either way.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { detectAlone } from './lib/finding-facts';
import routeRejections from '../detectors/route-rejections';
import { identifierNames, importedLocal, isFunctionNode } from './lib/catch-helpers';
import { ensureNamedImports, isTopLevelName, parseStatement, preferredQuote } from './lib/imports';
import { ensureTypeImports } from './lib/type-imports';
import { toJscodeshiftTransform } from './lib/transform-api';
import type { FixContext, FixStep } from '../src/api/fix-context';
import type { FixStepMeta } from '../src/api/step-metadata';

// recast hands out loosely typed Babel nodes; shapes are checked at runtime
type AstNode = any;

const NEXT_NAMES = ['next', 'nextHandler', 'forwardError'];
const PATTERN_REASON = "the handler's third parameter is a pattern, not `next`: pass the failure to next(err) by hand";
const NAME_REASON =
  'no free name for the error or for `next` in this handler: add a try/catch that calls next(err) by hand';

interface RouteFinding {
  line: number;
  column: number;
  data?: Record<string, unknown>;
}

/** Where the route findings are: the engine's, or this file's own detection when run alone. */
function findingPositions(ctx: FixContext): RouteFinding[] {
  if (ctx.findings) return ctx.findings.map((f) => ({ line: f.line, column: f.column, data: f.data }));
  const detection = detectAlone(ctx.file, ctx.root.toSource(), [routeRejections]);
  return detection.findings.map((f) => ({ line: f.line, column: f.column, data: f.data }));
}

/** A Fastify/Koa app finding (the app answers failures with its default 500), not an Express handler. */
const appFramework = (f: RouteFinding): 'fastify' | 'koa' | null =>
  f.data?.framework === 'fastify' || f.data?.framework === 'koa' ? f.data.framework : null;

function expressLocal(j: JSCodeshift, root: Collection): string | null {
  return importedLocal(j, root, 'express', 'default') ?? defaultOrRequire(j, root);
}

/** `import express from 'express'`, `import * as express`, `const express = require('express')`. */
function defaultOrRequire(j: JSCodeshift, root: Collection): string | null {
  let local: string | null = null;
  root.find(j.ImportDeclaration, { source: { value: 'express' } }).forEach((p) => {
    for (const s of p.node.specifiers ?? [])
      if ((s.type === 'ImportDefaultSpecifier' || s.type === 'ImportNamespaceSpecifier') && s.local)
        local = String(s.local.name);
  });
  root.find(j.VariableDeclarator).forEach((p) => {
    const init: AstNode = p.node.init;
    if (
      p.node.id.type === 'Identifier' &&
      init?.type === 'CallExpression' &&
      init.callee.name === 'require' &&
      init.arguments[0]?.value === 'express'
    )
      local = p.node.id.name;
  });
  return local;
}

/** A type from express for a TypeScript annotation: through the default import when there is one. */
function expressType(ctx: FixContext, name: string): string {
  const { j, root } = ctx;
  const express = defaultOrRequire(j, root);
  if (express && root.find(j.ImportDeclaration, { source: { value: 'express' } }).size() > 0)
    return `${express}.${name}`;
  return ensureTypeImports(j, root, 'express', [name])[name]!;
}

const isTypeScript = (file: string): boolean => /\.[cm]?tsx?$/.test(file);

/** Whether the handler is typed by its position (an inline callback of the registration with unannotated parameters). */
function contextuallyTyped(fn: AstNode): boolean {
  return fn.type === 'ArrowFunctionExpression' || fn.type === 'FunctionExpression'
    ? fn.params.every((p: AstNode) => !p.typeAnnotation)
    : false;
}

/** The handler's `next` parameter, added (with `_req`/`_res` placeholders) when it has none. */
function nextParam(ctx: FixContext, fn: AstNode, used: Set<string>): string | null {
  const { j } = ctx;
  const params: AstNode[] = fn.params;
  if (params.length >= 3) return params[2].type === 'Identifier' ? params[2].name : null;
  const name = NEXT_NAMES.find((n) => !used.has(n));
  if (!name) return null;
  const placeholders = ['_req', '_res'].filter((n) => !used.has(n));
  while (params.length < 2) {
    const placeholder = placeholders.shift();
    if (!placeholder) return null;
    params.push(j.identifier(placeholder));
  }
  const param: AstNode = j.identifier(name);
  if (isTypeScript(ctx.file) && !contextuallyTyped(fn))
    param.typeAnnotation = j.tsTypeAnnotation(j.tsTypeReference(j.identifier(expressType(ctx, 'NextFunction'))));
  params.push(param);
  return name;
}

/** `{ try { <body> } catch (err) { next(err); } }` */
function wrapBody(j: JSCodeshift, fn: AstNode, errName: string, next: string): void {
  const forward = j.expressionStatement(j.callExpression(j.identifier(next), [j.identifier(errName)]));
  const statements = fn.body.type === 'BlockStatement' ? fn.body.body : [j.returnStatement(fn.body)];
  const guarded = j.tryStatement(
    j.blockStatement(statements),
    j.catchClause(j.identifier(errName), null, j.blockStatement([forward])),
  );
  fn.body = j.blockStatement([guarded]);
  if (fn.type === 'ArrowFunctionExpression') fn.expression = false;
}

function fixHandler(ctx: FixContext, path: ASTPath): boolean {
  const { j } = ctx;
  const fn: AstNode = path.node;
  const line = fn.loc?.start.line ?? 0;
  const used = identifierNames(j, fn);
  const params: AstNode[] = fn.params;
  if (params.length >= 3 && params[2].type !== 'Identifier') {
    ctx.skip(line, PATTERN_REASON);
    return false;
  }
  // the catch is the handler's own: a name free in the handler and at the top level will do
  const errName = ['err', 'error', 'caughtError'].find((n) => !used.has(n) && !isTopLevelName(j, ctx.root, n));
  if (!errName) {
    ctx.skip(line, NAME_REASON);
    return false;
  }
  const next = nextParam(ctx, fn, used);
  if (!next) {
    ctx.skip(line, NAME_REASON);
    return false;
  }
  wrapBody(j, fn, errName, next);
  return true;
}

/** The Express apps this file creates (`const app = express()`), by variable. */
function expressApps(j: JSCodeshift, root: Collection): string[] {
  const express = expressLocal(j, root);
  const out: string[] = [];
  root.find(j.VariableDeclarator).forEach((p) => {
    const init: AstNode = p.node.init;
    if (p.node.id.type !== 'Identifier' || init?.type !== 'CallExpression') return;
    const callee = init.callee;
    const isExpress =
      (express && callee.type === 'Identifier' && callee.name === express) ||
      (callee.type === 'CallExpression' &&
        callee.callee.name === 'require' &&
        callee.arguments[0]?.value === 'express');
    if (isExpress) out.push(p.node.id.name);
  });
  return out;
}

/** `app.use((err, req, res, next) => ...)`, `app.use(errorHandler)`: the app already has an error handler. */
function hasErrorHandler(j: JSCodeshift, root: Collection, app: string): boolean {
  return root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', object: { name: app }, property: { name: 'use' } } })
    .some((p) => {
      return (p.node.arguments as AstNode[]).some((a) => {
        if (isFunctionNode(a)) return a.params.length === 4;
        const name =
          a.type === 'Identifier'
            ? a.name
            : a.type === 'CallExpression'
              ? (a.callee.name ?? a.callee.property?.name)
              : a.type === 'MemberExpression'
                ? a.property?.name
                : null;
        return typeof name === 'string' && /err/i.test(name);
      });
    });
}

/** The last top-level statement registering something on the app (`app.get(...)`, `app.use(...)`), not its listen. */
function lastRegistration(j: JSCodeshift, root: Collection, app: string): ASTPath | null {
  const program = root.find(j.Program).get();
  let last: ASTPath | null = null;
  program.get('body').each((p: ASTPath) => {
    const node: AstNode = p.node;
    if (node.type !== 'ExpressionStatement') return;
    let call = node.expression;
    // app.route('/x').get(h).post(h) and chained registrations
    while (
      call?.type === 'CallExpression' &&
      call.callee.type === 'MemberExpression' &&
      call.callee.object.type === 'CallExpression'
    )
      call = call.callee.object;
    if (
      call?.type === 'CallExpression' &&
      call.callee.type === 'MemberExpression' &&
      call.callee.object.name === app &&
      call.callee.property.name !== 'listen'
    )
      last = p;
  });
  return last;
}

function errorHandlerSource(ctx: FixContext, app: string, isInfra: string): string {
  const q = preferredQuote(ctx.j, ctx.root);
  const retryAfter = String(Math.ceil(ctx.config.breaker.halfOpenAfterMs / 1000));
  const typescript = isTypeScript(ctx.file);
  const body = [
    '  if (res.headersSent || !' + isInfra + '(err)) {',
    '    next(err);',
    '    return;',
    '  }',
    `  res.status(503).set(${q}Retry-After${q}, ${q}${retryAfter}${q}).json({ message: ${q}Service unavailable${q} });`,
  ];
  const fn = ['(err, _req, res, next) => {', ...body, '}'];
  const handler = typescript
    ? [`(${fn[0]}`, ...fn.slice(1, -1), `}) as ${expressType(ctx, 'ErrorRequestHandler')}`]
    : fn;
  return [
    '// Route failures passed to next(err) end here: a dependency that is down or failing answers 503',
    "// with Retry-After, so clients come back later; anything else goes on to Express's own handler.",
    `${app}.use(${handler.join('\n')});`,
  ].join('\n');
}

/** Adds the 503 error handler after the app's last registration, once per app. */
function addErrorHandler(ctx: FixContext, app: string): boolean {
  const { j, root } = ctx;
  if (hasErrorHandler(j, root, app)) return false;
  const after = lastRegistration(j, root, app);
  if (!after) return false;
  const isInfra = infraCheck(ctx, (after.node as AstNode).loc?.start.line ?? 0);
  if (!isInfra) return false;
  // found again: the import added above shifts the statements' positions
  j(lastRegistration(j, root, app)!).insertAfter(parseStatement(j, errorHandlerSource(ctx, app, isInfra)));
  return true;
}

/** The local name of the generated `isInfraFailure`, imported when missing; null (skipped) when the name is taken. */
function infraCheck(ctx: FixContext, line: number): string | null {
  const { j, root } = ctx;
  const source = ctx.useModule('errors');
  const known = importedLocal(j, root, source, 'isInfraFailure');
  if (!known && isTopLevelName(j, root, 'isInfraFailure')) {
    ctx.skip(line, 'the name isInfraFailure is already taken in this file: add the 503 error handler by hand');
    return null;
  }
  return known ?? ensureNamedImports(j, root, ctx.file, source, ['isInfraFailure']).isInfraFailure!;
}

/**
 * Fastify's error handler: a failure thrown in it goes on to the parent handler (Fastify 4 and
 * later), so everything that is not a dependency failure keeps Fastify's own answer.
 */
function fastifyHandlerSource(ctx: FixContext, app: string, isInfra: string): string {
  const q = preferredQuote(ctx.j, ctx.root);
  return [
    '// Route failures end here: a dependency that is down or failing answers 503 with Retry-After,',
    "// so clients come back later; anything else goes on to Fastify's own error handler.",
    `${app}.setErrorHandler((err, _request, reply) => {`,
    `  if (!${isInfra}(err)) throw err;`,
    `  reply.code(503).header(${q}Retry-After${q}, ${q}${retryAfterSeconds(ctx)}${q}).send({ message: ${q}Service unavailable${q} });`,
    '});',
  ].join('\n');
}

/** Koa's error middleware: registered first, so the routes and middleware after it run inside its try. */
function koaMiddlewareSource(ctx: FixContext, app: string, isInfra: string): string {
  const q = preferredQuote(ctx.j, ctx.root);
  return [
    '// Failures of the middleware and routes below end here: a dependency that is down or failing',
    "// answers 503 with Retry-After, so clients come back later; anything else goes on to Koa's own handling.",
    `${app}.use(async (ctx, next) => {`,
    '  try {',
    '    await next();',
    '  } catch (err) {',
    `    if (!${isInfra}(err)) throw err;`,
    '    ctx.status = 503;',
    `    ctx.set(${q}Retry-After${q}, ${q}${retryAfterSeconds(ctx)}${q});`,
    `    ctx.body = { message: ${q}Service unavailable${q} };`,
    '  }',
    '});',
  ].join('\n');
}

const retryAfterSeconds = (ctx: FixContext): string => String(Math.ceil(ctx.config.breaker.halfOpenAfterMs / 1000));

/** The statement that makes the app (`const app = Fastify()`, `export const app = new Koa()`), found by the finding's position. */
function creatingStatement(ctx: FixContext, f: RouteFinding): ASTPath | null {
  const { j, root } = ctx;
  const made = [...root.find(j.CallExpression).paths(), ...root.find(j.NewExpression).paths()].find((p) => {
    const loc = (p.node as AstNode).loc?.start;
    return !!loc && loc.line === f.line && loc.column + 1 === f.column;
  }) as ASTPath | undefined;
  for (let p: ASTPath | null = made ?? null; p?.parent; p = p.parent) {
    const parent: AstNode = p.parent.node;
    if ((parent.type === 'Program' || parent.type === 'BlockStatement') && p.parentPath?.name === 'body') return p;
    // an app made inside a nested function's expression body has no statement of its own here
    if (p !== made && isFunctionNode(p.node)) return null;
  }
  return null;
}

/** Adds the Fastify error handler or the Koa error middleware right after the app is made. */
function addAppErrorAnswer(ctx: FixContext, f: RouteFinding, framework: 'fastify' | 'koa'): boolean {
  const app = typeof f.data?.app === 'string' ? f.data.app : null;
  if (!app) return false;
  const major = typeof f.data?.frameworkMajor === 'number' ? f.data.frameworkMajor : null;
  if (framework === 'fastify' && major !== null && major < 4) {
    ctx.skip(
      f.line,
      'Fastify 3 does not pass a failure thrown in an error handler on to its own: add a setErrorHandler that answers 503 for dependency failures by hand',
    );
    return false;
  }
  if (!creatingStatement(ctx, f)) {
    ctx.skip(
      f.line,
      `the ${framework === 'fastify' ? 'Fastify' : 'Koa'} app is not made by a statement of its own: add the 503 error handler by hand`,
    );
    return false;
  }
  const isInfra = infraCheck(ctx, f.line);
  if (!isInfra) return false;
  const source =
    framework === 'fastify' ? fastifyHandlerSource(ctx, app, isInfra) : koaMiddlewareSource(ctx, app, isInfra);
  // found again: the import added above shifts the statements' positions
  ctx.j(creatingStatement(ctx, f)!).insertAfter(parseStatement(ctx.j, source));
  return true;
}

export const step: FixStepMeta = {
  name: 'forward-route-errors',
  phase: '4.1',
  fixes: ['unhandled-route-rejection'],
  requires: ['error-taxonomy'],
  // after the catch rewrites: it moves whole route handler bodies into a new try, so they see the catches inside as written
  runsAfter: ['infra-failure-status'],
};

export const fix: FixStep = (ctx) => {
  const { j, root } = ctx;
  const found = findingPositions(ctx);
  let changed = false;
  for (const f of found) {
    const framework = appFramework(f);
    if (framework) changed = addAppErrorAnswer(ctx, f, framework) || changed;
  }
  const positions = found.filter((f) => !appFramework(f));
  if (!positions.length) return changed;
  const handlers = (root.find(j.Function).paths() as unknown as ASTPath[]).filter((p) => {
    const loc = (p.node as AstNode).loc?.start;
    return !!loc && positions.some((f) => f.line === loc.line && f.column === loc.column + 1);
  });
  let handled = false;
  for (const p of handlers.reverse()) handled = fixHandler(ctx, p) || handled;
  if (!handled) return changed;
  for (const app of expressApps(j, root)) addErrorHandler(ctx, app);
  return true;
};

export default toJscodeshiftTransform(fix);
