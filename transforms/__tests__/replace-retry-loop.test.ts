import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import { fix } from '../replace-retry-loop';
import { detectPolicyFacts, factSource } from '../lib/finding-facts';
import { createFixContext, printOptionsFor } from '../lib/transform-api';
import type { ServiceState } from '../../src/api/fix-context';
import { recastParserFor } from '../lib/recast-parser';

/** Runs the step on `source` with the detectors' facts, as the engine does; returns the text (or null) and what it recorded. */
function run(source: string, file = 'client.ts') {
  const path = `/virtual/src/${file}`;
  const j = jscodeshift.withParser(recastParserFor(path));
  const root = j(source);
  const state: ServiceState = { modules: new Map(), dependencies: new Map(), skipped: [] };
  const changed = fix(
    createFixContext(j, root, path, defaultConfig(), state, undefined, {
      facts: factSource([], () => detectPolicyFacts(path, source)),
    }),
  );
  return { output: changed ? root.toSource(printOptionsFor(source)) : null, state };
}

const code = (...lines: string[]): string => `${lines.join('\n')}\n`;

describe('replace-retry-loop: loops it leaves, with the reason', () => {
  const cases: Array<[string, string, number, RegExp]> = [
    [
      'a catch that branches on the error',
      code(
        "import axios from 'axios';",
        'export async function f() {',
        '  for (let i = 0; i < 3; i++) {',
        '    try {',
        "      return (await axios.get('https://a.example.com', { timeout: 6000 })).data;",
        '    } catch (err: any) {',
        '      if (err.response?.status === 404) return null;',
        '      await new Promise((r) => setTimeout(r, 500));',
        '    }',
        '  }',
        "  throw new Error('unavailable');",
        '}',
      ),
      3,
      /decides from the error which failures to retry \(line 7\)/,
    ],
    [
      'two calls retried together',
      code(
        "import axios from 'axios';",
        'export async function f() {',
        '  while (true) {',
        '    try {',
        "      const a = (await axios.get('https://a.example.com/1', { timeout: 6000 })).data;",
        '      return (await axios.get(`https://a.example.com/${a.id}`, { timeout: 6000 })).data;',
        '    } catch {',
        '      await new Promise((r) => setTimeout(r, 500));',
        '    }',
        '  }',
        '}',
      ),
      3,
      /retries 2 dependency calls together/,
    ],
    [
      'a limit out of sight',
      code(
        "import axios from 'axios';",
        'export async function f(retries: number) {',
        '  for (let i = 0; i < retries; i++) {',
        '    try {',
        "      return (await axios.get('https://a.example.com', { timeout: 6000 })).data;",
        '    } catch {',
        '      await new Promise((r) => setTimeout(r, 500));',
        '    }',
        '  }',
        "  throw new Error('unavailable');",
        '}',
      ),
      3,
      /attempt limit is out of sight/,
    ],
    [
      'a bounded loop that ends with no result when every attempt fails',
      code(
        "import axios from 'axios';",
        'export async function f() {',
        '  for (let i = 0; i < 3; i++) {',
        '    try {',
        "      return (await axios.get('https://a.example.com', { timeout: 6000 })).data;",
        '    } catch {',
        '      await new Promise((r) => setTimeout(r, 500));',
        '    }',
        '  }',
        '}',
      ),
      3,
      /ends without a result or an error/,
    ],
    [
      'a loop around a call that is already inside a policy',
      code(
        "import axios from 'axios';",
        "import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';",
        'const breaker = circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(3) });',
        'export async function f() {',
        '  while (true) {',
        '    try {',
        "      return await breaker.execute(() => axios.get('https://a.example.com', { timeout: 6000 }));",
        '    } catch {',
        '      await new Promise((r) => setTimeout(r, 500));',
        '    }',
        '  }',
        '}',
      ),
      5,
      /already runs inside a policy's execute/,
    ],
  ];
  it.each(cases)('%s', (_, source, line, reason) => {
    const { output, state } = run(source);
    expect(output).toBeNull();
    expect(state.skipped).toHaveLength(1);
    expect(state.skipped[0]!.line).toBe(line);
    expect(state.skipped[0]!.reason).toMatch(reason);
  });

  it('a function that retries by calling itself is left with the reason', () => {
    const { output, state } = run(
      code(
        "import axios from 'axios';",
        'export async function f(n = 0): Promise<unknown> {',
        '  try {',
        "    return (await axios.get('https://a.example.com', { timeout: 6000 })).data;",
        '  } catch (err) {',
        '    await new Promise((r) => setTimeout(r, 500));',
        '    return f(n + 1);',
        '  }',
        '}',
      ),
    );
    // the finding sits on the self-call, not on a loop: nothing to replace, nothing wrapped inside
    expect(output).toBeNull();
    expect(state.modules.size).toBe(0);
  });
});

describe('replace-retry-loop: what it makes', () => {
  it('a do/while loop counting in the catch: its limit and wait become the call settings, and the choice is noted', () => {
    const { output, state } = run(
      code(
        "import axios from 'axios';",
        'export async function f(id: string) {',
        '  let attempts = 0;',
        '  do {',
        '    try {',
        '      return (await axios.delete(`https://a.example.com/items/${id}`, { timeout: 6000 })).status;',
        '    } catch (err) {',
        '      attempts++;',
        '      await new Promise((r) => setTimeout(r, 300));',
        '    }',
        '  } while (attempts < 4);',
        "  throw new Error('delete failed');",
        '}',
      ),
    );
    expect(output).toContain(
      "return (await policyFor('a.example.com', { maxAttempts: 3, initialDelayMs: 300 }).execute(({ signal }) => axios.delete(`https://a.example.com/items/${id}`, { timeout: 6000, signal }))).status;",
    );
    expect(output).toContain("  } catch (err) {\n    throw new Error('delete failed');\n  }\n}");
    expect(output).not.toMatch(/do \{|while \(attempts/);
    expect(state.notes).toEqual([
      {
        line: 4,
        text: 'a.example.com: the retry loop is replaced by the policy (up to 4 calls as before, first wait 300 ms with jitter); DELETE: retried (idempotent)',
      },
    ]);
  });

  it('a loop whose catch only rethrows at its bound leaves the call inline, without a try, and drops its unused counter', () => {
    const { output } = run(
      code(
        "import axios from 'axios';",
        'export async function f() {',
        '  let tries = 0;',
        '  while (true) {',
        '    try {',
        "      const res = await axios.get('https://a.example.com', { timeout: 6000 });",
        '      return res.data;',
        '    } catch (err) {',
        '      tries++;',
        '      if (tries >= 3) throw err;',
        '      await new Promise((r) => setTimeout(r, 100));',
        '    }',
        '  }',
        '}',
      ),
    );
    expect(output).toBe(
      code(
        "import { policyFor } from './resilience/policies';",
        "import axios from 'axios';",
        'export async function f() {',
        "  const res = await policyFor('a.example.com', { maxAttempts: 2, initialDelayMs: 100 }).execute(({ signal }) => axios.get('https://a.example.com', { timeout: 6000, signal }));",
        '  return res.data;',
        '}',
      ),
    );
  });
});
