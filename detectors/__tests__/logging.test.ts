import { describe, expect, it } from 'vitest';
import logging from '../logging';
import { detect, ids } from '../../test/helpers/detect';

interface Case {
  name: string;
  code: string;
  path?: string;
  expected?: string[];
}

const invalid: Case[] = [
  {
    name: 'console.log in a TS module',
    code: `export function f() {\n  console.log('hi');\n}`,
    expected: ['unstructured-logging@2'],
  },
  {
    name: 'each method, one finding per call',
    code: `console.info('a');\nconsole.warn('b');\nconsole.error('c', err);\nconsole.debug('d');\nconsole.trace();`,
    expected: [
      'unstructured-logging@1',
      'unstructured-logging@2',
      'unstructured-logging@3',
      'unstructured-logging@4',
      'unstructured-logging@5',
    ],
  },
  {
    name: 'CommonJS handler',
    path: 'src/handler.js',
    code: `const x = require('x');\nexports.handler = async (event) => {\n  console.log('event', JSON.stringify(event));\n};`,
    expected: ['unstructured-logging@3'],
  },
  { name: 'computed member', code: `console['error']('boom');`, expected: ['unstructured-logging@1'] },
  {
    name: 'console shadowed only in a sibling function',
    code: `function a(console) { console.log(1); }\nfunction b() {\n  console.log(2);\n}`,
    expected: ['unstructured-logging@3'],
  },
  {
    name: 'inside a callback in a .mjs file',
    path: 'lib/worker.mjs',
    code: `export const run = () => items.forEach((i) => {\n  console.warn(i);\n});`,
    expected: ['unstructured-logging@2'],
  },
];

const valid: Case[] = [
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
  { name: 'script under scripts/', path: 'scripts/seed.ts', code: `console.log('seeding');\nconsole.table(rows);` },
  { name: 'CLI under bin/', path: 'bin/cli.js', code: `console.log('usage');` },
  { name: 'file with a shebang', path: 'src/tool.js', code: `#!/usr/bin/env node\nconsole.log('hello');` },
  { name: 'console.table and console.time are not log calls', code: `console.table(rows);\nconsole.time('t');` },
  { name: 'test file', path: 'src/handler.test.ts', code: `console.log('debug');` },
  { name: 'a member named console', code: `this.console.log('x');\nctx.console.error('y');` },
];

describe('logging detector', () => {
  it.each(invalid)('flags: $name', ({ code, path, expected }) => {
    expect(ids(detect(logging, code, { path }))).toEqual(expected);
  });
  it.each(valid)('stays silent: $name', ({ code, path }) => {
    expect(detect(logging, code, { path })).toEqual([]);
  });
  it('records the method and argument count for the transform', () => {
    const [finding] = detect(logging, `console.error('failed', err, 3);`);
    expect(finding?.data).toEqual({ method: 'error', argCount: 3 });
    expect(finding?.column).toBe(1);
  });
});
