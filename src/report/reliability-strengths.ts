import { at, type Located, type ReliabilityFacts } from '../iac/reliability/facts-types';
import type { Domain } from './reliability-risk';

/** Something the workload already does right, with evidence. */
export interface Strength {
  domain: Domain;
  rel: number[];
  text: string;
  evidence: string[];
}

const ev = (xs: Located[]) => xs.map(at);

export function findStrengths(f: ReliabilityFacts): Strength[] {
  const out: Strength[] = [];
  const add = (domain: Domain, rel: number[], text: string, xs: Located[]) =>
    xs.length && out.push({ domain, rel, text, evidence: ev(xs) });
  const dbs = f.databases.filter((d) => d.clusterId === undefined);
  add(
    'Fault Tolerance',
    [10, 11],
    'Multi-AZ databases',
    dbs.filter((d) => d.multiAz),
  );
  add(
    'Fault Tolerance',
    [11],
    'Caches with a replica and automatic failover',
    f.caches.filter((c) => c.automaticFailover && (c.replicas ?? 0) >= 1),
  );
  add('Fault Tolerance', [6, 11], 'Health checks configured', f.healthChecks);
  add(
    'Fault Tolerance',
    [4, 11],
    'Queues with a dead-letter queue',
    f.queues.filter((q) => q.redrive !== null),
  );
  add(
    'Fault Tolerance',
    [10, 11],
    'ECS services with two or more tasks',
    f.ecsServices.filter((s) => (s.desiredCount ?? 1) >= 2),
  );
  if (f.network.natGateways.length >= 2 && f.network.natGateways.length >= f.network.azs)
    add('Fault Tolerance', [2, 10], 'A NAT gateway per AZ', f.network.natGateways);
  add(
    'Recovery & Backup',
    [9],
    'Database backups kept 7 days or more',
    dbs.filter((d) => (d.backupRetentionDays ?? 0) >= 7),
  );
  add(
    'Recovery & Backup',
    [9],
    'DynamoDB point-in-time recovery',
    f.tables.filter((t) => t.pitr),
  );
  add(
    'Recovery & Backup',
    [9],
    'Versioned S3 buckets',
    f.buckets.filter((b) => b.versioning),
  );
  add('Recovery & Backup', [9], 'AWS Backup plans', f.backupPlans);
  add('Recovery & Backup', [13], 'Cross-region copies (S3 replication, global tables, backup copy actions)', [
    ...f.buckets.filter((b) => b.replication),
    ...f.tables.filter((t) => t.replicas > 1),
    ...f.backupPlans.filter((b) => b.crossRegionCopy),
  ]);
  add(
    'Scaling & Capacity',
    [1, 3],
    'Lambda reserved concurrency',
    f.functions.filter((x) => x.reservedConcurrency),
  );
  add(
    'Scaling & Capacity',
    [3],
    'On-demand DynamoDB capacity',
    f.tables.filter((t) => t.billingMode === 'PAY_PER_REQUEST'),
  );
  add('Scaling & Capacity', [3, 7], 'Scaling policies', [
    ...f.scalingPolicies,
    ...f.ecsServices.filter((s) => s.autoScaling),
  ]);
  add('Scaling & Capacity', [1, 5], 'API throttling / usage plans', f.throttling);
  add(
    'Resilience Patterns',
    [5],
    'Lambda timeouts below the API Gateway timeout',
    f.apiIntegrations
      .filter((i) => !i.lambdaOutlivesApi)
      .map((i) => ({ file: i.file, line: i.line, id: i.functionId, format: 'sam' as const })),
  );
  add(
    'Change Management',
    [8],
    'Gradual Lambda deployments (canary/linear)',
    f.functions.filter((x) => x.settings.deployment !== null && !/allatonce/i.test(x.settings.deployment)),
  );
  add('Change Management', [8], 'Automatic rollback (alarms, ECS circuit breaker, CodeDeploy)', [
    ...f.functions.filter((x) => x.settings.rollbackAlarms > 0),
    ...f.ecsServices.filter((s) => s.rollback),
    ...f.deploymentGroups.filter((d) => d.autoRollback),
  ]);
  add('Testing & Validation', [12], 'FIS experiment templates', f.fisTemplates);
  add('Testing & Validation', [12, 9], 'AWS Backup restore testing plans', f.restoreTestingPlans);
  add('Testing & Validation', [6], 'CloudWatch alarms', f.alarms);
  return out;
}
