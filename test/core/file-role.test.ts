import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import type { PackageManifest } from '../../src/detect/detector-api';
import { classifyFile, type FileRole } from '../../src/files/file-role';
import { scan } from '../../src/scan/scan';
import { runCli } from '../helpers/cli';

/* Which files are the service: front-end code and scripts run by hand get no service findings. */

const REACT_APP: PackageManifest = { dir: 'web', dependencies: { react: '^18.0.0', 'react-dom': '^18.0.0' } };
const NEXT_APP: PackageManifest = { dir: 'site', dependencies: { react: '^18.0.0', next: '^14.0.0' } };
const API: PackageManifest = { dir: '', dependencies: { express: '^4.18.0' } };
const LAMBDA_WITH_REACT: PackageManifest = { dir: 'fns/render', dependencies: { react: '^18.0.0' } };
/** A React client and an Express API under one package.json (create-react-app + server/). */
const FULL_STACK: PackageManifest = {
  dir: 'app',
  dependencies: { express: '^4.17.0', pg: '^8.5.0', axios: '^0.21.0', react: '^17.0.0', 'redux-saga': '^1.1.0' },
};
/** A package whose npm scripts run two of its files with Node. */
const TOOLS: PackageManifest = { dir: 'tools', dependencies: {}, scriptFiles: ['tools/report.js', 'tools/server.js'] };
const manifests = [API, REACT_APP, NEXT_APP, LAMBDA_WITH_REACT, FULL_STACK, TOOLS];
const handlerFiles = new Set(['fns/order/app.js', 'handler.js', 'fns/render/app.js']);

const MAIN_CATCH =
  "const { handler } = require('./app');\nasync function main() {\n  await handler({});\n}\nmain().catch(console.error);\n";

