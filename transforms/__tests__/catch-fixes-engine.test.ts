import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import type { ContractData, FindingRef } from '../../src/contract-types';
import type { Finding } from '../../src/types';
import { fix as errorTaxonomy } from '../error-taxonomy';
import { fix as infraFailureStatus } from '../infra-failure-status';
import { recastParserFor } from '../lib/recast-parser';
import { createFixContext } from '../lib/transform-api';
import type { FixStep, ServiceState } from '../../src/api/fix-context';
import { fix as swallowedCatch } from '../swallowed-catch';

/**
 * The catch fixes as the engine runs them: only handlers on a finding's line change, and a
 * finding that cannot be fixed safely is reported with its line and reason.
 */
const FILE = '/virtual/src/handler.ts';

/** A function's callers as the scan resolves them: by default one that awaits it inside a try/catch. */
const HANDLED: ContractData = {
  contract: { name: 'f', exports: ['f'], line: 1 },
  callers: [{ file: 'src/server.ts', line: 9, testsDefault: false, verdict: { kind: 'handles' } }],
};

function finding(ruleId: string, line: number, data?: ContractData): Finding {
  const contract =
    ruleId === 'silent-error-swallow' ? { data: { ...(data ?? HANDLED) } as unknown as Record<string, unknown> } : {};
  return {
    ruleId,
    severity: 'critical',
    file: 'src/handler.ts',
    line,
    column: 1,
    endLine: line,
    endColumn: 1,
    message: '',
    fixable: true,
    ...contract,
  };
}

function run(step: FixStep, source: string, findings: Finding[], chosen: FindingRef[] = []) {
  const j = jscodeshift.withParser(recastParserFor(FILE));
  const root = j(source);
  const state: ServiceState = { modules: new Map(), dependencies: new Map(), skipped: [] };
  const willFix = (ref: FindingRef): boolean =>
    chosen.some((c) => c.ruleId === ref.ruleId && c.file === ref.file && c.line === ref.line);
  const changed = step(createFixContext(j, root, FILE, defaultConfig(), state, findings, { run: { willFix } }));
  return {
    changed,
    output: root.toSource({ quote: 'single' }),
    modules: [...state.modules.values()].map((m) => m.kind),
    skipped: state.skipped,
    requires: state.requires ?? [],
  };
}

const SWALLOWS = `export async function a() {
  try {
    return await fetch('https://a.example.com');
  } catch (err) {
    return null;
  }
}

export async function b() {
  try {
    return await fetch('https://b.example.com');
  } catch (err) {
    console.error(err);
    return null;
  }
}
`;

describe('swallowed-catch in the engine', () => {
  it('fixes only the handler a finding points at', () => {
    const { changed, output, modules } = run(swallowedCatch, SWALLOWS, [finding('silent-error-swallow', 12)]);
    expect(changed).toBe(true);
    expect(modules).toEqual(['errors']);
    expect(output).toContain('  } catch (err) {\n    return null;\n  }');
    expect(output).toContain('    console.error(err);\n    throw classify(err);');
  });

  it('changes nothing and creates no module without findings on handlers', () => {
    const { changed, modules } = run(swallowedCatch, SWALLOWS, [finding('silent-error-swallow', 1)]);
    expect(changed).toBe(false);
    expect(modules).toEqual([]);
  });

  const left: Array<[string, string, number, RegExp]> = [
    [
      'a batch loop over SQS records',
      `export async function handler(event) {
  for (const record of event.Records) {
    try { await send(record); } catch (err) { console.error(err); }
  }
}
`,
      3,
      /@aws-lambda-powertools\/batch/,
    ],
    [
      'a loop that goes on with the next item',
      `export async function all(ids) {
  for (const id of ids) {
    try { await send(id); } catch (err) { console.error(err); continue; }
  }
}
`,
      3,
      /rethrow would stop the whole loop/,
    ],
    [
      'a fire-and-forget promise',
      `export function track() {
  send('metric').catch(() => {});
}
`,
      2,
      /unhandled rejection/,
    ],
    [
      'a handler that does more than log',
      `export async function c() {
  try { await send(); } catch (err) { metrics.count('failed'); return null; }
}
`,
      2,
      /does more than log/,
    ],
    [
      'an intended swallow',
      `export async function d() {
  try { await send(); } catch {
    // best effort, the cache refills itself
  }
}
`,
      2,
      /on purpose/,
    ],
  ];
  it.each(left)('leaves %s and reports why', (_label, source, line, reason) => {
    const { changed, output, skipped } = run(swallowedCatch, source, [finding('silent-error-swallow', line)]);
    expect(changed).toBe(false);
    expect(output).toBe(source);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.line).toBe(line);
    expect(skipped[0]?.reason).toMatch(reason);
  });
});

