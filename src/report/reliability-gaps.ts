import { at, type FactAt, type ReliabilityFacts } from '../iac/reliability-facts';
import type { Domain, GapKey } from './reliability-risk';

/** One IaC resource that falls short, with the component name the SPOF table shows. */
export interface GapOccurrence {
  key: GapKey;
  component: string;
  evidence: string;
  detail: string;
  /** what already softens it, for the SPOF table */
  mitigation: string;
}

/** Something the workload already does right, with evidence. */
export interface Strength {
  domain: Domain;
  rel: number[];
  text: string;
  evidence: string[];
}

export const GAP_TEXT: Record<GapKey, { title: string; recommendation: string }> = {
  'single-az-database': {
    title: 'Single-AZ database',
    recommendation: 'Set MultiAZ: true on the instance, or add an Aurora reader in a second AZ.',
  },
  'short-backup-retention': {
    title: 'Database backup retention under 7 days',
    recommendation:
      'Set BackupRetentionPeriod to 7 days or more (35 for production data), or cover it with an AWS Backup plan.',
  },
  'no-deletion-protection': {
    title: 'Database without deletion protection',
    recommendation: 'Set DeletionProtection: true (and a Snapshot DeletionPolicy).',
  },
  'table-without-pitr': {
    title: 'DynamoDB table without point-in-time recovery',
    recommendation: 'Enable PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled.',
  },
  'bucket-without-versioning': {
    title: 'S3 bucket without versioning',
    recommendation: 'Enable VersioningConfiguration (Status: Enabled) with a lifecycle rule for old versions.',
  },
  'cache-without-failover': {
    title: 'Cache without replica or automatic failover',
    recommendation: 'Use a replication group with at least one replica, AutomaticFailoverEnabled and MultiAZEnabled.',
  },
  'fixed-size-asg': {
    title: 'Auto Scaling group with MinSize = MaxSize',
    recommendation: 'Raise MaxSize above MinSize and add a target-tracking scaling policy.',
  },
  'asg-without-scaling-policy': {
    title: 'Auto Scaling group without a scaling policy',
    recommendation: 'Add a target-tracking ScalingPolicy (e.g. CPU 50%).',
  },
  'single-task-service': {
    title: 'ECS service with a single task',
    recommendation: 'Run DesiredCount >= 2 across AZs, or add Application Auto Scaling with MinCapacity >= 2.',
  },
  'ecs-without-circuit-breaker': {
    title: 'ECS service without deployment circuit breaker',
    recommendation: 'Set DeploymentConfiguration.DeploymentCircuitBreaker { Enable: true, Rollback: true }.',
  },
  'single-nat-gateway': {
    title: 'One NAT gateway for several AZs',
    recommendation: 'Add one NAT gateway per AZ and route each private subnet to the NAT in its AZ.',
  },
  'lambda-outlives-api': {
    title: 'Lambda timeout not below the API Gateway timeout',
    recommendation:
      'Set the function timeout below the integration timeout (e.g. 25 s under the 29 s default) and the client timeouts below that.',
  },
  'all-at-once-deployment': {
    title: 'Lambda deployed all at once',
    recommendation:
      'Add a SAM DeploymentPreference (Canary10Percent5Minutes) with rollback Alarms, or the serverless canary-deployments plugin.',
  },
  'deployment-without-alarms': {
    title: 'Gradual deployment without rollback alarms',
    recommendation: 'List the error and latency alarms under DeploymentPreference Alarms so a bad version rolls back.',
  },
};

const ev = (xs: FactAt[]) => xs.map(at);

