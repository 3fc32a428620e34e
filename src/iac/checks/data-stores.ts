import type { IacFinding } from '../../types';
import { isIdempotencyTable } from './api-timeout-and-ttl';
import { factFinding, type CheckInput, type IacCheck } from './check-context';

/** Backups kept fewer days than this are flagged (seed 003, step 3: "Backup retention < 7 days"). */
export const MIN_BACKUP_DAYS = 7;

/**
 * Stateful resources that an AZ failure, a bad write or a stack change can lose (seed 003 steps
 * 2-3): a single-AZ database, short or default backup retention, no deletion protection, a
 * DynamoDB table without point-in-time recovery, an unversioned bucket, a cache with no replica
 * to fail over to. An instance that belongs to a cluster is judged through the cluster. An
 * idempotency table needs no recovery: its records expire within hours and only stop duplicates.
 */
function checkDataStores({ facts }: CheckInput): IacFinding[] {
  const out: IacFinding[] = [];
  for (const db of facts.databases.filter((d) => d.clusterId === undefined)) {
    const component = `${db.kind === 'rds-cluster' ? 'DB cluster' : 'RDS instance'} ${db.id}`;
    const retention = db.backupRetentionDays;
    if (!db.multiAz)
      out.push(
        factFinding('single-az-database', db, {
          component,
          detail:
            db.kind === 'rds-cluster' ? `${db.instances ?? 0} instance(s) in the cluster` : 'MultiAZ is not enabled',
          mitigation:
            retention && retention >= MIN_BACKUP_DAYS
              ? `backups kept ${retention} days (restore, not failover)`
              : 'None',
        }),
      );
    if (retention === null || retention < MIN_BACKUP_DAYS)
      out.push(
        factFinding('short-backup-retention', db, {
          component,
          detail:
            retention === null ? 'BackupRetentionPeriod not set (default 1 day)' : `BackupRetentionPeriod ${retention}`,
        }),
      );
    if (!db.deletionProtection)
      out.push(factFinding('no-deletion-protection', db, { component, detail: 'DeletionProtection is not enabled' }));
  }
  for (const t of facts.tables.filter((x) => !x.pitr && !isIdempotencyTable(x.id)))
    out.push(
      factFinding('table-without-pitr', t, {
        component: `DynamoDB table ${t.id}`,
        detail: 'point-in-time recovery is off',
      }),
    );
  // a website bucket's objects are deployed from a build, and disposable objects (pipeline
  // artifacts, expiring objects, objects the stack deletes) are not kept: nothing to restore
  for (const b of facts.buckets.filter((x) => !x.versioning && !x.website && !x.disposable))
    out.push(
      factFinding('bucket-without-versioning', b, { component: `S3 bucket ${b.id}`, detail: 'versioning is off' }),
    );
  for (const c of facts.caches.filter((x) => !x.automaticFailover || (x.replicas ?? 0) < 1))
    out.push(
      factFinding('cache-without-failover', c, {
        component: `ElastiCache ${c.id}`,
        detail: `${c.replicas ?? 'unknown'} replica(s), automatic failover ${c.automaticFailover ? 'on' : 'off'}`,
      }),
    );
  return out;
}

export default {
  ruleIds: [
    'single-az-database',
    'short-backup-retention',
    'no-deletion-protection',
    'table-without-pitr',
    'bucket-without-versioning',
    'cache-without-failover',
  ],
  run: checkDataStores,
} satisfies IacCheck;