describe('swallowed-catch and the callers of the function it changes', () => {
  const route = { ruleId: 'unhandled-route-rejection', file: 'src/server.ts', line: 20 };
  const cases: Array<[string, ContractData, RegExp]> = [
    [
      'callers the scan did not resolve',
      { contract: { name: 'b', exports: ['b'], line: 8 } },
      /callers of this function were not resolved/,
    ],
    [
      'a fire-and-forget caller',
      {
        contract: { name: 'b', exports: ['b'], line: 8 },
        callers: [
          {
            file: 'src/jobs.ts',
            line: 4,
            testsDefault: false,
            verdict: {
              kind: 'unsafe',
              reason: 'called without await, return or .catch: a rejection would be unhandled and stop the process',
            },
          },
        ],
      },
      /src\/jobs.ts:4: called without await/,
    ],
    [
      'a caller in a package the scan does not see',
      {
        contract: { name: 'b', exports: ['b'], line: 8 },
        callers: [],
        callersIncomplete: "the package's entry module: other packages may call it",
      },
      /b is exported and the package's entry module/,
    ],
    [
      'a function whose callers are unknown',
      { contract: { unknown: 'module scope: a rethrow stops the module from loading' } },
      /module scope/,
    ],
  ];
  it.each(cases)('leaves the catch for %s, with the reason', (_label, data, reason) => {
    const { changed, output, skipped } = run(swallowedCatch, SWALLOWS, [finding('silent-error-swallow', 12, data)]);
    expect(changed).toBe(false);
    expect(output).toBe(SWALLOWS);
    expect(skipped.map((s) => s.line)).toEqual([12]);
    expect(skipped[0]?.reason).toMatch(reason);
  });

  const viaRoute: ContractData = {
    contract: { name: 'b', exports: ['b'], line: 8 },
    callers: [
      {
        file: 'src/server.ts',
        line: 21,
        testsDefault: false,
        verdict: { kind: 'passes-on', to: 'the express route handler at line 20' },
      },
      {
        file: 'src/server.ts',
        line: 20,
        testsDefault: false,
        verdict: { kind: 'route', framework: 'express', line: 20 },
      },
    ],
  };
  it('leaves the catch when an Express 4 route caller is not fixed in the same run', () => {
    const { changed, skipped } = run(swallowedCatch, SWALLOWS, [finding('silent-error-swallow', 12, viaRoute)]);
    expect(changed).toBe(false);
    expect(skipped[0]?.reason).toMatch(
      /the express route handler at src\/server.ts:20, does not catch a rejection and would crash the process: fix unhandled-route-rejection there/,
    );
  });

  it('rethrows when the route is fixed in the same run, and records that it depends on it', () => {
    const { changed, output, requires } = run(
      swallowedCatch,
      SWALLOWS,
      [finding('silent-error-swallow', 12, viaRoute)],
      [route],
    );
    expect(changed).toBe(true);
    expect(output).toContain('    console.error(err);\n    throw classify(err);');
    expect(requires).toEqual([{ ...route, by: 12 }]);
  });

  it('keeps the default for errors that are not outages when a caller reads it back (=== null)', () => {
    const readsNull: ContractData = {
      ...HANDLED,
      callers: [{ file: 'src/server.ts', line: 9, testsDefault: true, verdict: { kind: 'handles' } }],
    };
    const { changed, output, modules } = run(swallowedCatch, SWALLOWS, [
      finding('silent-error-swallow', 12, readsNull),
    ]);
    expect(changed).toBe(true);
    expect(modules).toEqual(['errors']);
    expect(output).toContain("import { classify, isInfraFailure } from './resilience/errors';");
    expect(output).toContain(
      '    console.error(err);\n    if (isInfraFailure(err)) {\n      throw classify(err);\n    }\n    return null;',
    );
  });

  it('rethrows without looking at callers when a try/catch of the function itself catches it', () => {
    const inside: ContractData = { contract: { name: 'b', exports: ['b'], line: 8, caughtInside: true } };
    const { changed, output } = run(swallowedCatch, SWALLOWS, [finding('silent-error-swallow', 12, inside)]);
    expect(changed).toBe(true);
    expect(output).toContain('throw classify(err);');
  });
});

