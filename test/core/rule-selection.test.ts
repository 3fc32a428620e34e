import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan/scan';
import { EXAMPLE } from '../helpers/cli';

/** --only and --skip choose the rules reported, never the project facts discovery is built from. */
describe('rule selection and project facts', () => {
  const full = scan({ root: EXAMPLE, paths: [EXAMPLE] });

  it.each([['no-timeout'], ['shared-mutable-state'], ['unbounded-concurrency']])(
    '--only %s keeps the whole discovery (libraries, dependencies, handlers, frameworks)',
    (rule) => {
      const only = scan({ root: EXAMPLE, paths: [EXAMPLE], only: [rule] });
      expect(only.discovery).toEqual(full.discovery);
      expect(only.discovery.resilienceLibraries.map((l) => l.name)).toContain('cockatiel');
    },
  );

  it("--only reports exactly the full run's findings of that rule (Lambda-only rules included)", () => {
    for (const rule of ['shared-mutable-state', 'no-idempotency', 'no-timeout']) {
      const only = scan({ root: EXAMPLE, paths: [EXAMPLE], only: [rule] });
      expect(only.findings).toEqual(full.findings.filter((f) => f.ruleId === rule));
      expect(only.findings.length, rule).toBeGreaterThan(0);
    }
  });
});
