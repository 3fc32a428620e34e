import { describe, expect, it } from 'vitest';
import rateLimit from '../rate-limit';
import { detect } from '../../test/helpers/detect';
import { testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';

const invalid: InvalidCase[] = [
  {
    name: 'express with routes',
    code: `
import express from 'express';
const app = express();
app.get('/orders/:id', getOrder);
app.post('/orders', createOrder);
app.listen(3000);`,
    errors: [{ messageId: 'serverWithoutRateLimit', line: 5, column: 1 }],
  },
  {
    name: 'CommonJS express with helmet but no limiter',
    filename: 'src/server.js',
    code: `
const express = require('express');
const helmet = require('helmet');
const app = express();
app.use(helmet());
app.get('/items', list);
module.exports = app.listen(8080);`,
    errors: [{ messageId: 'serverWithoutRateLimit', line: 6, column: 18 }],
  },
  {
    name: 'fastify route objects',
    code: `
import Fastify from 'fastify';
const app = Fastify();
app.route({ method: 'GET', url: '/items', handler });
await app.listen({ port: 3000 });`,
    errors: [{ messageId: 'serverWithoutRateLimit', line: 4, column: 7 }],
  },
  {
    name: 'koa router routes in the same file',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
const app = new Koa();
const router = new Router();
router.get('/search', search);
app.use(router.routes());
app.listen(3000);`,
    errors: [{ messageId: 'serverWithoutRateLimit', line: 7, column: 1 }],
  },
  {
    name: 'express wrapped in http.createServer',
    code: `
import http from 'http';
import express from 'express';
const app = express();
app.get('/a', a);
const server = http.createServer(app);
server.listen(80);`,
    errors: [{ messageId: 'serverWithoutRateLimit', line: 6, column: 1 }],
  },
  {
    name: 'routers of project modules mounted under paths (the routes live in route files)',
    code: `
const express = require('express');
const userRouter = require('./routes/user.router');
const app = express();
app.use('/api/user', userRouter);
app.use('/api/runs', require('./routes/run.router'));
app.use(express.static('build'));
app.listen(process.env.PORT || 5000);`,
    errors: [
      {
        messageId: 'serverWithoutRateLimit',
        line: 7,
        column: 1,
        message: 'express server serves 2 mounted routers with no rate limiting',
      },
    ],
  },
  {
    name: 'probe routes of its own, the rest mounted at the root from a routes module',
    code: `
const express = require('express');
const routes = require('./routes');
const app = express();
app.use('/', routes);
app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
app.listen(3000);`,
    errors: [{ messageId: 'serverWithoutRateLimit', line: 6, column: 1 }],
  },
  {
    name: 'a NestJS app (it serves the controllers of its modules)',
    code: `
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(process.env.PORT);
}
bootstrap();`,
    errors: [{ messageId: 'serverWithoutRateLimit', line: 5, column: 9 }],
  },
  {
    name: 'Fastify app held in a class field, its routes in plugins of project modules',
    code: `
import fastify, { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import apiRoutes from './routes';
export class Api {
  private readonly server: FastifyInstance;
  constructor(deps: Deps) {
    this.server = fastify({ logger: true });
    this.server.register(swagger);
    this.server.get('/health', () => 'OK');
    this.server.register(apiRoutes(deps));
  }
  async start(port: number) {
    await this.server.listen({ port, host: '::' });
  }
}`,
    errors: [
      {
        messageId: 'serverWithoutRateLimit',
        line: 13,
        column: 11,
        message: 'fastify server serves 1 route plugin with no rate limiting',
      },
    ],
  },
  {
    name: 'Fastify route plugins registered by require and dynamic import',
    filename: 'src/server.js',
    code: `
const app = require('fastify')();
app.register(require('./routes/orders'), { prefix: '/v1/orders' });
app.register(import('./routes/users'));
app.listen({ port: 3000 });`,
    errors: [{ messageId: 'serverWithoutRateLimit', line: 4, column: 1 }],
  },
];

const valid: DetectorTestCase[] = [
  {
    name: 'Fastify app in a class field: a limiter plugin, or only packaged plugins and a probe',
    code: `
import Fastify from 'fastify';
import rateLimit from '@fastify/rate-limit';
import routes from './routes';
class Limited {
  constructor() {
    this.app = Fastify();
    this.app.register(rateLimit, { max: 100 });
    this.app.register(routes);
  }
  start() {
    return this.app.listen({ port: 3000 });
  }
}`,
  },
  {
    name: 'Fastify app in a class field with packaged plugins and a probe only; a DI container registering a project module',
    code: `
import Fastify from 'fastify';
import swagger from '@fastify/swagger';
import { OrdersService } from './orders';
class Docs {
  constructor() {
    this.app = Fastify();
    this.container = createContainer();
    this.container.register(OrdersService);
    this.app.register(swagger);
    this.app.get('/healthz', () => 'ok');
  }
  start() {
    return this.app.listen({ port: 3000 });
  }
}`,
  },
  {
    name: 'express-rate-limit',
    code: `
import express from 'express';
import rateLimit from 'express-rate-limit';
const app = express();
app.use(rateLimit({ windowMs: 60_000, limit: 100 }));
app.get('/orders', list);
app.listen(3000);`,
  },
  {
    name: '@fastify/rate-limit plugin',
    code: `
import Fastify from 'fastify';
const app = Fastify();
await app.register(import('@fastify/rate-limit'), { max: 100 });
app.get('/items', handler);
await app.listen({ port: 3000 });`,
  },
  {
    name: 'rate-limiter-flexible middleware',
    filename: 'src/server.js',
    code: `
const express = require('express');
const { RateLimiterMemory } = require('rate-limiter-flexible');
const app = express();
app.get('/x', x);
app.listen(1);`,
  },
  {
    name: 'own throttle middleware',
    code: `
import express from 'express';
import { throttle } from './middleware/throttle';
const app = express();
app.use(throttle);
app.get('/x', x);
app.listen(1);`,
  },
  {
    name: 'no routes of its own (mounted from elsewhere)',
    code: `
import express from 'express';
import routes from './routes';
const app = express();
app.use(routes);
app.listen(3000);`,
  },
  {
    name: 'only probe routes of its own, and no router mounted under a path',
    code: `
const express = require('express');
const cors = require('./middleware/cors');
const app = express();
app.use(cors);
app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
app.get('/readyz', (_req, res) => res.json({ status: 'ready' }));
app.listen(3000);`,
  },
  {
    name: 'plain http server (no framework to plug a limiter into)',
    code: `
import http from 'http';
http.createServer((req, res) => res.end('ok')).listen(80);
router.get('/x', x);`,
  },
  {
    name: 'Lambda adapter',
    code: `
import express from 'express';
import serverless from 'serverless-http';
const app = express();
app.get('/x', x);
export const handler = serverless(app);
app.listen(3000);`,
  },
  {
    name: 'routes but no listen (app exported)',
    code: `
import express from 'express';
export const app = express();
app.get('/x', x);`,
  },
];

testDetector('rate-limit detector', rateLimit, { valid, invalid });

describe('rate-limit detector', () => {
  it('a limiter package in the dependencies may be applied in another file: silent', () => {
    const code = `import express from 'express';\nimport api from './routes/api';\nconst app = express();\napp.use('/api', api);\napp.listen(1);`;
    expect(detect(rateLimit, code)).toHaveLength(1);
    for (const dep of ['express-rate-limit', '@nestjs/throttler', 'rate-limiter-flexible'])
      expect(detect(rateLimit, code, { project: { packageDependencies: new Set(['express', dep]) } })).toEqual([]);
  });
  it('names mounted routers and Nest controllers in the message', () => {
    const [mounted] = detect(
      rateLimit,
      `import express from 'express';\nimport api from './routes/api';\nconst app = express();\napp.get('/a', a);\napp.use('/api', api);\napp.listen(1);`,
    );
    expect(mounted?.message).toBe('express server serves 1 route and 1 mounted router with no rate limiting');
    const [nest] = detect(
      rateLimit,
      `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nNestFactory.create(AppModule).then((app) => app.listen(3000));\nconst app = await NestFactory.create(AppModule);\nawait app.listen(3000);`,
    );
    expect(nest?.message).toBe("nestjs server serves its modules' controllers with no rate limiting");
  });
  it('counts the routes in the message', () => {
    const [f] = detect(
      rateLimit,
      `import express from 'express';\nconst app = express();\napp.get('/a', a);\napp.listen(1);`,
    );
    expect(f?.message).toBe('express server serves 1 route with no rate limiting');
  });
});