describe('infra-failure-status in the engine', () => {
  const source = `export async function handler(event) {
  try {
    return { statusCode: 200, body: await load(event) };
  } catch (err) {
    return { statusCode: 401, body: 'Unauthorized' };
  }
}

export async function other(event) {
  try {
    return { statusCode: 200, body: await load(event) };
  } catch (err) {
    return respond(401);
  }
}
`;
  it('adds the 503 guard to the handler on the finding line', () => {
    const { changed, output } = run(infraFailureStatus, source, [finding('wrong-status-on-infra-failure', 5)]);
    expect(changed).toBe(true);
    expect(output).toContain(
      "  } catch (err) {\n    if (isInfraFailure(err)) {\n      return { statusCode: 503, headers: { 'Retry-After': '30' }",
    );
    expect(output.match(/isInfraFailure\(err\)/g)).toHaveLength(1);
  });

  it('writes the guard in the quote style of the file', () => {
    const express = `export async function get(req, res) {
  try {
    res.json(await load(req.params.id));
  } catch {
    res.status(404).json({ message: "Not found" });
  }
}
`;
    const { output } = run(infraFailureStatus, express, [finding('wrong-status-on-infra-failure', 4)]);
    expect(output).toContain(
      '  } catch (err) {\n    if (isInfraFailure(err)) {\n      res.status(503).set("Retry-After", "30").json({ message: "Service unavailable" });\n      return;\n    }\n',
    );
  });

  it('finds the handler from a finding on a nested response line', () => {
    const nested = `export async function handler(event) {
  try {
    return { statusCode: 200, body: await load(event) };
  } catch (err) {
    if (event.path === '/admin') {
      return {
        statusCode: 403,
        body: 'Forbidden',
      };
    }
    throw err;
  }
}
`;
    const { changed, output } = run(infraFailureStatus, nested, [finding('wrong-status-on-infra-failure', 7)]);
    expect(changed).toBe(true);
    expect(output).toContain('  } catch (err) {\n    if (isInfraFailure(err)) {\n      return { statusCode: 503,');
    expect(output).toContain("    if (event.path === '/admin') {");
  });

  it('reports an answer it cannot read', () => {
    const { changed, skipped } = run(infraFailureStatus, source, [finding('wrong-status-on-infra-failure', 13)]);
    expect(changed).toBe(false);
    expect(skipped).toEqual([{ line: 12, reason: expect.stringMatching(/add the 503 guard by hand/) }]);
  });
});

describe('error-taxonomy in the engine', () => {
  it.each([
    [[], []],
    [[finding('silent-error-swallow', 3)], ['errors']],
  ] as const)('with %j findings requests %j and changes no code', (findings, modules) => {
    const result = run(errorTaxonomy, 'export const x = 1;\n', [...findings]);
    expect(result.changed).toBe(false);
    expect(result.modules).toEqual(modules);
    expect(result.output).toBe('export const x = 1;\n');
  });
});
