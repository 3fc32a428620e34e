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
    code: `console.info('a');\nconsole.warn('b');\nconsole.error('c', err);\nconsole.debug('d');\nconsole.trace();`,
    errors: [
      { messageId: 'consoleCall', line: 1, column: 1 },
      { messageId: 'consoleCall', line: 2, column: 1 },
      { messageId: 'consoleCall', line: 3, column: 1 },
      { messageId: 'consoleCall', line: 4, column: 1 },
      { messageId: 'consoleCall', line: 5, column: 1 },
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
    code: `console['error']('boom');`,
    errors: [{ messageId: 'consoleCall', line: 1, column: 1 }],
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
];

const valid: DetectorTestCase[] = [
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
    const [finding] = detect(logging, `console.error('failed', err, 3);`);
    expect(finding?.data).toEqual({ method: 'error', argCount: 3 });
    expect(finding?.column).toBe(1);
  });
});