describe('classifyFile', () => {
  it.each<[string, string, string, FileRole, RegExp | undefined]>([
    // front-end
    [
      'a module of a React package',
      'web/src/api.ts',
      "export async function load() { return fetch('/api'); }\n",
      'front-end',
      /depends on react/,
    ],
    [
      'service worker registration',
      'src/registerServiceWorker.ts',
      "export function register() {\n  navigator.serviceWorker.register('/sw.js');\n}\n",
      'front-end',
      /service worker/,
    ],
    [
      'a service worker',
      'public/sw.js',
      "self.addEventListener('fetch', (event) => {\n  event.respondWith(fetch(event.request));\n});\n",
      'front-end',
      /service worker/,
    ],
    [
      'a browser script beside a Lambda',
      'fns/page/script.js',
      "document.getElementById('go').onclick = () => fetch('/orders');\n",
      'front-end',
      /browser globals/,
    ],
    [
      'a component of a React client packaged with its Express API',
      'app/src/components/Stats.jsx',
      "import React from 'react';\nexport default function Stats() {\n  console.log('render');\n  return null;\n}\n",
      'front-end',
      /imports react: the browser half of a full-stack package/,
    ],
    [
      'a redux-saga of that client calling the API with axios',
      'app/src/redux/sagas/run.saga.js',
      "import axios from 'axios';\nimport { put, takeLatest } from 'redux-saga/effects';\nfunction* fetchRuns() {\n  try {\n    yield axios.get('/api/runs');\n  } catch (error) {\n    console.log(error);\n  }\n}\nexport default function* runSaga() {\n  yield takeLatest('FETCH_RUNS', fetchRuns);\n}\n",
      'front-end',
      /imports redux-saga\/effects/,
    ],
    // scripts
    ['a local test runner', 'fns/order/localTest.js', MAIN_CATCH, 'script', /local harness/],
    ['a test harness', 'fns/order/testharness.js', MAIN_CATCH, 'script', /local harness/],
    [
      'an operator script',
      'scripts/stopExecutions.js',
      "const AWS = require('aws-sdk');\nexports.stop = async () => {};\n",
      'script',
      /operator script/,
    ],
    [
      'a seed script',
      'src/prisma/seed.ts',
      "import { PrismaClient } from '@prisma/client';\nexport const main = async () => {};\n",
      'script',
      /seed or migration/,
    ],
    [
      'a migration',
      'db/migrations/001_init.js',
      "exports.up = (knex) => knex.schema.createTable('t');\n",
      'script',
      /seed or migration/,
    ],
    ['a main().catch entry point', 'tools/backfill.js', MAIN_CATCH, 'script', /main\(\) entry point/],
    [
      'a scaffolding CLI',
      'bin/create-app.js',
      "#!/usr/bin/env node\nconst fs = require('fs');\nfs.mkdirSync(process.argv[2]);\n",
      'script',
      /command-line program/,
    ],
    [
      'a local runner of the Lambda app',
      'index.js',
      "const { app } = require('./handler');\napp.listen(3000);\n",
      'script',
      /runs a Lambda-deployed app locally/,
    ],
    // service, look-alikes of the above
    [
      'an Express route file',
      'src/routes/orders.js',
      "const router = require('express').Router();\nmodule.exports = router;\n",
      'service',
      undefined,
    ],
    ['a deployed handler named like a harness', 'handler.js', MAIN_CATCH, 'service', undefined],
    [
      'a handler of a package that renders React',
      'fns/render/app.js',
      "const React = require('react');\nexports.handler = async () => ({ statusCode: 200 });\n",
      'service',
      undefined,
    ],
    [
      'a module beside a handler that renders React',
      'fns/render/template.js',
      "const React = require('react');\nmodule.exports = (p) => React.createElement('p', null, p);\n",
      'service',
      undefined,
    ],
    [
      'a Next.js API route',
      'site/pages/api/orders.ts',
      'export default async function handler(req, res) { res.json(await fetch(process.env.API).then((r) => r.json())); }\n',
      'service',
      undefined,
    ],
    [
      'a server started from main()',
      'src/main.ts',
      "import express from 'express';\nasync function main() {\n  express().listen(3000);\n}\nmain().catch(console.error);\n",
      'service',
      undefined,
    ],
    [
      'a queue worker started from main()',
      'worker/index.js',
      'async function main() {\n  while (true) {\n    await poll();\n  }\n}\nmain().catch(console.error);\n',
      'service',
      undefined,
    ],
    [
      'express-generator bin/www',
      'bin/www.js',
      "#!/usr/bin/env node\nconst app = require('../app');\nrequire('http').createServer(app).listen(3000);\n",
      'service',
      undefined,
    ],
    [
      'a server that guards on typeof window',
      'src/util.js',
      "const isBrowser = typeof window !== 'undefined';\nmodule.exports = { isBrowser };\n",
      'service',
      undefined,
    ],
    [
      'a name that only contains "scripts"',
      'src/scriptsRunner.ts',
      'export const run = () => 1;\n',
      'service',
      undefined,
    ],
    [
      'the Express half of a full-stack package',
      'app/server/routes/weather.router.js',
      "const express = require('express');\nconst axios = require('axios');\nconst router = express.Router();\nmodule.exports = router;\n",
      'service',
      undefined,
    ],
    [
      'a server-rendering module of a full-stack package',
      'app/server/render.js',
      "const React = require('react');\nconst { renderToString } = require('react-dom/server');\nmodule.exports = (App) => renderToString(React.createElement(App));\n",
      'service',
      undefined,
    ],
    [
      'a Next.js page importing React',
      'site/pages/orders.tsx',
      "import React from 'react';\nexport async function getServerSideProps() { return { props: await load() }; }\nexport default function Orders() { return null; }\n",
      'service',
      undefined,
    ],
    [
      'a program that reads its command line',
      'cmd/openapi-to-schema.js',
      "const convert = require('openapi2schema');\nconvert(process.argv[2], {}, (err, out) => {\n  if (err) return console.error(err);\n});\n",
      'script',
      /command line/,
    ],
    [
      'a file an npm script runs',
      'tools/report.js',
      "const { load } = require('./load');\nload().then((rows) => console.log(rows.length));\n",
      'script',
      /npm script/,
    ],
    [
      'a queue worker (sqs-consumer) that reads a flag from its command line',
      'src/worker.js',
      "const { Consumer } = require('sqs-consumer');\nconst verbose = process.argv[2] === '-v';\nConsumer.create({ queueUrl: process.env.QUEUE_URL, handleMessage }).start();\n",
      'service',
      undefined,
    ],
    [
      'a server an npm script starts',
      'tools/server.js',
      "const app = require('express')();\napp.get('/x', x);\napp.listen(Number(process.argv[2] ?? 3000));\n",
      'service',
      undefined,
    ],
    [
      'a container server that imports no handler',
      'server.js',
      "const app = require('./app');\napp.listen(8080);\n",
      'service',
      undefined,
    ],
  ])('%s (%s)', (_name, file, text, role, reason) => {
    const verdict = classifyFile(file, text, { manifests, handlerFiles });
    expect(verdict.role).toBe(role);
    if (reason) expect(verdict.reason).toMatch(reason);
    else expect(verdict.reason).toBeUndefined();
  });
});

