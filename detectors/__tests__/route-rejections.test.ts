import { describe, expect, it } from 'vitest';
import routeRejections from '../route-rejections';
import { detect, detectOnExample } from '../../test/helpers/detect';
import { testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';
import type { PackageManifest } from '../../src/detect/detector-api';

/** `manifests`: the package.json files the case's project declares (the Express major decides the finding) */
type WithManifests<C> = C & { manifests?: PackageManifest[] };

/** The case as scanned: a server file by default, with its manifests as project facts. */
function scanned<C extends DetectorTestCase>({ manifests, ...c }: WithManifests<C>): C {
  return { ...c, filename: c.filename ?? 'src/server.ts', project: { manifests: manifests ?? [] } } as C;
}

const EXPRESS_4: PackageManifest[] = [{ dir: '', dependencies: { express: '^4.21.2' } }];
const crash = (what: string, line: number): string =>
  `async Express 4 route handler awaits \`${what}\` (line ${line}) outside try/catch: a rejection is not passed to next() and crashes the process`;

const invalid: Array<WithManifests<InvalidCase>> = [
  {
    name: 'a Fastify app without an error handler whose route awaits a dependency',
    manifests: [{ dir: '', dependencies: { fastify: '^4.26.0' } }],
    code: `
import Fastify from 'fastify';
const fastify = Fastify({ logger: true });
fastify.get('/x', async () => ({ v: await load() }));
fastify.route({ method: 'GET', url: '/y', handler: async () => load() });`,
    errors: [
      {
        messageId: 'appWithoutErrorHandler',
        line: 2,
        column: 17,
        message: `Fastify app \`fastify\` has no error handler and a route calls a dependency (line 3): Fastify's default answers every failure 500, so a dependency that is down gets no 503 with Retry-After`,
      },
    ],
  },
  {
    name: 'a Koa app (CommonJS) with @koa/router routes and no error middleware',
    filename: 'src/app.js',
    code: `
const Koa = require('koa');
const Router = require('@koa/router');
const app = new Koa();
const router = new Router();
router.get('/x', async (ctx) => { ctx.body = await load(); });
app.use(async (ctx, next) => { await next(); });
app.use(router.routes());`,
    errors: [
      {
        messageId: 'appWithoutErrorHandler',
        line: 3,
        column: 13,
        message: `Koa app \`app\` has no error handler and a route calls a dependency (line 5): Koa's default answers every failure 500, so a dependency that is down gets no 503 with Retry-After`,
      },
    ],
  },
  {
    name: 'a Fastify app whose routes come from plugins',
    code: `
import Fastify from 'fastify';
import routes from './routes';
export const app = Fastify();
app.register(routes, { prefix: '/v1' });`,
    errors: [
      {
        messageId: 'appWithoutErrorHandler',
        line: 3,
        column: 20,
        message: `Fastify app \`app\` has no error handler and its routes are registered from other modules: Fastify's default answers every failure 500, so a dependency that is down gets no 503 with Retry-After`,
      },
    ],
  },
  {
    name: 'app.get with an inline async arrow and no try/catch',
    manifests: EXPRESS_4,
    code: `
import express from 'express';
const app = express();
app.get('/payments/:id', async (req, res) => {
  const status = await getPaymentStatus(req.params.id);
  res.json({ status });
});
app.listen(3000);`,
    errors: [
      { messageId: 'asyncHandlerUnguardedAwait', line: 3, column: 26, message: crash('getPaymentStatus(...)', 4) },
    ],
  },
  {
    name: 'router.post in a router file (CommonJS), awaiting a member call',
    filename: 'src/routes/orders.js',
    code: `
const express = require('express');
const router = express.Router();
router.post('/', async function create(req, res) {
  const order = await db.insert(req.body);
  res.status(201).json(order);
});
module.exports = router;`,
    errors: [{ messageId: 'asyncHandlerUnguardedAwait', line: 3, column: 18, message: crash('db.insert(...)', 4) }],
  },
  {
    name: 'app.route().get chain and Router() imported by name',
    code: `
import { Router } from 'express';
const router = Router();
router.route('/rates/:code').get(async (req, res) => res.json(await rates.get(req.params.code)));`,
    errors: [{ messageId: 'asyncHandlerUnguardedAwait', line: 3, column: 34, message: crash('rates.get(...)', 3) }],
  },
  {
    name: 'an await before the try: only part of the handler is protected',
    code: `
import express from 'express';
const app = express();
app.get('/hello', async function (req, res) {
  if (!pool) await createConn();
  try {
    res.json(await query());
  } catch (e) {
    res.json({ error: e.message });
  }
});`,
    errors: [{ messageId: 'asyncHandlerUnguardedAwait', line: 3, column: 19, message: crash('createConn(...)', 4) }],
  },
  {
    name: 'a named async handler of the same file, registered twice: reported once, at the function',
    code: `
import express from 'express';
const app = express();
async function show(req: express.Request, res: express.Response) {
  res.json(await load(req.params.id));
}
app.get('/a/:id', show);
app.get('/b/:id', show);`,
    errors: [{ messageId: 'asyncHandlerUnguardedAwait', line: 3, column: 1, message: crash('load(...)', 4) }],
  },
  {
    name: 'async middleware through app.use',
    code: `
import express from 'express';
const app = express();
app.use(async (req, _res, next) => {
  req.user = await sessions.lookup(req.headers.authorization);
  next();
});`,
    errors: [
      { messageId: 'asyncHandlerUnguardedAwait', line: 3, column: 9, message: crash('sessions.lookup(...)', 4) },
    ],
  },
  {
    name: 'an app handed in by the caller of a routes module, in an Express-only package',
    filename: 'src/routes.js',
    manifests: EXPRESS_4,
    code: `
module.exports = (app) => {
  app.get('/users', async (req, res) => {
    res.json(await User.find());
  });
};`,
    errors: [{ messageId: 'asyncHandlerUnguardedAwait', line: 2, column: 21, message: crash('User.find(...)', 3) }],
  },
  {
    name: 'a controller exported bare, (req, res) signature, in an Express-only package (its router is elsewhere)',
    filename: 'src/controllers/users.js',
    manifests: EXPRESS_4,
    code: `
const User = require('../models/user');
exports.show = async (req, res) => {
  const user = await User.findById(req.params.id);
  res.json(user);
};`,
    errors: [{ messageId: 'asyncHandlerUnguardedAwait', line: 2, column: 16, message: crash('User.findById(...)', 3) }],
  },
  {
    name: 'an await in the catch clause is outside the protection of its try',
    code: `
import express from 'express';
const app = express();
app.get('/x', async (req, res) => {
  try {
    res.json(await a());
  } catch {
    res.json(await fallback());
  }
});`,
    errors: [{ messageId: 'asyncHandlerUnguardedAwait', line: 3, column: 15, message: crash('fallback(...)', 7) }],
  },
];

const valid: Array<WithManifests<DetectorTestCase>> = [
  {
    name: 'Express 5 (the package declares express ^5): a rejection goes to next(err)',
    manifests: [{ dir: '', dependencies: { express: '^5.1.0' } }],
    code: `
import express from 'express';
const app = express();
app.get('/x', async (req, res) => { res.json(await load()); });`,
  },
  {
    name: 'express-async-errors imported',
    code: `
import 'express-async-errors';
import express from 'express';
const app = express();
app.get('/x', async (req, res) => { res.json(await load()); });`,
  },
  {
    name: 'express-async-errors declared in the package (loaded by the entry file)',
    manifests: [{ dir: '', dependencies: { express: '^4.18.0', 'express-async-errors': '^3.1.1' } }],
    code: `
import { Router } from 'express';
const router = Router();
router.get('/x', async (req, res) => { res.json(await load()); });`,
  },
  {
    name: 'handler wrapped in an asyncHandler / catchAsync helper',
    code: `
import express from 'express';
import asyncHandler from 'express-async-handler';
const app = express();
app.get('/a', asyncHandler(async (req, res) => { res.json(await load()); }));
app.get('/b', catchAsync(async (req, res) => { res.json(await load()); }));`,
  },
  {
    name: 'a controller exported through asyncHandler(...) (express-async-handler)',
    filename: 'src/controllers/users.js',
    manifests: [{ dir: '', dependencies: { express: '^4.17.1', 'express-async-handler': '^1.1.4' } }],
    code: `
import asyncHandler from 'express-async-handler';
const show = asyncHandler(async (req, res) => {
  res.json(await User.findById(req.params.id));
});
export { show };`,
  },
  {
    name: 'an exported (req, res) function in a package without Express',
    filename: 'src/handlers.js',
    manifests: [{ dir: '', dependencies: { fastify: '^4.0.0' } }],
    code: `
exports.show = async (req, res) => {
  res.send(await load());
};`,
  },
  {
    name: 'every await inside a try/catch',
    code: `
import express from 'express';
const app = express();
app.get('/x', async (req, res, next) => {
  try {
    res.json(await load());
  } catch (err) {
    next(err);
  }
});`,
  },
  {
    name: 'non-async handler returning a promise chain with .catch(next)',
    code: `
import express from 'express';
const app = express();
app.get('/x', (req, res, next) => {
  load().then((v) => res.json(v)).catch(next);
});`,
  },
  {
    name: 'awaits that only parse the request or wait',
    code: `
import express from 'express';
const app = express();
app.post('/x', async (req, res) => {
  await sleep(10);
  const body = await schema.validateAsync(req.body);
  res.json(body);
});`,
  },
  {
    name: 'a Fastify app with its own error handler (a rejected handler reaches it)',
    code: `
import Fastify from 'fastify';
const fastify = Fastify();
fastify.setErrorHandler((err, request, reply) => { reply.code(503).send({ message: 'down' }); });
fastify.get('/x', async () => ({ v: await load() }));
fastify.route({ method: 'GET', url: '/y', handler: async () => load() });`,
  },
  {
    name: 'a Koa app whose first middleware catches what downstream throws',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
const app = new Koa();
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    ctx.status = 503;
  }
});
const router = new Router();
router.get('/x', async (ctx) => { ctx.body = await load(); });
app.use(router.routes());`,
  },
  {
    name: 'a Koa app whose only middleware answers a probe and passes on to next()',
    filename: 'src/app.js',
    code: `
