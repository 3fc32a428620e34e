import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import type { Finding } from '../../src/types';
import { fix as errorTaxonomy } from '../error-taxonomy';
import { fix as infraFailureStatus } from '../infra-failure-status';
import { recastParserFor } from '../lib/recast-parser';
import { createFixContext, type FixStep, type ServiceState } from '../lib/transform-api';
import { fix as swallowedCatch } from '../swallowed-catch';

/**
 * The catch fixes as the engine runs them: only handlers on a finding's line change, and a
 * finding that cannot be fixed safely is reported with its line and reason.
 */
const FILE = '/virtual/src/handler.ts';

function finding(ruleId: string, line: number): Finding {
  return { ruleId, severity: 'critical', file: 'src/handler.ts', line, column: 1, endLine: line, endColumn: 1, message: '', fixable: true };
}

function run(step: FixStep, source: string, findings: Finding[]) {
  const j = jscodeshift.withParser(recastParserFor(FILE));
  const root = j(source);
  const state: ServiceState = { modules: new Map(), dependencies: new Map(), skipped: [] };
  const changed = step(createFixContext(j, root, FILE, defaultConfig(), state, findings));
  return { changed, output: root.toSource({ quote: 'single' }), modules: [...state.modules.values()].map((m) => m.kind), skipped: state.skipped };
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
    expect(output).toContain("  } catch (err) {\n    return null;\n  }");
    expect(output).toContain("    console.error(err);\n    throw classify(err);");
  });

  it('changes nothing and creates no module without findings on handlers', () => {
    const { changed, modules } = run(swallowedCatch, SWALLOWS, [finding('silent-error-swallow', 1)]);
    expect(changed).toBe(false);
    expect(modules).toEqual([]);
  });

  const left: Array<[string, string, number, RegExp]> = [
    ['a batch loop over SQS records', `export async function handler(event) {
  for (const record of event.Records) {
    try { await send(record); } catch (err) { console.error(err); }
  }
}
`, 3, /@aws-lambda-powertools\/batch/],
    ['a loop that goes on with the next item', `export async function all(ids) {
  for (const id of ids) {
    try { await send(id); } catch (err) { console.error(err); continue; }
  }
}
`, 3, /rethrow would stop the whole loop/],
    ['a fire-and-forget promise', `export function track() {
  send('metric').catch(() => {});
}
`, 2, /unhandled rejection/],
    ['a handler that does more than log', `export async function c() {
  try { await send(); } catch (err) { metrics.count('failed'); return null; }
}
`, 2, /does more than log/],
    ['an intended swallow', `export async function d() {
  try { await send(); } catch {
    // best effort, the cache refills itself
  }
}
`, 2, /on purpose/],
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
    expect(output).toContain("  } catch (err) {\n    if (isInfraFailure(err)) {\n      return { statusCode: 503, headers: { 'Retry-After': '30' }");
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
    expect(output).toContain('  } catch (err) {\n    if (isInfraFailure(err)) {\n      res.status(503).set("Retry-After", "30").json({ message: "Service unavailable" });\n      return;\n    }\n');
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
    expect(output).toContain("  } catch (err) {\n    if (isInfraFailure(err)) {\n      return { statusCode: 503,");
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