describe('the scan reports service findings on service code only', () => {
  const write = (files: Record<string, string>): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-roles-'));
    for (const [f, t] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), t);
    }
    return dir;
  };
  const files = {
    'package.json': JSON.stringify({ name: 'svc', dependencies: { axios: '^1.0.0' } }),
    'src/orders.js':
      "const axios = require('axios');\nexports.list = async () => {\n  try {\n    return await axios.get('https://inventory.example.com/items');\n  } catch (err) {\n    console.log(err);\n    return [];\n  }\n};\n",
    'web/package.json': JSON.stringify({ name: 'web', dependencies: { react: '^18.0.0' } }),
    'web/src/load.js':
      "export async function load() {\n  try {\n    return await fetch('/api/orders');\n  } catch (err) {\n    console.log(err);\n    return [];\n  }\n}\nexport const key = 'sk_live_abcdefghijklmnopqrstuvwx';\n",
    'scripts/backfill.js':
      "async function main() {\n  try {\n    await fetch('https://inventory.example.com/items');\n  } catch (err) {\n    console.log(err);\n  }\n}\nmain().catch(console.error);\n",
  };

  it('front-end files keep only hard-coded secrets; scripts get nothing by default', () => {
    const dir = write(files);
    const result = scan({ root: dir, config: defaultConfig(), paths: [dir] });
    const byFile = (f: string): string[] =>
      [...new Set(result.findings.filter((x) => x.file === f).map((x) => x.ruleId))].sort();
    expect(byFile('src/orders.js')).toEqual(expect.arrayContaining(['no-timeout', 'silent-error-swallow']));
    expect(byFile('web/src/load.js').filter((r) => r !== 'hardcoded-secret')).toEqual([]);
    expect(byFile('scripts/backfill.js')).toEqual([]);
  });

  it('includeScripts (config or option) reports scripts like the service', () => {
    const dir = write(files);
    const config = { ...defaultConfig(), includeScripts: true };
    const fromConfig = scan({ root: dir, config, paths: [dir] })
      .findings.filter((x) => x.file === 'scripts/backfill.js')
      .map((x) => x.ruleId);
    expect(fromConfig).toEqual(expect.arrayContaining(['no-timeout', 'silent-error-swallow']));
    const fromOption = scan({ root: dir, config: defaultConfig(), paths: [dir], includeScripts: true }).findings.filter(
      (x) => x.file === 'scripts/backfill.js',
    );
    expect(fromOption.map((x) => x.ruleId).sort()).toEqual([...fromConfig].sort());
    // front-end code stays out whatever the switch says
    expect(
      scan({ root: dir, config, paths: [dir] }).findings.filter(
        (x) => x.file === 'web/src/load.js' && x.ruleId !== 'hardcoded-secret',
      ),
    ).toEqual([]);
  });

  it('files the npm scripts run with node are scripts (Windows separators in the command too)', () => {
    const dir = write({
      'package.json': JSON.stringify({
        name: 'svc',
        scripts: {
          convert: 'node .\\cmd\\convert.js api.yaml out.json',
          seed: 'npx ts-node --transpile-only tools/fill.ts',
        },
      }),
      'cmd/convert.js':
        "const fs = require('fs');\nfs.readFile('api.yaml', (err, t) => {\n  if (err) {\n    return console.log(err);\n  }\n});\n",
      'tools/fill.ts':
        "import axios from 'axios';\naxios.get('https://inventory.example.com/items').catch(() => null);\n",
    });
    const result = scan({ root: dir, config: defaultConfig(), paths: [dir] });
    expect(result.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual([]);
    const all = scan({ root: dir, config: defaultConfig(), paths: [dir], includeScripts: true });
    expect(new Set(all.findings.map((f) => f.file))).toEqual(new Set(['cmd/convert.js', 'tools/fill.ts']));
  });

  it('the file `npm start` runs is the service, whatever else it looks like', () => {
    const dir = write({
      'package.json': JSON.stringify({
        name: 'svc',
        scripts: { start: 'node src/worker.js', 'start:dev': 'node src/worker.js' },
      }),
      'src/worker.js':
        "const axios = require('axios');\nasync function tick() {\n  try {\n    await axios.get('https://inventory.example.com/items');\n  } catch (err) {\n    console.log(err);\n  }\n}\ntick();\n",
    });
    const rules = scan({ root: dir, config: defaultConfig(), paths: [dir] }).findings.map((f) => f.ruleId);
    expect(rules).toEqual(expect.arrayContaining(['no-timeout', 'silent-error-swallow']));
  });

  it('the CLI takes --include-scripts (built CLI)', () => {
    const dir = write(files);
    const inScripts = (args: string[]): number => {
      const run = runCli(['scan', dir, '--format', 'json', '--no-cache', ...args]);
      return (JSON.parse(run.stdout) as { findings: Array<{ file: string }> }).findings.filter(
        (f) => f.file === 'scripts/backfill.js',
      ).length;
    };
    expect(inScripts([])).toBe(0);
    expect(inScripts(['--include-scripts'])).toBeGreaterThan(0);
  });
});
