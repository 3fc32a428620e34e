import { z } from 'zod';
import type { Finding } from '../types';

/*
 * The typed finding data of the policy rules: what the detectors learn about a dependency call
 * (no-retry, no-circuit-breaker) and about a hand-written retry (retry-without-jitter,
 * retry-without-max), handed to the fixes so that they never re-derive it. `Finding.data` stays
 * a plain JSON record at the boundary (reports, cache, workers): detectors build these shapes,
 * fixes read them back through the schemas below, and anything else (an older cache entry) reads
 * as "no facts", which every fix treats as the cautious case.
 */

/** Whether sending a call twice is safe (RFC 9110 §9.2.2; the IETF Idempotency-Key header). */
export const idempotencySchema = z.discriminatedUnion('kind', [
  /** GET, HEAD, OPTIONS, TRACE, PUT, DELETE, or an AWS SDK command */
  z.object({ kind: z.literal('idempotent'), method: z.string() }),
  /**
   * A POST or PATCH that carries an idempotency key: `key` says how (a header, a library
   * option); `perAttempt` is true when the key's value is computed inside the call itself, so
   * that a retry of the call would send a new key (it must be made once, outside the retry).
   */
  z.object({ kind: z.literal('keyed'), method: z.string(), key: z.string(), perAttempt: z.boolean() }),
  /** a POST or PATCH (or a method out of sight, '?') without an idempotency key */
  z.object({ kind: z.literal('not-idempotent'), method: z.string() }),
]);
export type CallIdempotency = z.infer<typeof idempotencySchema>;

/** A hand-written retry around a call: a loop with try/catch, a loop that repeats on the answer's status, or a function that calls itself to retry. */
export const retryLoopRefSchema = z.object({
  line: z.number().int(),
  shape: z.enum(['try-loop', 'status-loop', 'recursion']),
});
export type RetryLoopRef = z.infer<typeof retryLoopRefSchema>;

/** What one call site's fix needs to know. */
export const callFactsSchema = z.object({
  line: z.number().int(),
  idempotency: idempotencySchema,
  retryLoop: retryLoopRefSchema.optional(),
  /** something already retries it (a client's own retries, a retry helper or library): the policy must not retry on top */
  retriedBy: z.string().optional(),
  /** the catch around the call reads fields of the original error that a taxonomy error lacks (`err.response`) */
  inspectedBy: z.object({ line: z.number().int(), what: z.string() }).optional(),
});
export type CallFacts = z.infer<typeof callFactsSchema>;

/** Data of a no-retry / no-circuit-breaker finding: one per dependency and function, standing for `lines`. */
export const dependencyCallDataSchema = z.object({
  client: z.string(),
  form: z.literal('call'),
  callee: z.string(),
  lines: z.array(z.number().int()),
  calls: z.array(callFactsSchema),
});
export type DependencyCallData = z.infer<typeof dependencyCallDataSchema>;

/** How many calls a hand-written retry makes at most. */
export const attemptLimitSchema = z.discriminatedUnion('kind', [
  /** it retries until the call succeeds */
  z.object({ kind: z.literal('none') }),
  /** at most `calls` calls, the first one included */
  z.object({ kind: z.literal('calls'), calls: z.number().int().positive() }),
  /** bounded by something out of sight (a parameter, a deadline) */
  z.object({ kind: z.literal('unknown') }),
]);
export type AttemptLimit = z.infer<typeof attemptLimitSchema>;

/** Data of a retry-without-jitter / retry-without-max finding. */
export const retryLoopDataSchema = z.object({
  /** 'loop' (a statement), 'recursion', or a retry library's options ('p-retry', 'cockatiel'...) */
  form: z.string(),
  limit: attemptLimitSchema.optional(),
  /** the wait between attempts when the loop waits a constant number of ms */
  delayMs: z.number().nonnegative().optional(),
});
export type RetryLoopData = z.infer<typeof retryLoopDataSchema>;

/** A detector's data as the plain record a Finding carries. */
export function toFindingData<T extends object>(data: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data));
}

export function dependencyCallData(finding: Pick<Finding, 'data'>): DependencyCallData | null {
  const parsed = dependencyCallDataSchema.safeParse(finding.data);
  return parsed.success ? parsed.data : null;
}

export function retryLoopData(finding: Pick<Finding, 'data'>): RetryLoopData | null {
  const parsed = retryLoopDataSchema.safeParse(finding.data);
  return parsed.success ? parsed.data : null;
}

/** The facts of the call at `line` among some findings' data (the first finding that has them). */
export function callFactsAt(
  findings: ReadonlyArray<Pick<Finding, 'data'>> | undefined,
  line: number,
): CallFacts | null {
  for (const f of findings ?? []) {
    const facts = dependencyCallData(f)?.calls.find((c) => c.line === line);
    if (facts) return facts;
  }
  return null;
}
