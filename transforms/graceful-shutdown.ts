/**
 * graceful-shutdown (catalog rule `no-graceful-shutdown`): keeps the server `.listen(` returns
 * (`const server = app.listen(...)`) and adds a SIGTERM handler after it that stops accepting
 * connections, lets in-flight requests finish and exits, with a 10 s hard deadline. Fastify
 * closes through `app.close()`. When the probe routes' `ready` flag is in the same block it is
 * turned off first. NestJS (enableShutdownHooks) and files that already handle SIGTERM are left alone.
 */
import type { ASTPath } from 'jscodeshift';
import { parseStatement } from './lib/imports';
import { listenStatements, namesInBlock, type ListenStatement } from './lib/server-listen';
import { isSelected, toJscodeshiftTransform } from './lib/transform-api';
import type { FixContext, FixStep } from '../src/api/fix-context';
import type { FixStepMeta } from '../src/api/step-metadata';

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

const SERVER_NAMES = ['server', 'httpServer'];

/** Whether the file already listens for SIGTERM (a handler of its own is not rewritten). */
function handlesSigterm(ctx: FixContext): boolean {
  const { j, root } = ctx;
  return root.find(j.CallExpression).some((p) => {
    const callee = p.node.callee as AnyNode;
    const first = p.node.arguments[0] as AnyNode;
    return (
      callee.type === 'MemberExpression' &&
      callee.object.type === 'Identifier' &&
      callee.object.name === 'process' &&
      ['on', 'once', 'addListener'].includes(callee.property.name) &&
      (first?.type !== 'StringLiteral' || first.value === 'SIGTERM')
    );
  });
}

/** `app.listen(...)` as a statement becomes `const server = app.listen(...)`; returns the name, or null. */
function captureServer(ctx: FixContext, site: ListenStatement): string | null {
  if (site.stored) return site.stored;
  const { j } = ctx;
  const stmt = site.statement.node as AnyNode;
  if (stmt.type !== 'ExpressionStatement' || stmt.expression !== site.call) return null;
  const taken = namesInBlock(site.statement);
  const name = SERVER_NAMES.find((n) => !taken.has(n));
  if (!name) return null;
  const decl = j.variableDeclaration('const', [j.variableDeclarator(j.identifier(name), site.call)]);
  (decl as AnyNode).comments = stmt.comments;
  j(site.statement).replaceWith(decl);
  return name;
}

/** Whether the block declares the probe routes' `let ready = true`. */
function hasReadyFlag(statement: ASTPath): boolean {
  return ((statement.parent?.node.body ?? []) as AnyNode[]).some(
    (s) =>
      s.type === 'VariableDeclaration' &&
      s.kind === 'let' &&
      s.declarations.some((d: AnyNode) => d.id.type === 'Identifier' && d.id.name === 'ready'),
  );
}

function addHandler(ctx: FixContext, site: ListenStatement): boolean {
  const { j } = ctx;
  const line = site.call.loc?.start.line ?? 0;
  const kind = site.wraps && site.framework !== 'http' ? site.wraps : site.framework;
  if (kind === 'nestjs') {
    ctx.skip(line, 'NestJS: call app.enableShutdownHooks() before app.listen()');
    return false;
  }
  const flag = hasReadyFlag(site.statement) ? '  ready = false;\n' : '';
  let code: string;
  if (kind === 'fastify') {
    if (!site.target) {
      ctx.skip(line, 'the Fastify instance is not held in a variable to close');
      return false;
    }
    code = `process.on('SIGTERM', () => {\n${flag}  void ${site.target}.close().then(() => process.exit(0));\n});`;
  } else {
    // `server.listen()` on an http.Server already names the server; an app's listen() returns it
    const server = site.framework === 'http' && site.target ? site.target : captureServer(ctx, site);
    if (!server) {
      ctx.skip(line, 'the server returned by listen() cannot be captured here; close it on SIGTERM by hand');
      return false;
    }
    code = `process.on('SIGTERM', () => {\n${flag}  ${server}.close(() => process.exit(0));\n  setTimeout(() => process.exit(1), 10_000).unref();\n});`;
  }
  j(site.statement).insertAfter(parseStatement(j, code));
  return true;
}

export const step: FixStepMeta = {
  name: 'graceful-shutdown',
  phase: '4.5',
  fixes: ['no-graceful-shutdown'],
  requires: [],
  // after the probes: the shutdown handler flips their `ready` flag when it is in the same block
  runsAfter: ['add-health-routes'],
};

export const fix: FixStep = (ctx) => {
  if (handlesSigterm(ctx)) return false;
  const site = listenStatements(ctx.j, ctx.root).find((s) => isSelected(ctx, s.call));
  return site ? addHandler(ctx, site) : false;
};

export default toJscodeshiftTransform(fix);
