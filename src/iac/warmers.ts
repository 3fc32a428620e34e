import type { IacFunction } from './iac-model';

/**
 * Scheduled warmers: a schedule that invokes a function only to keep it warm (a warm-up ping,
 * `{"source": "warmer"}`). A lost ping costs one cold start, so neither the rule target nor the
 * function needs a dead-letter queue. A ping is told from a scheduled job by what it says (input,
 * rule id, name or description mention warming) or by whom it pings: a function that answers
 * users (API, ALB, function URL) runs its work per request, so a schedule on it keeps it warm.
 */
const WARM_WORDS = /warm/i;

export function mentionsWarming(...texts: Array<string | undefined>): boolean {
  return texts.some((t) => t !== undefined && WARM_WORDS.test(t));
}

/** One schedule → function invocation, before the functions' callers are all known. */
export interface ScheduleInvoke {
  fnId: string;
  /** the input, rule id, name or description mention warming */
  warmWords: boolean;
}

export function isWarmUp(inv: ScheduleInvoke, fnById: ReadonlyMap<string, IacFunction>): boolean {
  return inv.warmWords || fnById.get(inv.fnId)?.userFacing === true;
}

/**
 * Marks functions whose every scheduled invocation is a warm-up (`warmed`); their schedule is
 * then not an asynchronous invocation that needs an on-failure destination.
 */
export function markWarmed(invokes: ScheduleInvoke[], fnById: ReadonlyMap<string, IacFunction>): void {
  const byFn = new Map<string, boolean>();
  for (const inv of invokes) byFn.set(inv.fnId, (byFn.get(inv.fnId) ?? true) && isWarmUp(inv, fnById));
  for (const [id, warm] of byFn) {
    const fn = fnById.get(id);
    if (fn && warm) fn.warmed = true;
  }
}

/** The asynchronous triggers of a function; a warmed function's schedule is not one. */
export function asyncTriggersOf(fn: IacFunction, asyncKinds: readonly string[]): IacFunction['triggers'] {
  return fn.triggers.filter((t) => asyncKinds.includes(t) && !(t === 'schedule' && fn.warmed));
}
