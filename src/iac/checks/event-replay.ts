import type { IacFinding } from '../../types';
import { findingAt, type CheckInput, type IacCheck } from './check-context';

export const MIN_RETENTION_DAYS = 14;

/** Every EventBridge bus needs an Archive on it; RetentionDays 0 or absent means indefinite. */
function checkEventReplay(input: CheckInput): IacFinding[] {
  const archives = input.models.flatMap((m) => m.archives);
  const out: IacFinding[] = [];
  for (const m of input.models) {
    for (const bus of m.buses) {
      const mine = archives.filter(
        (a) => a.sourceRefs.includes(bus.id) || (bus.name !== undefined && a.sourceRefs.includes(bus.name)),
      );
      if (mine.length === 0) {
        out.push(
          findingAt(
            'no-event-replay',
            bus,
            `EventBridge bus ${bus.id} has no Archive: events lost to a consumer bug cannot be replayed.`,
            { resource: bus.id, fix: 'add-archive', busName: bus.name ?? null },
          ),
        );
        continue;
      }
      const longEnough = mine.some(
        (a) => a.retentionDays === null || a.retentionDays === 0 || a.retentionDays >= MIN_RETENTION_DAYS,
      );
      if (!longEnough) {
        const a = mine[0]!;
        out.push(
          findingAt(
            'no-event-replay',
            { file: a.file, format: a.format, span: a.span, path: a.path },
            `Archive ${a.id} keeps events of bus ${bus.id} for ${a.retentionDays} days (< ${MIN_RETENTION_DAYS}): too short to replay after a slow-to-find bug.`,
            { resource: a.id, fix: 'raise-retention', retentionDays: a.retentionDays },
          ),
        );
      }
    }
  }
  return out;
}

export default { ruleIds: ['no-event-replay'], run: checkEventReplay } satisfies IacCheck;
