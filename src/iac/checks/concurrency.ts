import type { ResolvedConfig } from '../../config/config-schema';
import { FIFO_QUEUE_NAME, type IacFunction, type IacModel, type IacSqsSource } from '../iac-model';
import type { IacFinding } from '../../types';
import { findingAt, type CheckInput, type IacCheck } from './check-context';

/** Triggers that bound a function's concurrency by themselves: one run per tick, one batch per shard. */
const SELF_BOUNDED = new Set(['schedule', 'kinesis', 'dynamodb-stream']);

/** The reserved concurrency the configuration asks for this function, if any. */
export function configuredReserved(
  config: ResolvedConfig,
  fn: Pick<IacFunction, 'id' | 'userFacing'>,
): number | undefined {
  const reserved = config.concurrency.reserved;
  if (reserved === undefined) return undefined;
  // a number is a blanket value: never for functions that answer users (it would throttle them)
  if (typeof reserved === 'number') return fn.userFacing ? undefined : reserved;
  return reserved[fn.id];
}

/**
 * Whether an SQS event source reads a FIFO queue: a queue of the scan declared FIFO
 * (`FifoQueue: true`, CDK `fifo: true`, a `.fifo` name) that the source references, or a
 * referenced name or ARN ending `.fifo` (a queue declared elsewhere).
 */
function readsFifoQueue(src: IacSqsSource, own: IacModel, models: IacModel[]): boolean {
  if (src.queueRefs.some((ref) => FIFO_QUEUE_NAME.test(ref))) return true;
  // a logical id means a queue of the same template; a queue name is the same in every template
  return models.some((m) =>
    m.queues.some(
      (q) =>
        q.fifo &&
        ((m === own && src.queueRefs.includes(q.id)) || (q.name !== undefined && src.queueRefs.includes(q.name))),
    ),
  );
}

/**
 * Unbounded concurrency, judged by what invokes the function:
 * - an SQS consumer is bounded at its event source (`maximumConcurrency`), never with reserved
 *   concurrency, which would throttle the queue's pollers; a consumer that already has reserved
 *   concurrency is bounded, so its source is not reported either; nor is the source of a FIFO
 *   queue: Lambda keeps at most one batch per message group in flight, so the message groups the
 *   producers use bound the consumer;
 * - stream consumers (shards bound them), scheduled functions (warmers, jobs) and custom
 *   resources are left alone;
 * - a function behind API Gateway, an ALB, a function URL or Cognito is reported with API-level
 *   guidance and no fix: a blanket limit would throttle users;
 * - any other function gets reserved concurrency only where the configuration sets a value.
 */
function checkConcurrency(input: CheckInput): IacFinding[] {
  const out: IacFinding[] = [];
  for (const m of input.models) {
    const consumes = new Set(m.sqsSources.map((s) => s.functionId));
    for (const fn of m.functions) {
      if (fn.reservedConcurrency || fn.customResource) continue;
      if (fn.userFacing) {
        const n = configuredReserved(input.config, fn);
        out.push(
          findingAt(
            'unbounded-concurrency',
            fn,
            `Function ${fn.id} (behind ${fn.triggers.includes('http') ? 'an API or load balancer' : 'a synchronous caller'}) has no concurrency limit: throttle at the API and size reserved concurrency from peak load, never a blanket limit.`,
            n === undefined
              ? { resource: fn.id, fix: null, fixable: false, userFacing: true }
              : { resource: fn.id, fix: 'add-reserved', reserved: n, userFacing: true },
          ),
        );
        continue;
      }
      if (consumes.has(fn.id) || fn.triggers.includes('sqs')) continue;
      if (fn.triggers.length > 0 && fn.triggers.every((t) => SELF_BOUNDED.has(t))) continue;
      const n = configuredReserved(input.config, fn);
      const by = fn.triggers.filter((t) => t !== 'unknown');
      out.push(
        findingAt(
          'unbounded-concurrency',
          fn,
          `Function ${fn.id} has no reserved concurrency: a burst${by.length ? ` of ${by.join('/')} events` : ''} scales it without limit and exhausts downstream connections.${n === undefined ? ' Size a limit from its load and set concurrency.reserved in the harden-codemod config to add it (an account keeps 100 executions unreserved).' : ''}`,
          n === undefined
            ? { resource: fn.id, fix: null, fixable: false }
            : { resource: fn.id, fix: 'add-reserved', reserved: n },
        ),
      );
    }
    const reserved = new Set(
      input.models
        .flatMap((x) => x.functions)
        .filter((f) => f.reservedConcurrency)
        .map((f) => f.id),
    );
    for (const src of m.sqsSources) {
      // reserved concurrency already bounds the consumer: its concurrency is not unbounded
      if (src.maxConcurrency || reserved.has(src.functionId)) continue;
      // a FIFO queue delivers one batch per message group at a time: the groups bound the consumer
      if (readsFifoQueue(src, m, input.models)) continue;
      out.push(
        findingAt(
          'unbounded-concurrency',
          src,
          `SQS event source of ${src.functionId} has no maximum concurrency: a backlog scales the consumer up to the account limit.`,
          {
            resource: src.functionId,
            fix: 'add-max-concurrency',
            shorthand: src.shorthand ?? false,
            maximumConcurrency: input.config.concurrency.sqsMaximum,
          },
        ),
      );
    }
  }
  return out;
}

export default { ruleIds: ['unbounded-concurrency'], run: checkConcurrency } satisfies IacCheck;
