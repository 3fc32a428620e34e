import { tempTrees } from '../helpers/temp-tree';
import { describe, expect, it } from 'vitest';
import { scan, scanAsync } from '../../src/scan/scan';

/*
 * A server that listens on an app made in another module (`const app = require('./app');
 * app.listen()`): the scan follows the app's module and the routes it imports, and reports
 * no-health-probes only when none of them answers a probe route.
 */

const tree = tempTrees('probe-joins');
const MANIFEST = JSON.stringify({ name: 'svc', dependencies: { express: '^4.18.0' } });
const project = (files: Record<string, string>): string => tree({ 'package.json': MANIFEST, ...files });

const INDEX = `const app = require('./app');\nconst config = require('./config/config');\nlet server = app.listen(config.port, () => {});\nmodule.exports = server;\n`;
const APP = `const express = require('express');\nconst routes = require('./routes/v1');\nconst app = express();\napp.use('/v1', routes);\nmodule.exports = app;\n`;
const ROUTES = (extra: string) =>
  `const express = require('express');\nconst userRoute = require('./user.route');\nconst router = express.Router();\nrouter.use('/users', userRoute);\n${extra}module.exports = router;\n`;
const USER = `const express = require('express');\nconst router = express.Router();\nrouter.get('/', (req, res) => res.json([]));\nmodule.exports = router;\n`;

const probes = (root: string) =>
  scan({ root, paths: [root] })
    .findings.filter((f) => f.ruleId === 'no-health-probes')
    .map((f) => `${f.file}:${f.line}`);

describe('no-health-probes across modules', () => {
  it('an app imported from ./app whose routes answer no probe: reported at the listen', async () => {
    const root = project({
      'src/index.js': INDEX,
      'src/app.js': APP,
      'src/routes/v1/index.js': ROUTES(''),
      'src/routes/v1/user.route.js': USER,
      'src/config/config.js': 'module.exports = { port: 3000 };\n',
    });
    expect(probes(root)).toEqual(['src/index.js:3']);
    const viaAsync = (await scanAsync({ root, paths: [root], cache: false, quiet: true })).findings.filter(
      (f) => f.ruleId === 'no-health-probes',
    );
    expect(viaAsync.map((f) => `${f.file}:${f.line}`)).toEqual(['src/index.js:3']);
  });
  it('a probe route in a module the app reaches: silent', () => {
    const root = project({
      'src/index.js': INDEX,
      'src/app.js': APP,
      'src/routes/v1/index.js': ROUTES(`router.get('/healthz', (req, res) => res.send('ok'));\n`),
      'src/routes/v1/user.route.js': USER,
      'src/config/config.js': 'module.exports = { port: 3000 };\n',
    });
    expect(probes(root)).toEqual([]);
  });
  it('an imported module that is no server app (no framework): silent', () => {
    const root = project({
      'src/index.js': `const app = require('./app');\napp.listen(3000);\n`,
      'src/app.js': `module.exports = { listen() {} };\n`,
    });
    expect(probes(root)).toEqual([]);
  });
});
