import { describe, expect, it } from 'vitest';
import { EXAMPLE, copyTree, runCli } from '../helpers/cli';

/*
 * How each wrapped call may be retried is a choice the fix states, per call, in the summary that
 * `fix` and `--dry-run` print (the engine carries each step's notes to it).
 */
describe('the choice made for each call, in the fix summary', () => {
  it('--dry-run on the example states how each wrapped call and replaced loop is retried', () => {
    const dir = copyTree(EXAMPLE, 'hc-choices-');
    const r = runCli(['fix', '--dry-run', dir]);
    // findings are left (the capture POST, the CommonJS breaker state, a rule target's DLQ): exit 1, as scan would
    expect(r.code).toBe(1);
    const section = r.stdout.slice(r.stdout.indexOf('choices made (per call):'));
    expect(section).toContain(
      'src/clients/payments-client.ts:27  payments-api: the retry loop is replaced by the policy (the loop had no limit, now up to 4 calls, first wait 1000 ms with jitter); POST: retried, every attempt sends the same Idempotency-Key header',
    );
    expect(section).toContain(
      'src/clients/shipping-client.ts:14  shipping-api: the retry loop is replaced by the policy (up to 3 calls as before, first wait 500 ms with jitter); GET: retried (idempotent)',
    );
    expect(section).toContain('src/clients/payments-client.ts:40  payments-api: GET: retried (idempotent)');
    // the capture POST has no key and already runs inside the service's own breaker: left, with why
    expect(r.stdout).toMatch(
      /src\/handlers\/process-payment\.ts:26 {2}no-retry: POST without an idempotency key already runs inside a policy's execute: it is not retried/,
    );
  });
});
