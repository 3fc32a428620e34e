import type { IacFinding } from '../scan-iac';
import type { IacQueue } from '../iac-model';
import { findingAt, isDlq, type CheckInput } from './check-context';

/**
 * The maxReceiveCount a queue should have, and the highest one left as it is. A queue that
 * triggers a Lambda function keeps at least `dlq.lambdaMaxReceiveCount` (5): throttled receives
 * count towards it, so a lower value dead-letters healthy messages during a burst, unless every
 * event source reading it has maximumConcurrency (then `dlq.maxReceiveCount` is the target).
 */
export function receiveCountPolicy(input: CheckInput, q: IacQueue): { target: number; highest: number; lambdaTriggered: boolean } {
  const { maxReceiveCount, lambdaMaxReceiveCount } = input.config.dlq;
  const sources = input.models.flatMap((m) => m.sqsSources).filter((s) => s.queueRefs.includes(q.id) || (q.name !== undefined && s.queueRefs.includes(q.name)));
  if (sources.length === 0) return { target: maxReceiveCount, highest: maxReceiveCount, lambdaTriggered: false };
  const highest = Math.max(maxReceiveCount, lambdaMaxReceiveCount);
  return { target: sources.every((s) => s.maxConcurrency) ? maxReceiveCount : highest, highest, lambdaTriggered: true };
}

/** Queues without a RedrivePolicy (DLQs exempt), redrive counts too high, rule targets and async functions without a DLQ. */
export function checkNoDlq(input: CheckInput): IacFinding[] {
  const out: IacFinding[] = [];
  for (const m of input.models) {
    for (const q of m.queues) {
      if (isDlq(input, q)) continue;
      const policy = receiveCountPolicy(input, q);
      if (!q.redrive) {
        out.push(findingAt('no-dlq', q, `SQS queue ${q.id} has no dead-letter queue (no RedrivePolicy): messages that keep failing are lost when they expire.`, { resource: q.id, fix: 'add-dlq', maxReceiveCount: policy.target }));
      } else if (q.redrive.maxReceiveCount !== null && q.redrive.maxReceiveCount > policy.highest) {
        const why = policy.lambdaTriggered ? ` (> ${policy.highest}, for a queue that triggers a Lambda function)` : ` (> ${policy.highest})`;
        out.push(findingAt('no-dlq', q, `SQS queue ${q.id} has maxReceiveCount ${q.redrive.maxReceiveCount}${why}: a poison message is retried ${q.redrive.maxReceiveCount} times before it reaches the DLQ.`, { resource: q.id, fix: 'lower-max-receive', current: q.redrive.maxReceiveCount, maxReceiveCount: policy.target }));
      }
    }
    for (const rule of m.rules) {
      out.push(findingAt('no-dlq', rule, `EventBridge rule ${rule.id} has ${rule.targetsWithoutDlq} target(s) without DeadLetterConfig: events that cannot be delivered are dropped.`, { resource: rule.id, fix: null }));
    }
    for (const fn of m.functions) {
      if (fn.asyncTriggers.length === 0 || fn.onFailure) continue;
      const how = m.kind === 'serverless' ? 'destinations.onFailure' : 'EventInvokeConfig OnFailure or DeadLetterQueue';
      out.push(findingAt('no-dlq', fn, `Function ${fn.id} is invoked asynchronously (${fn.asyncTriggers.join(', ')}) with no on-failure destination (${how}): events that fail after the retries are lost.`, { resource: fn.id, fix: null, asyncTriggers: fn.asyncTriggers }));
    }
  }
  return out;
}
