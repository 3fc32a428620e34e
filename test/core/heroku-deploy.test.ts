import { tempTrees } from '../helpers/temp-tree';
import { describe, expect, it } from 'vitest';
import { deploysOnlyToHeroku } from '../../src/discovery/heroku';
import { scan } from '../../src/scan/scan';

/*
 * no-health-probes and a Heroku web dyno: Heroku's router sends traffic to a dyno once it binds
 * $PORT and has no probe to answer. A project deployed only there (the Node.js buildpack's settings
 * in package.json, a heroku.yml, or a Procfile `web:` process with a Heroku app.json, and no
 * container, orchestrator or IaC definition) gets no finding; the same server with a Dockerfile, a Kubernetes folder or a
 * serverless.yml beside it does.
 */

const tree = tempTrees('heroku-deploy');

const SERVER = `const express = require('express');\nconst app = express();\napp.get('/api/runs', (req, res) => res.json([]));\napp.listen(process.env.PORT || 5000);\n`;

function project(files: Record<string, string>, pkg: Record<string, unknown> = {}): string {
  const manifest = { name: 'svc', scripts: { start: 'node server/server.js' }, dependencies: { express: '^4.18.0' } };
  return tree({ 'package.json': JSON.stringify({ ...manifest, ...pkg }), 'server/server.js': SERVER, ...files });
}

const probes = (root: string) =>
  scan({ root, paths: [root] })
    .findings.filter((f) => f.ruleId === 'no-health-probes')
    .map((f) => `${f.file}:${f.line}`);

const APP = JSON.stringify({ name: 'gorun', stack: 'heroku-22', buildpacks: [{ url: 'heroku/nodejs' }] });

describe('no-health-probes on a Heroku-only deploy', () => {
  it.each([
    ['a Procfile web process and a Heroku app.json', { Procfile: 'web: node server/server.js\n', 'app.json': APP }, {}],
    [
      'a Procfile with a release and a web process, and an app.json',
      { Procfile: 'release: npm run migrate\nweb: npm start\n', 'app.json': APP },
      {},
    ],
    ['a heroku.yml', { 'heroku.yml': 'build:\n  languages:\n    - nodejs\n' }, {}],
    ['the buildpack setting heroku-run-build-script', {}, { 'heroku-run-build-script': true }],
    [
      'a heroku-postbuild script',
      {},
      { scripts: { start: 'node server/server.js', 'heroku-postbuild': 'npm run build' } },
    ],
  ])('silent with %s', (_name, files, pkg) => {
    expect(probes(project(files, pkg))).toEqual([]);
  });

  it.each([
    ['no Heroku settings at all', {}, {}],
    ['a Procfile with a worker only', { Procfile: 'worker: node jobs.js\n', 'app.json': APP }, {}],
    ['a Procfile alone (Dokku, Railway and others read it too)', { Procfile: 'web: npm start\n' }, {}],
    [
      'a Procfile and a Dokku app.json with health checks',
      { Procfile: 'web: npm start\n', 'app.json': '{"healthchecks":{"web":[{"path":"/health"}]}}' },
      {},
    ],
    [
      'a Procfile and a Dockerfile',
      { Procfile: 'web: npm start\n', Dockerfile: 'FROM node:20\nCMD ["npm", "start"]\n' },
      {},
    ],
    [
      'a Procfile and Kubernetes manifests',
      { Procfile: 'web: npm start\n', 'k8s/deployment.yaml': 'kind: Deployment\n' },
      {},
    ],
    [
      'Heroku buildpack settings and an ECS task definition',
      { 'deploy/task-definition.json': '{"family":"svc"}' },
      { 'heroku-run-build-script': true },
    ],
    [
      'a Procfile and a Serverless Framework service',
      {
        Procfile: 'web: npm start\n',
        'serverless.yml': 'service: s\nprovider:\n  name: aws\nfunctions:\n  api:\n    handler: handler.api\n',
      },
      {},
    ],
  ])('reported with %s', (_name, files, pkg) => {
    expect(probes(project(files, pkg))).toEqual(['server/server.js:4']);
  });

  it('reads the deploy from the root: a Procfile in a sub-folder is not the project', () => {
    expect(deploysOnlyToHeroku(project({ 'docs/Procfile': 'web: npm start\n' }), ['docs/Procfile'], [])).toBe(false);
  });
});
