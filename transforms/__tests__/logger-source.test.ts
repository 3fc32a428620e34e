import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import { loggerSource } from '../generators/logger-source';
import { serviceNameOf } from '../lib/service-name';

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
    const text = loggerSource({ typescript: true, esm: true, config, serviceName: 'orders-service' });
    expect(text).toContain("import { Logger } from '@aws-lambda-powertools/logger';");
    expect(text).toContain('export const logger = new Logger({');
    expect(text).toContain("serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'orders-service'");
    expect(text).toContain('logLevel: process.env.LOG_LEVEL as LogLevel | undefined');
    const file = write('logger.ts', text);
    const use = write(
      'use-logger.ts',
      "import { logger } from './logger';\nlogger.info('ready', { port: 1 });\nlogger.error('failed', new Error('x'));\n",
    );
    const tsc = path.join(ROOT, 'node_modules/.bin/tsc');
    // throws with the compiler output when it does not type-check
    execFileSync(
      tsc,
      [
        '--noEmit',
        '--strict',
        '--esModuleInterop',
        '--skipLibCheck',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        file,
        use,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
  }, 60_000);

  it('CommonJS: requires and exports the logger, and runs', () => {
    const text = loggerSource({ typescript: false, esm: false, config });
    expect(text).not.toMatch(/^import /m);
    expect(text).toContain("const { Logger } = require('@aws-lambda-powertools/logger');");
    expect(text).toContain('module.exports = { logger };');
    const file = write('logger.cjs', text);
    const out = execFileSync(
      process.execPath,
      ['-e', `require(${JSON.stringify(file)}).logger.info('hello', { a: 1 })`],
      {
        encoding: 'utf8',
        env: { ...process.env, POWERTOOLS_SERVICE_NAME: 'orders', LOG_LEVEL: 'INFO' },
      },
    );
    expect(JSON.parse(out.trim())).toMatchObject({ level: 'INFO', message: 'hello', service: 'orders', a: 1 });
  }, 30_000);

  it('JavaScript ESM: imports the logger without type syntax, and runs', () => {
    const text = loggerSource({ typescript: false, esm: true, config });
    expect(text).not.toContain('LogLevel');
    expect(text).toContain('export const logger = new Logger({');
    const file = write('logger.mjs', text);
    // warn and error go to stderr, the lower levels to stdout
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { logger } = await import(${JSON.stringify(file)}); logger.info('hidden'); logger.warn('shown');`,
      ],
      {
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: 'warn' },
      },
    );
    expect(run.stdout).toBe('');
    const out = run.stderr;
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { message: string; service: string });
    expect(lines.map((l) => l.message)).toEqual(['shown']);
    expect(lines[0]!.service).toBe(process.env.POWERTOOLS_SERVICE_NAME ?? 'service');
  }, 30_000);
});

describe('the service name the logger is generated with', () => {
  const dir = (files: Record<string, string>): string => {
    const root = fs.mkdtempSync(path.join(ROOT, 'test/tmp/service-name-'));
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), text);
    }
    fs.mkdirSync(path.join(root, '.git'));
    return root;
  };
  const cases: Array<[string, Record<string, string>, string, string]> = [
    [
      'the Serverless service',
      { 'serverless.yml': 'service: orders-service\nprovider:\n  name: aws\n', 'package.json': '{"name":"whatever"}' },
      '',
      'orders-service',
    ],
    ['the older Serverless service: name:', { 'serverless.yml': 'service:\n  name: billing\n' }, '', 'billing'],
    [
      'the SAM stack name',
      {
        'samconfig.toml': 'version = 0.1\n[default.deploy.parameters]\nstack_name = "shopping-cart"\n',
        'template.yaml': 'Resources: {}\n',
      },
      '',
      'shopping-cart',
    ],
    ['the package name without its scope', { 'package.json': '{"name":"@shop/inventory-api"}' }, '', 'inventory-api'],
    [
      'the package before a Serverless service with a variable',
      { 'serverless.yml': 'service: ${env:NAME}\n', 'package.json': '{"name":"fallback-pkg"}' },
      '',
      'fallback-pkg',
    ],
    [
      'the nearest: a workspace package inside a Serverless project',
      { 'serverless.yml': 'service: platform\n', 'packages/payments/package.json': '{"name":"payments"}' },
      'packages/payments',
      'payments',
    ],
  ];
  it.each(cases)('%s', (_label, files, sub, want) => {
    const root = dir(files);
    try {
      expect(serviceNameOf(path.join(root, sub))).toBe(want);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
