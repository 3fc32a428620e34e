import { describe, expect, it } from 'vitest';
import gracefulShutdown from '../graceful-shutdown';
import { detect } from '../../test/helpers/detect';
import { testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';

const invalid: InvalidCase[] = [
  {
    name: 'express app.listen, no signal handler',
    code: `
import express from 'express';
const app = express();
app.get('/orders', list);
app.listen(3000);`,
    errors: [{ messageId: 'noSigtermHandler', line: 4, column: 1 }],
  },
  {
    name: 'CommonJS express, listen result stored but never closed',
    filename: 'src/server.js',
    code: `
const express = require('express');
const app = express();
const server = app.listen(process.env.PORT, () => log('up'));`,
    errors: [{ messageId: 'noSigtermHandler', line: 3, column: 16 }],
  },
  {
    name: 'fastify awaited listen',
    code: `
import Fastify from 'fastify';
const app = Fastify({ logger: true });
await app.listen({ port: 3000 });`,
    errors: [{ messageId: 'noSigtermHandler', line: 3, column: 7 }],
  },
  {
    name: 'koa with a SIGTERM handler that only exits',
    code: `
import Koa from 'koa';
const app = new Koa();
app.listen(8080);
process.on('SIGTERM', () => {
  logger.info('bye');
  process.exit(0);
});`,
    errors: [{ messageId: 'sigtermExitsWithoutClose', line: 3, column: 1 }],
  },
  {
    name: 'http.createServer(app).listen chained',
    code: `
import http from 'node:http';
import express from 'express';
const app = express();
http.createServer(app).listen(80);`,
    errors: [{ messageId: 'noSigtermHandler', line: 4, column: 1 }],
  },
  {
    name: 'Nest bootstrap without shutdown hooks',
    code: `
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
bootstrap();`,
    errors: [{ messageId: 'noSigtermHandler', line: 5, column: 9 }],
  },
  {
    name: 'handler is a local function that only exits',
    code: `
import express from 'express';
const app = express();
function onSignal() { process.exit(0); }
process.once('SIGINT', onSignal);
app.listen(3000);`,
    errors: [{ messageId: 'sigtermExitsWithoutClose', line: 5, column: 1 }],
  },
];

const valid: DetectorTestCase[] = [
  {
    name: 'server.close on SIGTERM',
    code: `
import express from 'express';
const app = express();
const server = app.listen(3000);
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});`,
  },
  {
    name: 'fastify.close on SIGINT through a named function',
    code: `
import Fastify from 'fastify';
const app = Fastify();
async function shutdown() { await app.close(); }
process.on('SIGINT', shutdown);
app.listen({ port: 3000 });`,
  },
  {
    name: 'signals registered in a loop',
    code: `
import Koa from 'koa';
const app = new Koa();
const server = app.listen(1);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close());`,
  },
  {
    name: 'http-terminator',
    code: `
import express from 'express';
import { createHttpTerminator } from 'http-terminator';
const app = express();
const server = app.listen(3000);
const terminator = createHttpTerminator({ server });`,
  },
  {
    name: 'Nest with enableShutdownHooks',
    code: `
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
const app = await NestFactory.create(AppModule);
app.enableShutdownHooks();
await app.listen(3000);`,
  },
  {
    name: 'Lambda adapter: the app never listens in production',
    code: `
import express from 'express';
import serverless from 'serverless-http';
const app = express();
if (process.env.LOCAL) app.listen(3000);
export const handler = serverless(app);`,
  },
  {
    name: 'listen on something that is not a server',
    code: `
import { EventEmitter } from 'events';
const bus = new EventEmitter();
bus.listen(3000);
socket.listen(80);`,
  },
  {
    name: 'handler imported from elsewhere',
    code: `
import express from 'express';
import { shutdown } from './shutdown';
const app = express();
process.on('SIGTERM', shutdown);
app.listen(3000);`,
  },
  {
    name: 'a server in a test file',
    filename: 'src/__tests__/server.test.ts',
    code: `
import express from 'express';
const app = express();
app.listen(0);`,
  },
];

testDetector('graceful-shutdown detector', gracefulShutdown, { valid, invalid });

describe('graceful-shutdown detector', () => {
  it('tells the fix where the server is held', () => {
    const [f] = detect(
      gracefulShutdown,
      `import express from 'express';\nconst app = express();\nconst server = app.listen(1);`,
    );
    expect(f?.data).toEqual({ framework: 'express', target: 'app', server: 'server', hasSignalHandler: false });
  });
  it('marks a server with an exit-only handler as not fixable automatically', () => {
    const [f] = detect(
      gracefulShutdown,
      `import Koa from 'koa';\nnew Koa().listen(1);\nprocess.on('SIGTERM', () => process.exit(0));`,
    );
    expect(f?.data).toMatchObject({
      framework: 'koa',
      target: null,
      server: null,
      hasSignalHandler: true,
      fixable: false,
    });
  });
});