const Koa = require('koa');
const app = new Koa();
app.use(async (ctx, next) => {
  if (ctx.path === '/healthz') {
    ctx.body = { status: 'ok' };
    return;
  }
  await next();
});
app.listen(8080);`,
  },
  {
    name: 'a Fastify app whose routes await nothing that can fail',
    code: `
import Fastify from 'fastify';
const app = Fastify();
app.get('/health', async () => ({ ok: true }));
app.listen({ port: 3000 });`,
  },
  {
    name: 'axios.get and a Map.get are not routes',
    code: `
import axios from 'axios';
const cache = new Map();
cache.get('/x', async () => await load());
axios.get('/x', { transformResponse: async (d) => await parse(d) });`,
  },
  {
    name: 'a route in a test file',
    filename: 'test/server.test.ts',
    code: `
import express from 'express';
const app = express();
app.get('/x', async (req, res) => { res.json(await load()); });`,
  },
];

testDetector('route-rejections detector (unhandled-route-rejection)', routeRejections, {
  valid: valid.map(scanned),
  invalid: invalid.map(scanned),
});

describe('route-rejections detector (unhandled-route-rejection)', () => {
  it('reports the one unprotected route of the example service', () => {
    expect(detectOnExample(routeRejections)).toEqual(['src/server.ts:unhandled-route-rejection@40']);
  });
  it('spans the handler head (to its last parameter) and says where the await is', () => {
    const [f] = detect(
      routeRejections,
      `import express from 'express';\nconst app = express();\napp.get('/x', async (req, res) => {\n  res.json(await load());\n});`,
    );
    expect(f).toMatchObject({
      line: 3,
      column: 15,
      endLine: 3,
      endColumn: 30,
      data: { framework: 'express', method: 'get', named: null, awaitLine: 4 },
    });
  });
});
