import type { IacFunction } from './iac-model';

/**
 * Who invokes a function asynchronously. When every asynchronous caller is an EventBridge rule
 * target without a dead-letter queue, the rule's finding already says the events are lost (at
 * the place a reviewer fixes it: the target), so the function is not reported a second time.
 */
export class AsyncSources {
  private readonly seen = new Map<string, { other: boolean; ruleWithDlq: boolean; ruleGap: boolean }>();

  private entry(fnId: string) {
    let e = this.seen.get(fnId);
    if (!e) this.seen.set(fnId, (e = { other: false, ruleWithDlq: false, ruleGap: false }));
    return e;
  }

  /** an SNS subscription, S3 notification, framework event or event source */
  other(fnId: string | null | undefined): void {
    if (fnId) this.entry(fnId).other = true;
  }

  /** a rule target, with or without its own DeadLetterConfig */
  rule(fnId: string | null | undefined, hasDlq: boolean): void {
    if (!fnId) return;
    const e = this.entry(fnId);
    if (hasDlq) e.ruleWithDlq = true;
    else e.ruleGap = true;
  }

  settle(fnById: ReadonlyMap<string, IacFunction>): void {
    for (const [id, e] of this.seen) {
      const fn = fnById.get(id);
      if (fn && e.ruleGap && !e.ruleWithDlq && !e.other) fn.reportedAtRule = true;
    }
  }
}
