import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import type { Finding } from '../../src/types';
import { fix as forwardRouteErrors } from '../forward-route-errors';
import { recastParserFor } from '../lib/recast-parser';
import { createFixContext } from '../lib/transform-api';
import type { ServiceState } from '../../src/api/fix-context';

/**
 * forward-route-errors on a Fastify/Koa app finding, as the engine runs it: the framework's
 * version (read by the detector from package.json) decides whether Fastify can get the handler.
 */
const FILE = '/virtual/src/server.ts';
const SOURCE = `import Fastify from 'fastify';
import { load } from './load';

const app = Fastify();
app.get('/x', async () => load());
`;

function appFinding(frameworkMajor: number | null): Finding {
  return {
    ruleId: 'unhandled-route-rejection',
    severity: 'high',
    file: 'src/server.ts',
    line: 4,
    column: 13,
    endLine: 4,
    endColumn: 22,
    message: '',
    fixable: true,
    data: { framework: 'fastify', app: 'app', awaitLine: 5, frameworkMajor },
  };
}

function run(findings: Finding[]) {
  const j = jscodeshift.withParser(recastParserFor(FILE));
  const root = j(SOURCE);
  const state: ServiceState = { modules: new Map(), dependencies: new Map(), skipped: [] };
  const changed = forwardRouteErrors(
    createFixContext(j, root, FILE, defaultConfig(), state, findings, { run: { willFix: () => false } }),
  );
  return {
    changed,
    output: root.toSource({ quote: 'single' }),
    skipped: state.skipped,
    modules: [...state.modules.values()].map((m) => m.kind),
  };
}

describe('forward-route-errors on a Fastify app', () => {
  it('adds the 503 error handler right after the app is made (Fastify 4 and later, or no version known)', () => {
    for (const major of [4, 5, null]) {
      const { changed, output, modules } = run([appFinding(major)]);
      expect(changed).toBe(true);
      expect(modules).toEqual(['errors']);
      expect(output).toMatch(
        /const app = Fastify\(\);\n\n\/\/ Route failures end here[^\n]*\n[^\n]*\napp\.setErrorHandler\(\(err, _request, reply\) => \{\n {2}if \(!isInfraFailure\(err\)\) throw err;/,
      );
      expect(output.indexOf('setErrorHandler')).toBeLessThan(output.indexOf("app.get('/x'"));
    }
  });

  it('leaves a Fastify 3 app with the reason (a failure thrown in its error handler is not passed on)', () => {
    const { changed, output, skipped, modules } = run([appFinding(3)]);
    expect(changed).toBe(false);
    expect(output).toBe(SOURCE);
    expect(modules).toEqual([]);
    expect(skipped).toEqual([
      expect.objectContaining({ line: 4, reason: expect.stringMatching(/^Fastify 3 does not pass/) }),
    ]);
  });
});
