import type { IacFinding } from '../../types';
import type { IacFormat, IacQueue, IacStreamSource } from '../iac-model';
import { findingAt, isDlq, type CheckInput, type IacCheck } from './check-context';

/**
 * The maxReceiveCount a queue should have, and the highest one left as it is. A queue that
 * triggers a Lambda function keeps at least `dlq.lambdaMaxReceiveCount` (5): throttled receives
 * count towards it, so a lower value dead-letters healthy messages during a burst, unless every
 * event source reading it has maximumConcurrency (then `dlq.maxReceiveCount` is the target).
 */
export function receiveCountPolicy(
  input: CheckInput,
  q: IacQueue,
): { target: number; highest: number; lambdaTriggered: boolean } {
  const { maxReceiveCount, lambdaMaxReceiveCount } = input.config.dlq;
  const sources = input.models
    .flatMap((m) => m.sqsSources)
    .filter((s) => s.queueRefs.includes(q.id) || (q.name !== undefined && s.queueRefs.includes(q.name)));
  if (sources.length === 0) return { target: maxReceiveCount, highest: maxReceiveCount, lambdaTriggered: false };
  const highest = Math.max(maxReceiveCount, lambdaMaxReceiveCount);
  return { target: sources.every((s) => s.maxConcurrency) ? maxReceiveCount : highest, highest, lambdaTriggered: true };
}

/** Queues without a RedrivePolicy (DLQs exempt), redrive counts too high, rule targets and async functions without a DLQ. */
function checkNoDlq(input: CheckInput): IacFinding[] {
  const out: IacFinding[] = [];
  for (const m of input.models) {
    for (const q of m.queues) {
      if (isDlq(q)) continue;
      const policy = receiveCountPolicy(input, q);
      if (!q.redrive) {
        out.push(
          findingAt(
            'no-dlq',
            q,
            `SQS queue ${q.id} has no dead-letter queue (no RedrivePolicy): messages that keep failing are lost when they expire.`,
            { resource: q.id, fix: 'add-dlq', maxReceiveCount: policy.target },
          ),
        );
      } else if (q.redrive.maxReceiveCount !== null && q.redrive.maxReceiveCount > policy.highest) {
        const why = policy.lambdaTriggered
          ? ` (> ${policy.highest}, for a queue that triggers a Lambda function)`
          : ` (> ${policy.highest})`;
        out.push(
          findingAt(
            'no-dlq',
            q,
            `SQS queue ${q.id} has maxReceiveCount ${q.redrive.maxReceiveCount}${why}: a poison message is retried ${q.redrive.maxReceiveCount} times before it reaches the DLQ.`,
            {
              resource: q.id,
              fix: 'lower-max-receive',
              current: q.redrive.maxReceiveCount,
              maxReceiveCount: policy.target,
            },
          ),
        );
      }
    }
    const fnById = new Map(m.functions.map((f) => [f.id, f]));
    for (const rule of m.rules) {
      const unprotected = [...new Set(rule.targetFunctions ?? [])].filter((id) => fnById.get(id)?.onFailure === false);
      const also =
        unprotected.length === 0
          ? ''
          : ` Its target function${unprotected.length > 1 ? 's' : ''} ${unprotected.join(', ')} ${unprotected.length > 1 ? 'have' : 'has'} no on-failure destination either: events ${unprotected.length > 1 ? 'they fail' : 'it fails'} on are lost after two retries.`;
      out.push(
        findingAt(
          'no-dlq',
          rule,
          `EventBridge rule ${rule.id} has ${rule.targetsWithoutDlq} target(s) without DeadLetterConfig: events that cannot be delivered are dropped.${also}`,
          {
            resource: rule.id,
            fix: null,
            targets: rule.targetsWithoutDlq,
            targetFunctions: [...new Set(rule.targetFunctions ?? [])],
          },
        ),
      );
    }
    for (const src of m.streamSources) {
      if (src.retryLimit || src.bisect || src.onFailure) continue;
      out.push(
        findingAt('no-dlq', src, streamMessage(src), {
          resource: src.functionId,
          fix: null,
          fixable: false,
          stream: src.stream,
          reason: STREAM_NO_FIX,
        }),
      );
    }
    for (const fn of m.functions) {
      // a function invoked only by rule targets without a DLQ is reported once, at the rule
      if (fn.asyncTriggers.length === 0 || fn.onFailure || fn.reportedAtRule) continue;
      const how = m.kind === 'serverless' ? 'destinations.onFailure' : 'EventInvokeConfig OnFailure or DeadLetterQueue';
      out.push(
        findingAt(
          'no-dlq',
          fn,
          `Function ${fn.id} is invoked asynchronously (${fn.asyncTriggers.join(', ')}) with no on-failure destination (${how}): events that fail after the retries are lost.`,
          { resource: fn.id, fix: null, asyncTriggers: fn.asyncTriggers },
        ),
      );
    }
  }
  return out;
}

/** the setting names of a stream event source in each format */
const STREAM_SETTINGS: Record<IacFormat, string> = {
  serverless: 'maximumRetryAttempts, bisectBatchOnFunctionError or destinations.onFailure',
  sam: 'MaximumRetryAttempts, BisectBatchOnFunctionError or DestinationConfig.OnFailure',
  cloudformation: 'MaximumRetryAttempts, BisectBatchOnFunctionError or DestinationConfig.OnFailure',
  cdk: 'retryAttempts, bisectBatchOnError or onFailure',
};

/**
 * Why the stream form is reported, not rewritten: an on-failure destination needs the function's
 * role to send to it, which only some formats grant by themselves, and a retry limit without a
 * destination would drop the failing records instead of keeping them.
 */
export const STREAM_NO_FIX =
  "no automatic fix: an on-failure destination needs send permission on the function's role, and a retry limit without one drops the failing records; choose the destination and the limit by hand";

function streamMessage(src: IacStreamSource): string {
  const what = src.stream === 'kinesis' ? 'Kinesis stream' : 'DynamoDB stream';
  return `${what} event source of ${src.functionId} has no ${STREAM_SETTINGS[src.format]}: a record that keeps failing is retried until it expires (24 hours by default, up to the stream's retention), blocking its shard for that time.`;
}

export default { ruleIds: ['no-dlq'], run: checkNoDlq } satisfies IacCheck;
