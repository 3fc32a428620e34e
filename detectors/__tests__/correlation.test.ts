import { describe, expect, it } from 'vitest';
import correlation from '../correlation';
import { detect } from '../../test/helpers/detect';
import { testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';

const invalid: InvalidCase[] = [
  {
    name: 'Powertools logger in an SQS handler without addContext',
    code: `
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSHandler } from 'aws-lambda';
const logger = new Logger({ serviceName: 'orders' });
export const handler: SQSHandler = async (event) => {
  logger.info('batch', { size: event.Records.length });
};`,
    errors: [{ messageId: 'lambdaLogWithoutRequestId', line: 5, column: 3 }],
  },
  {
    name: 'pino in a CommonJS handler',
    filename: 'src/handler.js',
    code: `
const pino = require('pino');
const log = pino();
exports.handler = async (event) => {
  log.error({ event }, 'failed');
};`,
    errors: [{ messageId: 'lambdaLogWithoutRequestId', line: 4, column: 3 }],
  },
  {
    name: 'winston in an express app',
    code: `
import express from 'express';
import winston from 'winston';
const logger = winston.createLogger({ format: winston.format.json() });
const app = express();
app.get('/x', (req, res) => { logger.info('x'); res.end(); });
app.listen(3000);`,
    errors: [{ messageId: 'appLogWithoutRequestId', line: 5, column: 31 }],
  },
  {
    name: 'Powertools logger in a handler declared as a function',
    code: `
import { Logger } from '@aws-lambda-powertools/logger';
const logger = new Logger();
export async function handler(event: unknown) {
  logger.warn('slow');
}`,
    errors: [{ messageId: 'lambdaLogWithoutRequestId', line: 4, column: 3 }],
  },
  {
    name: 'koa app with a pino logger',
    code: `
import Koa from 'koa';
import pino from 'pino';
const log = pino();
const app = new Koa();
app.use(async (ctx) => { log.info('hit'); });
app.listen(1);`,
    errors: [{ messageId: 'appLogWithoutRequestId', line: 5, column: 26 }],
  },
];

const valid: DetectorTestCase[] = [
  {
    name: 'addContext per invocation',
    code: `import { Logger } from '@aws-lambda-powertools/logger';\nconst logger = new Logger();\nexport const handler = async (event: unknown, context: Context) => {\n  logger.addContext(context);\n  logger.info('start');\n};`,
  },
  {
    name: 'middy injectLambdaContext',
    code: `import { Logger } from '@aws-lambda-powertools/logger';\nimport { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';\nconst logger = new Logger();\nexport const handler = middy(async () => { logger.info('x'); }).use(injectLambdaContext(logger));`,
  },
  {
    name: 'appendKeys with a correlation id',
    code: `import { Logger } from '@aws-lambda-powertools/logger';\nconst logger = new Logger();\nexport const handler = async (event: { id: string }) => {\n  logger.appendKeys({ correlationId: event.id });\n  logger.info('x');\n};`,
  },
  {
    name: 'express app with pino-http',
    code: `import express from 'express';\nimport pino from 'pino';\nimport pinoHttp from 'pino-http';\nconst logger = pino();\nconst app = express();\napp.use(pinoHttp({ logger }));\napp.get('/x', (req, res) => { logger.info('x'); });\napp.listen(1);`,
  },
  {
    name: 'fastify tags requests itself',
    code: `import Fastify from 'fastify';\nimport pino from 'pino';\nconst log = pino();\nconst app = Fastify();\napp.get('/x', async () => { log.info('x'); });\napp.listen({ port: 1 });`,
  },
  {
    name: 'a library module, neither handler nor app',
    code: `import pino from 'pino';\nconst log = pino();\nexport function compute() { log.debug('computing'); }`,
  },
  {
    name: 'the generated logger module (its fix owns the context)',
    code: `import { logger } from './resilience/logger';\nexport async function handler(event: unknown) {\n  logger.warn('slow');\n}`,
  },
  {
    name: 'console and unknown loggers are other rules',
    code: `import { logger } from './log';\nexport const handler = async () => { logger.info('x'); console.log('y'); };`,
  },
  {
    name: 'child logger with the request',
    code: `import express from 'express';\nimport pino from 'pino';\nconst base = pino();\nconst app = express();\napp.use((req, res, next) => { (req as any).log = base.child({ id: req.headers['x-id'] }); next(); });\napp.get('/x', (req, res) => base.info('x'));\napp.listen(1);`,
  },
];

testDetector('correlation detector', correlation, { valid, invalid });

describe('correlation detector', () => {
  it('keeps Lambda findings to files that run in Lambda', () => {
    const [f] = detect(
      correlation,
      `import pino from 'pino';\nconst log = pino();\nexport const handler = async () => { log.info('x'); };`,
    );
    expect(f?.data).toEqual({ scope: 'lambda', logger: 'log', context: 'lambda' });
  });
});

/* A shared logger module of an Express or Koa service: reported at the factory when nothing in the project adds a request id. */
const LOGGER_MODULE = `const winston = require('winston');
const logger = winston.createLogger({
  format: winston.format.printf(({ level, message }) => \`\${level}: \${message}\`),
  transports: [new winston.transports.Console()],
});
module.exports = logger;`;
/** The shared logger module of a project with these dependencies. */
const loggerModule = (name: string, deps: string[], usesLambda = false, code = LOGGER_MODULE): DetectorTestCase => ({
  name,
  code,
  filename: 'src/config/logger.js',
  project: { packageDependencies: new Set(deps), usesLambda },
});

testDetector('correlation detector on a shared logger module', correlation, {
  valid: [
    loggerModule('a request-id middleware in the project', ['express', 'winston', 'express-request-id']),
    loggerModule('a logging module of a Lambda project', ['express', 'winston'], true),
    loggerModule('no HTTP server in the project', ['winston']),
    loggerModule(
      'a format that carries the request id',
      ['express', 'winston'],
      false,
      LOGGER_MODULE.replace('({ level, message })', '({ level, message, requestId })'),
    ),
  ],
  invalid: [
    {
      ...loggerModule('the factory of an Express service with no request-id package', ['express', 'winston']),
      errors: [
        {
          messageId: 'serviceLoggerWithoutRequestId',
          line: 2,
          column: 16,
          message:
            "the express service's logger writes no request id (no request-id field, middleware or child logger per request)",
        },
      ],
    },
  ],
});
