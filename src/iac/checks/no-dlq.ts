import type { IacFinding } from '../scan-iac';
import { findingAt, isDlq, type CheckInput } from './check-context';

export const MAX_RECEIVE_COUNT = 3;

/** Queues without a RedrivePolicy (DLQs exempt), redrive counts above 3, rule targets and async functions without a DLQ. */
export function checkNoDlq(input: CheckInput): IacFinding[] {
  const out: IacFinding[] = [];
  for (const m of input.models) {
    for (const q of m.queues) {
      if (isDlq(input, q)) continue;
      if (!q.redrive) {
        out.push(findingAt('no-dlq', q, `SQS queue ${q.id} has no dead-letter queue (no RedrivePolicy): messages that keep failing are lost when they expire.`, { resource: q.id, fix: 'add-dlq' }));
      } else if (q.redrive.maxReceiveCount !== null && q.redrive.maxReceiveCount > MAX_RECEIVE_COUNT) {
        out.push(findingAt('no-dlq', q, `SQS queue ${q.id} has maxReceiveCount ${q.redrive.maxReceiveCount} (> ${MAX_RECEIVE_COUNT}): a poison message is retried ${q.redrive.maxReceiveCount} times before it reaches the DLQ.`, { resource: q.id, fix: 'lower-max-receive', maxReceiveCount: q.redrive.maxReceiveCount }));
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
