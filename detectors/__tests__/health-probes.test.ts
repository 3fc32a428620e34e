import { describe, expect, it } from 'vitest';
import healthProbes from '../health-probes';
import { detect } from '../../test/helpers/detect';
import { testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';
import { detectFile } from '../../src/detect/detect-file';
import { projectFacts } from '../../test/helpers/detect';

const invalid: InvalidCase[] = [
  {
    name: 'a listen on an app imported from a project module (the scan judges that module by its routes)',
    filename: 'src/server.ts',
    code: `import app from './app';\napp.listen(3000);`,
    errors: [
      {
        messageId: 'importedAppWithoutHealthRoute',
        line: 2,
        column: 1,
        message: 'server of the app from ./app listens without a health or readiness route',
        data: { framework: 'imported', appModule: './app' },
      },
    ],
  },
  {
    name: 'express app with routes but no probe',
    code: `import express from 'express';\nconst app = express();\napp.get('/orders', list);\napp.listen(3000);`,
    errors: [{ messageId: 'serverWithoutHealthRoute', line: 4, column: 1 }],
  },
  {
    name: 'CommonJS express, listen with a callback',
    filename: 'src/server.js',
    code: `const express = require('express');\nconst app = express();\napp.post('/pay', pay);\napp.listen(process.env.PORT, () => {\n  log('up');\n});`,
    errors: [{ messageId: 'serverWithoutHealthRoute', line: 4, column: 1 }],
  },
  {
    name: 'fastify via require(...)()',
    filename: 'server.js',
    code: `const fastify = require('fastify')({ logger: true });\nfastify.route({ method: 'GET', url: '/items', handler });\nfastify.listen({ port: 3000 });`,
    errors: [{ messageId: 'serverWithoutHealthRoute', line: 3, column: 1 }],
  },
  {
    name: 'koa with no router',
    code: `import Koa from 'koa';\nconst app = new Koa();\napp.use(async (ctx) => { ctx.body = 'hi'; });\napp.listen(8080);`,
    errors: [{ messageId: 'serverWithoutHealthRoute', line: 4, column: 1 }],
  },
  {
    name: 'plain http.createServer(...).listen',
    code: `import http from 'node:http';\nhttp.createServer((req, res) => {\n  res.end('ok');\n}).listen(8080);`,
    errors: [{ messageId: 'serverWithoutHealthRoute', line: 2, column: 1 }],
  },
  {
    name: 'express app wrapped in http.createServer',
    code: `import * as http from 'http';\nimport express from 'express';\nconst app = express();\napp.get('/a', a);\nconst server = http.createServer(app);\nserver.listen(80);`,
    errors: [{ messageId: 'serverWithoutHealthRoute', line: 6, column: 1 }],
  },
  {
    name: 'hono served by @hono/node-server',
    code: `import { Hono } from 'hono';\nimport { serve } from '@hono/node-server';\nconst app = new Hono();\napp.get('/', (c) => c.text('hi'));\nserve({ fetch: app.fetch, port: 3000 });`,
    errors: [{ messageId: 'serverWithoutHealthRoute', line: 5, column: 1 }],
  },
  {
    name: 'NestJS with an inline controller and no probe',
    code: `import { NestFactory } from '@nestjs/core';\nimport { Controller, Get, Module } from '@nestjs/common';\n@Controller('orders')\nclass Orders { @Get() list() { return []; } }\n@Module({ controllers: [Orders] })\nclass AppModule {}\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nbootstrap();`,
    errors: [{ messageId: 'serverWithoutHealthRoute', line: 9, column: 9 }],
  },
  {
    name: 'own routes count even when a router is also mounted',
    code: `import express from 'express';\nimport orders from './routes/orders';\nconst app = express();\napp.get('/', home);\napp.use('/orders', orders);\napp.listen(3000);`,
    errors: [{ messageId: 'serverWithoutHealthRoute', line: 6, column: 1 }],
  },
];

const valid: DetectorTestCase[] = [
  {
    name: 'express with /health',
    code: `import express from 'express';\nconst app = express();\napp.get('/health', (req, res) => res.send('ok'));\napp.listen(3000);`,
  },
  {
    name: 'express with /healthz and /readyz',
    code: `const express = require('express');\nconst app = express();\napp.get('/healthz', ok);\napp.get('/readyz', ready);\napp.listen(3000);`,
  },
  {
    name: 'router with /ping',
    code: `import express, { Router } from 'express';\nconst router = Router();\nrouter.get('/ping', ok);\nconst app = express();\napp.use(router);\napp.listen(3000);`,
  },
  {
    name: 'fastify route object with a probe url',
    code: `import Fastify from 'fastify';\nconst app = Fastify();\napp.route({ method: 'GET', url: '/status', handler });\nawait app.listen({ port: 3000 });`,
  },
  {
    name: 'Nest health controller',
    code: `import { NestFactory } from '@nestjs/core';\nimport { Controller, Get } from '@nestjs/common';\n@Controller()\nclass Health { @Get('health') check() { return 'ok'; } }\nconst app = await NestFactory.create(Health);\nawait app.listen(3000);`,
  },
  {
    name: 'Nest with terminus',
    code: `import { NestFactory } from '@nestjs/core';\nimport { TerminusModule } from '@nestjs/terminus';\nconst app = await NestFactory.create(TerminusModule);\nawait app.listen(3000);`,
  },
  {
    name: 'Nest main.ts with the module elsewhere',
    code: `import { NestFactory } from '@nestjs/core';\nimport { AppModule } from './app.module';\nasync function bootstrap() {\n  const app = await NestFactory.create(AppModule);\n  await app.listen(3000);\n}\nbootstrap();`,
  },
  {
    name: 'exported app for Lambda, never listens',
    code: `import express from 'express';\nimport serverless from 'serverless-http';\nconst app = express();\napp.get('/orders', list);\nexport const handler = serverless(app);`,
  },
  {
    name: 'routes mounted from ./routes only',
    code: `import express from 'express';\nimport routes from './routes';\nconst app = express();\napp.use(express.json());\napp.use(routes);\napp.listen(3000);`,
  },
  {
    name: 'http server answering /health by hand',
    filename: 'server.js',
    code: `const http = require('http');\nhttp.createServer((req, res) => {\n  if (req.url === '/health') return res.end('ok');\n  res.end('hi');\n}).listen(8080);`,
  },
  {
    name: 'listen on something that is not a server',
    code: `import { EventEmitter } from 'events';\nconst bus = new EventEmitter();\nsocket.listen(3000);\nbus.listen();`,
  },
  {
    name: 'fastify registering plugins from files',
    code: `import Fastify from 'fastify';\nconst app = Fastify();\napp.register(import('./plugins/orders'));\napp.listen({ port: 3000 });`,
  },
  {
    name: 'a server of a project deployed only as a Heroku web dyno (the router has no probe to call)',
    filename: 'server/server.js',
    project: { herokuOnly: true },
    code: `const express = require('express');\nconst app = express();\napp.get('/api/user', user);\napp.listen(process.env.PORT || 5000);`,
  },
  { name: "an app of a package: not the project's to judge", code: `import app from 'some-app';\napp.listen(3000);` },
  {
    name: 'an app of a project module with a probe added in this file',
    code: `const app = require('./app');\napp.get('/healthz', ok);\napp.listen(3000);`,
  },
];

testDetector('health-probes detector', healthProbes, { valid, invalid });

describe('health-probes detector', () => {
  it('records that a file answers a probe route', () => {
    const probe = detectFile(
      {
        path: 'src/routes/health.js',
        absPath: '/project/src/routes/health.js',
        text: `const router = require('express').Router();\nrouter.get('/healthz', (req, res) => res.send('ok'));\nmodule.exports = router;`,
        lang: 'js',
      },
      [healthProbes],
      projectFacts(),
    );
    expect(probe.facts.servesProbe).toBe(true);
    const none = detectFile(
      {
        path: 'src/routes/user.js',
        absPath: '/project/src/routes/user.js',
        text: `const router = require('express').Router();\nrouter.get('/users', list);\nmodule.exports = router;`,
        lang: 'js',
      },
      [healthProbes],
      projectFacts(),
    );
    expect(none.facts.servesProbe).toBeUndefined();
  });
  it('names the framework in data', () => {
    const [f] = detect(healthProbes, `import Koa from 'koa';\nnew Koa().listen(1);`);
    expect(f?.data).toEqual({ framework: 'koa' });
  });
  it('records frameworks for discovery, even without a server', () => {
    const code = `import express from 'express';\nimport { Hono } from 'hono';\nimport http from 'http';\nexport const app = express();\nhttp.createServer(app);`;
    const result = detectFile(
      { path: 'src/app.ts', absPath: '/project/src/app.ts', text: code, lang: 'ts' },
      [healthProbes],
      projectFacts(),
    );
    expect([...result.facts.frameworks].sort()).toEqual(['express', 'hono', 'http']);
  });
});
