import type { IacFinding } from '../../types';
import type { IacAlarm } from '../iac-model';
import { findingAt, isDlq, type CheckInput, type IacCheck } from './check-context';

const DEPTH_METRIC = 'ApproximateNumberOfMessagesVisible';

/** A DLQ needs an alarm on its visible-message count; an alarm anywhere in the scan that names it counts. */
function checkDlqAlarm(input: CheckInput): IacFinding[] {
  const alarms = [...input.models.flatMap((m) => m.alarms), ...helperAlarms(input)].filter((a) =>
    a.metrics.includes(DEPTH_METRIC),
  );
  const out: IacFinding[] = [];
  for (const m of input.models) {
    for (const q of m.queues) {
      if (!isDlq(q)) continue;
      const watched = alarms.some((a) => a.refs.includes(q.id) || (q.name !== undefined && a.refs.includes(q.name)));
      if (!watched) {
        out.push(
          findingAt(
            'dlq-without-alarm',
            q,
            `Dead-letter queue ${q.id} has no CloudWatch alarm on ${DEPTH_METRIC} > 0: failed messages pile up unnoticed.`,
            { resource: q.id, fix: 'add-alarm' },
          ),
        );
      }
    }
  }
  for (const m of input.models) {
    for (const q of m.liftQueues) {
      if (q.alarm) continue;
      out.push(
        findingAt(
          'dlq-without-alarm',
          q,
          `The dead-letter queue of the serverless-lift queue construct ${q.id} has no alarm (no \`alarm:\` on the construct): failed jobs pile up unnoticed.`,
          { resource: q.id, fix: null, fixable: false, reason: LIFT_NO_FIX },
        ),
      );
    }
  }
  return out;
}

/** lift alarms its DLQ by itself once the construct names an email address: the address is the user's to choose */
export const LIFT_NO_FIX =
  'no automatic fix: set `alarm: <email address>` on the construct; lift then creates the alarm on its dead-letter queue';

/** the queues handed to a queue-depth alarm helper (of the same file or another one of the scan) */
function helperAlarms(input: CheckInput): IacAlarm[] {
  const helpers = new Map(input.models.map((m) => [m.file, m.depthAlarmHelpers ?? []]));
  return input.models.flatMap((m) =>
    (m.helperCalls ?? []).flatMap((call) => {
      const helper = helpers.get(call.from)?.find((h) => h.name === call.name);
      const refs = helper ? helper.params.map((i) => call.args[i]).filter((a): a is string => Boolean(a)) : [];
      return refs.length ? [{ file: m.file, refs, metrics: [DEPTH_METRIC] }] : [];
    }),
  );
}

export default { ruleIds: ['dlq-without-alarm'], run: checkDlqAlarm } satisfies IacCheck;
