import { describe, expect, it } from 'vitest';
import logging from '../logging';
import { detect } from '../../test/helpers/detect';
import { testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';

const invalid: InvalidCase[] = [
  {
    name: 'console.log in a TS module',
    code: `export function f() {\n  console.log('hi');\n}`,
    errors: [{ messageId: 'consoleCall', line: 2, column: 3 }],
  },
  {
    name: 'each method, one finding per call',
    code: `export function handle(err) {\n  console.info('a');\n  console.warn('b');\n  console.error('c', err);\n  console.debug('d');\n  console.trace();\n}`,
    errors: [
      { messageId: 'consoleCall', line: 2, column: 3 },
      { messageId: 'consoleCall', line: 3, column: 3 },
      { messageId: 'consoleCall', line: 4, column: 3 },
      { messageId: 'consoleCall', line: 5, column: 3 },
      { messageId: 'consoleCall', line: 6, column: 3 },
    ],
  },
  {
    name: 'CommonJS handler',
    filename: 'src/handler.js',
    code: `const x = require('x');\nexports.handler = async (event) => {\n  console.log('event', JSON.stringify(event));\n};`,
    errors: [{ messageId: 'consoleCall', line: 3, column: 3 }],
  },
  {
    name: 'computed member',
    code: `export const h = () => console['error']('boom');`,
    errors: [{ messageId: 'consoleCall', line: 1, column: 24 }],
  },
  {
    name: 'console shadowed only in a sibling function',
    code: `function a(console) { console.log(1); }\nfunction b() {\n  console.log(2);\n}`,
    errors: [{ messageId: 'consoleCall', line: 3, column: 3 }],
  },
  {
    name: 'inside a callback in a .mjs file',
    filename: 'lib/worker.mjs',
    code: `export const run = () => items.forEach((i) => {\n  console.warn(i);\n});`,
    errors: [{ messageId: 'consoleCall', line: 2, column: 3 }],
  },
  {
    name: 'a failure caught at start-up is an operational error, also in a function only the module calls',
    filename: 'index.js',
    code: `async function startApp() {\n  try {\n    await connectToDB();\n  } catch (error) {\n    console.error('cannot connect', error);\n  }\n}\nstartApp();\ntry {\n  init();\n} catch (e) {\n  console.error(e);\n}`,
    errors: [
      { messageId: 'consoleCall', line: 5, column: 5 },
      { messageId: 'consoleCall', line: 12, column: 3 },
    ],
  },
  {
    name: 'a check the module calls at load that a request handler also calls',
    filename: 'src/secret.js',
    code: `function checkSecret() {\n  if (!process.env.SECRET) console.warn('weak secret');\n}\ncheckSecret();\napp.get('/login', (req, res) => {\n  checkSecret();\n  res.end();\n});`,
    errors: [{ messageId: 'consoleCall', line: 2, column: 28 }],
  },
  {
    name: 'a function called at load and also passed as a route handler, or exported',
    filename: 'src/routes.js',
    code: `function ping(req, res) {\n  console.log('ping');\n  res && res.end();\n}\nping();\napp.get('/ping', ping);\nexport const warmUp = () => {\n  console.log('warm');\n};\nwarmUp();`,
    errors: [
      { messageId: 'consoleCall', line: 2, column: 3 },
      { messageId: 'consoleCall', line: 8, column: 3 },
    ],
  },
  {
    name: 'a module-scope loop runs per message, and a default export may run per request',
    filename: 'src/consumer.mjs',
    code: `for await (const msg of consumer) {\n  console.log('got', msg.id);\n}\nexport default function init() {\n  console.log('init');\n}\ninit();`,
    errors: [
      { messageId: 'consoleCall', line: 2, column: 3 },
      { messageId: 'consoleCall', line: 5, column: 3 },
    ],
  },
];

const valid: DetectorTestCase[] = [
  {
    name: 'a start-up notice and a configuration warning at module scope (printed once, at load)',
    filename: 'src/app.js',
    code: `console.log('Loading function');\nif (!process.env.SESSION_SECRET || process.env.SESSION_SECRET.length < 8) {\n  console.warn('SESSION_SECRET is weak: set a long random value');\n}\nexports.handler = async () => ({ statusCode: 200 });`,
  },
  {
    name: 'a configuration warning in a function only the module scope calls, never exported',
    filename: 'server/modules/session.js',
    code: `const cookieSession = require('cookie-session');\nconst sessionSecret = () => {\n  if (!process.env.SERVER_SESSION_SECRET) {\n    console.log('Set SERVER_SESSION_SECRET in .env');\n  }\n  return process.env.SERVER_SESSION_SECRET;\n};\nmodule.exports = cookieSession({ secret: sessionSecret() || 'secret', maxAge: 1000 });`,
  },
  { name: 'console as a parameter', code: `function f(console) {\n  console.log('x');\n}` },
  {
    name: 'console as a local variable',
    code: `function f() {\n  const console = makeLogger();\n  console.info('x');\n}`,
  },
  { name: 'destructured parameter', code: `export const h = ({ console }) => console.error('x');` },
  {
    name: 'structured logger',
    code: `import { Logger } from '@aws-lambda-powertools/logger';\nconst logger = new Logger();\nlogger.info('x', { id: 1 });`,
  },
  { name: 'script under scripts/', filename: 'scripts/seed.ts', code: `console.log('seeding');\nconsole.table(rows);` },
  { name: 'CLI under bin/', filename: 'bin/cli.js', code: `console.log('usage');` },
  { name: 'file with a shebang', filename: 'src/tool.js', code: `#!/usr/bin/env node\nconsole.log('hello');` },
  { name: 'console.table and console.time are not log calls', code: `console.table(rows);\nconsole.time('t');` },
  { name: 'test file', filename: 'src/handler.test.ts', code: `console.log('debug');` },
  { name: 'a member named console', code: `this.console.log('x');\nctx.console.error('y');` },
];

testDetector('logging detector', logging, { valid, invalid });

describe('logging detector', () => {
  it('records the method and argument count for the transform', () => {
    const [finding] = detect(logging, `export const f = (err) => console.error('failed', err, 3);`);
    expect(finding?.data).toEqual({ method: 'error', argCount: 3 });
    expect(finding?.column).toBe(27);
  });
});
