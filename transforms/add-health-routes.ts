/**
 * add-health-routes (catalog rule `no-health-probes`): before a server's `.listen(` statement,
 * adds a liveness route (`/healthz`, always 200 `{ status: 'ok' }`) and a readiness route
 * (`/readyz`, 200 `{ status: 'ready' }` while the `ready` flag is on; the graceful-shutdown fix
 * turns it off on SIGTERM). Express and Fastify get routes, Koa a middleware; NestJS needs a
 * controller and plain http servers route by hand, so both are left with a reason.
 */
import { parseStatement } from './lib/imports';
import { hasProbeRoute, listenStatements, namesInBlock, type ListenStatement } from './lib/server-listen';
import { isSelected, toJscodeshiftTransform } from './lib/transform-api';
import type { FixContext, FixStep } from '../src/api/fix-context';
import type { FixStepMeta } from '../src/api/step-metadata';

const READINESS_FLAG = 'ready';

/** The probe code for a framework, as statements' source. */
function probeSource(kind: 'express' | 'fastify' | 'koa', app: string, flag: string): string[] {
  const checks = `const checks = { accepting: ${flag} };`;
  const ok = 'const ok = Object.values(checks).every(Boolean);';
  switch (kind) {
    case 'express':
      return [
        `${app}.get('/healthz', (_req, res) => {\n  res.status(200).json({ status: 'ok' });\n});`,
        `${app}.get('/readyz', (_req, res) => {\n  ${checks}\n  ${ok}\n  res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });\n});`,
      ];
    case 'fastify':
      return [
        `${app}.get('/healthz', async () => ({ status: 'ok' }));`,
        `${app}.get('/readyz', async (_request, reply) => {\n  ${checks}\n  ${ok}\n  return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', checks });\n});`,
      ];
    case 'koa':
      return [
        `${app}.use(async (ctx, next) => {\n  if (ctx.path === '/healthz') {\n    ctx.body = { status: 'ok' };\n    return;\n  }\n  if (ctx.path === '/readyz') {\n    ${checks}\n    ${ok}\n    ctx.status = ok ? 200 : 503;\n    ctx.body = { status: ok ? 'ready' : 'not ready', checks };\n    return;\n  }\n  await next();\n});`,
      ];
  }
}

function addProbes(ctx: FixContext, site: ListenStatement): boolean {
  const line = site.call.loc?.start.line ?? 0;
  const kind = site.wraps ?? site.framework;
  if (kind === 'nestjs') {
    ctx.skip(line, 'NestJS serves probes from a controller: add @nestjs/terminus and a HealthController');
    return false;
  }
  if (kind === 'http') {
    ctx.skip(line, 'a plain http server routes by hand: answer /healthz and /readyz in its request handler');
    return false;
  }
  if (kind === 'hono') {
    ctx.skip(line, "a Hono app is served by @hono/node-server: add `app.get('/healthz')` and `/readyz` routes by hand");
    return false;
  }
  if (!site.app) {
    ctx.skip(line, 'the app is not held in a variable, so there is nothing to register the routes on');
    return false;
  }
  const taken = namesInBlock(site.statement);
  const flag = taken.has(READINESS_FLAG) ? null : READINESS_FLAG;
  if (!flag) {
    ctx.skip(line, `a \`${READINESS_FLAG}\` variable already exists here; add the probe routes by hand`);
    return false;
  }
  const { j } = ctx;
  const statements = [`let ${flag} = true;`, ...probeSource(kind, site.app, flag)].map((code) =>
    parseStatement(j, code),
  );
  // inserted before the statement, the listen line keeps its own comments
  for (const s of statements) j(site.statement).insertBefore(s);
  return true;
}

export const step: FixStepMeta = {
  name: 'add-health-routes',
  phase: '4.5',
  fixes: ['no-health-probes'],
  requires: [],
};

export const fix: FixStep = (ctx) => {
  const { j, root } = ctx;
  if (hasProbeRoute(j, root)) return false;
  const site = listenStatements(j, root).find((s) => isSelected(ctx, s.call));
  return site ? addProbes(ctx, site) : false;
};

export default toJscodeshiftTransform(fix);
