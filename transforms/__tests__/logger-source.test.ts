import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import { loggerSource } from '../generators/logger-source';

const ROOT = path.resolve(__dirname, '../..');
const TMP = path.join(ROOT, 'test/tmp/logger-source');

function write(name: string, text: string): string {
  fs.mkdirSync(TMP, { recursive: true });
  const file = path.join(TMP, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('loggerSource', () => {
  const config = defaultConfig();

  it('TypeScript: exports one Logger and type-checks under strict', () => {
    const text = loggerSource({ typescript: true, esm: true, config });
    expect(text).toContain("import { Logger } from '@aws-lambda-powertools/logger';");
    expect(text).toContain('export const logger = new Logger({');
    expect(text).toContain("serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'service'");
    expect(text).toContain('logLevel: process.env.LOG_LEVEL as LogLevel | undefined');
    const file = write('logger.ts', text);
    const use = write('use-logger.ts', "import { logger } from './logger';\nlogger.info('ready', { port: 1 });\nlogger.error('failed', new Error('x'));\n");
    const tsc = path.join(ROOT, 'node_modules/.bin/tsc');
    // throws with the compiler output when it does not type-check
    execFileSync(tsc, ['--noEmit', '--strict', '--esModuleInterop', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', file, use], { cwd: ROOT, encoding: 'utf8' });
  }, 60_000);

  it('CommonJS: requires and exports the logger, and runs', () => {
    const text = loggerSource({ typescript: false, esm: false, config });
    expect(text).not.toMatch(/^import /m);
    expect(text).toContain("const { Logger } = require('@aws-lambda-powertools/logger');");
    expect(text).toContain('module.exports = { logger };');
    const file = write('logger.cjs', text);
    const out = execFileSync(process.execPath, ['-e', `require(${JSON.stringify(file)}).logger.info('hello', { a: 1 })`], {
      encoding: 'utf8', env: { ...process.env, POWERTOOLS_SERVICE_NAME: 'orders', LOG_LEVEL: 'INFO' },
    });
    expect(JSON.parse(out.trim())).toMatchObject({ level: 'INFO', message: 'hello', service: 'orders', a: 1 });
  }, 30_000);

  it('JavaScript ESM: imports the logger without type syntax, and runs', () => {
    const text = loggerSource({ typescript: false, esm: true, config });
    expect(text).not.toContain('LogLevel');
    expect(text).toContain('export const logger = new Logger({');
    const file = write('logger.mjs', text);
    // warn and error go to stderr, the lower levels to stdout
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `const { logger } = await import(${JSON.stringify(file)}); logger.info('hidden'); logger.warn('shown');`], {
      encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    expect(run.stdout).toBe('');
    const out = run.stderr;
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { message: string; service: string });
    expect(lines.map((l) => l.message)).toEqual(['shown']);
    expect(lines[0]!.service).toBe(process.env.POWERTOOLS_SERVICE_NAME ?? 'service');
  }, 30_000);
});
