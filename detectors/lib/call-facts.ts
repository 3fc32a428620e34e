import type { DetectorContext } from '../../src/detect/detector-api';
import type { CallFacts } from '../../src/rule-data/policy-rules';
import { callIdempotency } from './call-idempotency';
import { analyzeDependencies, type DependencyCall } from './dependency-calls';
import type { DependencyModel } from './dependency-model';
import { useDependencyModel } from './dependency-model';
import { errorInspection } from './error-inspection';
import { HAND_WRITTEN_LOOP, protectionAnalyzer, type Protection } from './policy-protection';
import { enclosingRetryLoop } from './retry-loop-guard';
import type { Visitors } from '../../src/parse/walk';

/*
 * What the policy fixes need to know of one dependency call, computed here once: whether it may
 * be sent twice, the hand-written retry around it, what else already retries it, and a catch
 * around it that reads the original error. The no-retry / no-circuit-breaker findings carry it
 * as their data; for a call no finding stands for (an AWS SDK command, a call already retried),
 * `allCallFacts` gives it to a fix that would otherwise know nothing of it.
 */

export function callFactsOf(m: DependencyModel, call: DependencyCall, protection: Protection): CallFacts {
  const line = call.node.loc?.start.line ?? 0;
  const loop = enclosingRetryLoop(call.path);
  const inspected = errorInspection(call.path);
  const idempotency = callIdempotency(m, call);
  let retriedBy = protection.retriedBy === HAND_WRITTEN_LOOP ? undefined : protection.retriedBy;
  // got and ky retry idempotent methods only (GET, PUT, DELETE...), never a POST or PATCH
  if (
    (call.client === 'got' || call.client === 'ky') &&
    retriedBy === `${call.client}'s own retries` &&
    idempotency.kind !== 'idempotent'
  )
    retriedBy = undefined;
  return {
    line,
    idempotency,
    ...(loop ? { retryLoop: { line: loop.line, shape: loop.shape } } : {}),
    // besides the loop itself: a client's own retries, a retry helper around the call
    ...(retriedBy !== undefined ? { retriedBy } : {}),
    ...(inspected ? { inspectedBy: inspected } : {}),
  };
}

/** The facts of every dependency call of a file, once its dependency model is collected. */
export function allCallFacts(m: DependencyModel): CallFacts[] {
  const analysis = analyzeDependencies(m);
  const protect = protectionAnalyzer(m, analysis);
  return analysis.calls.map((call) => callFactsOf(m, call, protect(call)));
}

/** The visitors that collect a file's dependency model, and the facts of its calls once walked. */
export function callFactsCollector(ctx: DetectorContext): { visitors: Visitors; facts: () => CallFacts[] } {
  const { model, visitors } = useDependencyModel(ctx);
  return { visitors, facts: () => allCallFacts(model) };
}