export function findGaps(f: ReliabilityFacts): GapOccurrence[] {
  const out: GapOccurrence[] = [];
  const add = (key: GapKey, x: FactAt, component: string, detail: string, mitigation = 'None') =>
    out.push({ key, component, evidence: at(x), detail, mitigation });
  for (const db of f.databases.filter((d) => d.clusterId === undefined)) {
    const name = `${db.kind === 'rds-cluster' ? 'DB cluster' : 'RDS instance'} ${db.id}`;
    const retention = db.backupRetentionDays;
    if (!db.multiAz)
      add(
        'single-az-database',
        db,
        name,
        db.kind === 'rds-cluster' ? `${db.instances ?? 0} instance(s) in the cluster` : 'MultiAZ is not enabled',
        retention && retention >= 7 ? `backups kept ${retention} days (restore, not failover)` : 'None',
      );
    if (retention === null || retention < 7)
      add(
        'short-backup-retention',
        db,
        name,
        retention === null ? 'BackupRetentionPeriod not set (default 1 day)' : `BackupRetentionPeriod ${retention}`,
      );
    if (!db.deletionProtection) add('no-deletion-protection', db, name, 'DeletionProtection is not enabled');
  }
  for (const t of f.tables.filter((x) => !x.pitr))
    add('table-without-pitr', t, `DynamoDB table ${t.id}`, 'point-in-time recovery is off');
  for (const b of f.buckets.filter((x) => !x.versioning))
    add('bucket-without-versioning', b, `S3 bucket ${b.id}`, 'versioning is off');
  for (const c of f.caches.filter((x) => !x.automaticFailover || (x.replicas ?? 0) < 1)) {
    add(
      'cache-without-failover',
      c,
      `ElastiCache ${c.id}`,
      `${c.replicas ?? 'unknown'} replica(s), automatic failover ${c.automaticFailover ? 'on' : 'off'}`,
    );
  }
  for (const a of f.asgs) {
    if (a.fixedSize)
      add(
        'fixed-size-asg',
        a,
        `Auto Scaling group ${a.id}`,
        `MinSize = MaxSize = ${a.min}`,
        a.subnets >= 2 ? `spread over ${a.subnets} subnets` : 'None',
      );
    else if (a.scalingPolicies === 0 && a.format !== 'cdk')
      add('asg-without-scaling-policy', a, `Auto Scaling group ${a.id}`, 'no scaling policy refers to it');
  }
  for (const s of f.ecsServices) {
    if ((s.desiredCount ?? 1) <= 1 && !s.autoScaling)
      add(
        'single-task-service',
        s,
        `ECS service ${s.id}`,
        `DesiredCount ${s.desiredCount ?? '1 (default)'}`,
        s.circuitBreaker ? 'deployment circuit breaker' : 'None',
      );
    if (!s.circuitBreaker) add('ecs-without-circuit-breaker', s, `ECS service ${s.id}`, 'no DeploymentCircuitBreaker');
  }
  const nats = f.network.natGateways;
  if (nats.length === 1 && f.network.azs >= 2)
    add('single-nat-gateway', nats[0]!, `NAT gateway ${nats[0]!.id}`, `1 NAT gateway, subnets in ${f.network.azs} AZs`);
  for (const v of f.network.vpcs.filter((x) => x.natGateways === 1 && (x.maxAzs ?? 2) >= 2))
    add('single-nat-gateway', v, `VPC ${v.id} NAT gateway`, `natGateways: 1 for maxAzs ${v.maxAzs ?? '2 (default)'}`);
  for (const i of f.apiIntegrations.filter((x) => x.lambdaOutlivesApi)) {
    out.push({
      key: 'lambda-outlives-api',
      component: `API route → ${i.functionId}`,
      evidence: `${i.file}:${i.line}`,
      mitigation: 'None',
      detail: `Lambda timeout ${i.functionTimeout} s ≥ API Gateway timeout ${i.apiTimeout} s${i.apiTimeoutDefaulted ? ' (default)' : ''}`,
    });
  }
  for (const fn of f.functions) {
    if (fn.deployment === null || /allatonce/i.test(fn.deployment))
      add(
        'all-at-once-deployment',
        fn,
        `Lambda ${fn.id}`,
        fn.deployment ? `deployment type ${fn.deployment}` : 'no DeploymentPreference / deploymentSettings',
      );
    else if (fn.rollbackAlarms === 0)
      add('deployment-without-alarms', fn, `Lambda ${fn.id}`, `${fn.deployment} with no rollback alarms`);
  }
  return out;
}

export function findStrengths(f: ReliabilityFacts): Strength[] {
  const out: Strength[] = [];
  const add = (domain: Domain, rel: number[], text: string, xs: FactAt[]) =>
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
    f.queues.filter((q) => q.hasDlq),
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
    f.functions.filter((x) => x.deployment !== null && !/allatonce/i.test(x.deployment)),
  );
  add('Change Management', [8], 'Automatic rollback (alarms, ECS circuit breaker, CodeDeploy)', [
    ...f.functions.filter((x) => x.rollbackAlarms > 0),
    ...f.ecsServices.filter((s) => s.rollback),
    ...f.deploymentGroups.filter((d) => d.autoRollback),
  ]);
  add('Testing & Validation', [12], 'FIS experiment templates', f.fisTemplates);
  add('Testing & Validation', [12, 9], 'AWS Backup restore testing plans', f.restoreTestingPlans);
  add('Testing & Validation', [6], 'CloudWatch alarms', f.alarms);
  return out;
}
