import type { CallFacts } from '../../src/rule-data/policy-rules';

/*
 * How a wrapped call may be retried, decided from what the detectors learned of it (its typed
 * finding data) and the config, and said in one line of the fix summary:
 *   - idempotent (GET, HEAD, OPTIONS, PUT, DELETE) or sent with a stable idempotency key: the
 *     dependency's policy, retried;
 *   - a key written into the call itself (`randomUUID()` in the headers) would change on every
 *     attempt: it is made once, before the retries;
 *   - a POST or PATCH without a key: with `idempotencyKeys: true` in the config a key is added
 *     (made once per call, sent on every attempt); otherwise breaker and timeout only, sent again
 *     only when a failure proves it never left (`{ idempotent: false }`);
 *   - a call something else already retries (got's and ky's own retries, axios-retry, a retry
 *     helper around it): breaker and timeout only (`{ retry: false }`), so attempts do not multiply.
 */

export type RetryChoice =
  | { kind: 'retry'; note: string }
  /** something else already retries it: the policy adds breaker and timeout only (`{ retry: false }`) */
  | { kind: 'no-retry'; note: string }
  | { kind: 'hoist-key'; note: string; fallback: string }
  | { kind: 'add-key'; note: string; fallback: string }
  | { kind: 'once'; note: string };

export const NOT_IDEMPOTENT_OPTIONS = '{ idempotent: false }';
export const NO_RETRY_OPTIONS = '{ retry: false }';

function onceNote(method: string, why: string): string {
  const what = method === '?' ? 'a request whose method is out of sight' : `${method} without an idempotency key`;
  return `${what}: breaker and timeout, sent again only when it never left (connection refused, DNS)${why}`;
}

/** What to do with an HTTP call, given its facts (null: nothing known, the cautious case). */
export function retryChoice(facts: CallFacts | null, addKeys: boolean): RetryChoice {
  const idempotency = facts?.idempotency ?? { kind: 'not-idempotent' as const, method: '?' };
  if (facts?.retriedBy) {
    return {
      kind: 'no-retry',
      note: `${idempotency.method}: ${facts.retriedBy} already retries it; breaker and timeout only, so attempts do not multiply`,
    };
  }
  switch (idempotency.kind) {
    case 'idempotent':
      return { kind: 'retry', note: `${idempotency.method}: retried (idempotent)` };
    case 'keyed':
      if (!idempotency.perAttempt)
        return {
          kind: 'retry',
          note: `${idempotency.method}: retried, every attempt sends the same ${idempotency.key}`,
        };
      return {
        kind: 'hoist-key',
        note: `${idempotency.method}: retried; its ${idempotency.key} is now made once per call, before the retries, so every attempt sends the same key`,
        fallback: onceNote(
          idempotency.method,
          `; its ${idempotency.key} is made inside the call and would change on every attempt`,
        ),
      };
    case 'not-idempotent':
      if (addKeys && idempotency.method !== '?') {
        return {
          kind: 'add-key',
          note: `${idempotency.method}: retried with an Idempotency-Key made once per call and sent on every attempt (the API must honour it)`,
          fallback: onceNote(idempotency.method, '; no Idempotency-Key could be added to its headers'),
        };
      }
      return {
        kind: 'once',
        note: onceNote(idempotency.method, addKeys ? '' : '; set idempotencyKeys: true to add a key'),
      };
  }
}
