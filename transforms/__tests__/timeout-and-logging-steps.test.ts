import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import type { Finding } from '../../src/types';
import { fix as addTimeout } from '../add-timeout';
import { fix as consoleToLogger } from '../console-to-logger';
import { recastParserFor } from '../lib/recast-parser';
import { createFixContext, printOptionsFor } from '../lib/transform-api';
import type { FixStep, ServiceState } from '../../src/api/fix-context';

/** Runs one step the way the fix engine does: on the finding lines only, collecting skips and dependencies. */
function runStep(
  step: FixStep,
  ruleId: string,
  source: string,
  lines: number[] | undefined,
  file = '/virtual/src/app.ts',
) {
  const j = jscodeshift.withParser(recastParserFor(file));
  const root = j(source);
  const state: ServiceState = { modules: new Map(), dependencies: new Map(), skipped: [] };
  const findings = lines?.map(
    (line) =>
      ({
        ruleId,
        line,
        severity: 'high',
        file: 'src/app.ts',
        column: 1,
        endLine: line,
        endColumn: 1,
        message: '',
        fixable: true,
      }) as Finding,
  );
  const ctx = createFixContext(j, root, file, defaultConfig(), state, findings);
  const changed = step(ctx);
  return { changed, output: root.toSource(printOptionsFor(source)), state };
}

describe('add-timeout in the engine', () => {
  const source = [
    "import axios from 'axios';", // 1
    "import { SQSClient } from '@aws-sdk/client-sqs';", // 2
    "const api = axios.create({ baseURL: 'https://a.example.com' });", // 3
    'export const a = (cfg: object) => axios.get("https://x.example.com", cfg);', // 4
    "export const b = () => axios.get('https://y.example.com');", // 5
    "export const c = () => api.get('/z');", // 6
    'export const d = (config: object) => new SQSClient(config);', // 7
  ].join('\n');

  it.each([
    {
      lines: [5],
      changedLines: ["export const b = () => axios.get('https://y.example.com', { timeout: 6000 });"],
      skipped: [],
    },
    { lines: [4], changedLines: [], skipped: [{ line: 4, reason: 'the options are not an object literal' }] },
    // a finding on a call through an instance fixes the instance's factory
    {
      lines: [6],
      changedLines: [
        "const api = axios.create({ baseURL: 'https://a.example.com', timeout: 6000 });",
        "export const c = () => api.get('/z');",
      ],
      skipped: [],
    },
    { lines: [7], changedLines: [], skipped: [{ line: 7, reason: 'the client config is not an object literal' }] },
  ])('fixes only finding lines $lines', ({ lines, changedLines, skipped }) => {
    const { changed, output, state } = runStep(addTimeout, 'no-timeout', source, lines);
    expect(changed).toBe(changedLines.length > 0);
    for (const line of changedLines) expect(output.split('\n')).toContain(line);
    const untouched = source
      .split('\n')
      .filter((l, i) => !lines.includes(i + 1) && !changedLines.some((c) => c.startsWith(l.slice(0, 12))));
    for (const line of untouched) expect(output.split('\n')).toContain(line);
    expect(state.skipped).toEqual(skipped);
  });

  it('leaves a file without visible clients alone', () => {
    const { changed, state } = runStep(
      addTimeout,
      'no-timeout',
      "import { get } from './http';\nexport const x = () => get('/a');\n",
      undefined,
    );
    expect(changed).toBe(false);
    expect(state.skipped).toEqual([]);
  });
});

describe('console-to-logger in the engine', () => {
  const source = [
    "console.log('one');", // 1
    "console.log('two %s', name);", // 2
    '[1].forEach(console.log);', // 3
    "console.info('three');", // 4
  ].join('\n');

  it.each([
    { lines: [1], expected: ["logger.info('one');"], skipped: [] },
    { lines: [2], expected: [], skipped: [{ line: 2, reason: 'printf-style placeholders' }] },
    { lines: [3], expected: [], skipped: [{ line: 3, reason: 'console.log is passed as a value, not called' }] },
    { lines: [1, 4], expected: ["logger.info('one');", "logger.info('three');"], skipped: [] },
  ])('fixes only finding lines $lines', ({ lines, expected, skipped }) => {
    const { changed, output, state } = runStep(consoleToLogger, 'unstructured-logging', source, lines);
    expect(changed).toBe(expected.length > 0);
    for (const line of expected) expect(output).toContain(line);
    expect(state.skipped).toEqual(skipped);
    if (changed) {
      expect(output).toContain("import { logger } from './resilience/logger';");
      expect(state.dependencies.get('@aws-lambda-powertools/logger')).toBe('^2.0.0');
      expect([...state.modules.values()].map((m) => m.kind)).toEqual(['logger']);
    } else expect(state.dependencies.size).toBe(0);
  });

  it('skips a file with its own logger and records why', () => {
    const { changed, state } = runStep(
      consoleToLogger,
      'unstructured-logging',
      "const logger = console;\nconsole.log('x');\n",
      undefined,
    );
    expect(changed).toBe(false);
    expect(state.skipped).toEqual([{ line: 2, reason: 'the file already has a different `logger`' }]);
  });
});
