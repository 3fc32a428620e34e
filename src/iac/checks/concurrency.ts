import type { IacFinding } from '../scan-iac';
import { findingAt, type CheckInput } from './check-context';

/** Functions without reserved concurrency; SQS event sources without a maximum concurrency. */
export function checkConcurrency(input: CheckInput): IacFinding[] {
  const out: IacFinding[] = [];
  for (const m of input.models) {
    for (const fn of m.functions) {
      if (fn.reservedConcurrency) continue;
      out.push(findingAt('unbounded-concurrency', fn, `Function ${fn.id} has no reserved concurrency: a burst scales it without limit and exhausts downstream connections.`, { resource: fn.id, fix: 'add-reserved' }));
    }
    for (const src of m.sqsSources) {
      if (src.maxConcurrency) continue;
      out.push(findingAt('unbounded-concurrency', src, `SQS event source of ${src.functionId} has no maximum concurrency: a backlog scales the consumer up to the account limit.`, { resource: src.functionId, fix: 'add-max-concurrency', shorthand: src.shorthand ?? false }));
    }
  }
  return out;
}
