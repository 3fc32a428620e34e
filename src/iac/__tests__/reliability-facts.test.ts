import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reliabilityFacts } from '../reliability-facts';
import type { ReliabilityFacts } from '../reliability/facts-types';
import type { IacInputFile } from '../../types';

const ROOT = path.resolve(__dirname, '../../../test/fixtures/reliability');

function load(dir: string): ReliabilityFacts {
  const abs = path.join(ROOT, dir);
  const files: IacInputFile[] = fs.readdirSync(abs).map((f) => ({
    path: `${dir}/${f}`,
    absPath: path.join(abs, f),
    text: fs.readFileSync(path.join(abs, f), 'utf8'),
  }));
  return reliabilityFacts(files);
}

const sam = load('sam');
const sls = load('serverless');
const cfn = load('cfn');
const cdk = load('cdk');

/** `id@file:line`, for compact exact assertions */
const spots = (xs: Array<{ id?: string; functionId?: string; file: string; line: number }>) =>
  xs.map((x) => `${x.id ?? x.functionId}@${x.file}:${x.line}`);

describe('reliabilityFacts: data stores', () => {
  it.each([
    [
      'single-AZ instance, 3-day retention',
      sam,
      'OrdersDb',
      { kind: 'rds-instance', multiAz: false, backupRetentionDays: 3, deletionProtection: false, line: 40 },
    ],
    [
      'Aurora cluster with two instances',
      sam,
      'AuroraCluster',
      { kind: 'rds-cluster', multiAz: true, instances: 2, backupRetentionDays: 14, deletionProtection: true, line: 46 },
    ],
    ['cluster member points at its cluster', sam, 'AuroraWriter', { clusterId: 'AuroraCluster', line: 52 }],
    [
      'JSON strings "true"/"7" read as values',
      cfn,
      'Db',
      { multiAz: true, backupRetentionDays: 7, deletionProtection: true, line: 31 },
    ],
    [
      'CDK DatabaseInstance literal props',
      cdk,
      'Db',
      { multiAz: true, backupRetentionDays: 7, deletionProtection: false, line: 12 },
    ],
  ])('%s', (_name, facts, id, expected) => {
    expect(facts.databases.find((d) => d.id === id)).toMatchObject(expected);
  });

  it('tables: PITR, TTL, billing mode (PROVISIONED by default)', () => {
    expect(sam.tables.map((t) => [t.id, t.line, t.pitr, t.ttl, t.billingMode])).toEqual([
      ['OrdersTable', 62, true, true, 'PAY_PER_REQUEST'],
      ['AuditTable', 71, false, false, 'PROVISIONED'],
    ]);
    expect(cdk.tables.map((t) => [t.id, t.pitr, t.billingMode])).toEqual([['Orders', true, 'PAY_PER_REQUEST']]);
  });

  it('buckets and caches', () => {
    expect(sam.buckets).toMatchObject([{ id: 'Assets', line: 77, versioning: true, replication: false }]);
    expect(sls.caches).toMatchObject([
      { id: 'Cache', line: 27, replicas: 0, automaticFailover: false, multiAz: false },
    ]);
    expect(cfn.caches).toMatchObject([{ id: 'Cache', replicas: 1, automaticFailover: true, multiAz: true }]);
  });
});

describe('reliabilityFacts: compute and Lambda', () => {
  it('ASG min == max is fixed size; ECS circuit breaker', () => {
    expect(sls.asgs).toMatchObject([
      { id: 'Fleet', line: 32, min: 2, max: 2, fixedSize: true, subnets: 2, scalingPolicies: 0 },
    ]);
    expect(sls.ecsServices).toMatchObject([
      { id: 'Web', line: 40, desiredCount: 1, circuitBreaker: true, rollback: true, autoScaling: false },
    ]);
  });

  it.each([
    [
      'SAM Globals timeout and DeploymentPreference',
      sam,
      'ApiFunction',
      { timeout: 30, timeoutDefaulted: false, memory: 512, deployment: 'Canary10Percent5Minutes', rollbackAlarms: 1 },
    ],
    [
      'SAM function timeout overrides Globals',
      sam,
      'WorkerFunction',
      { timeout: 10, reservedConcurrency: true, deployment: null },
    ],
    ['serverless function timeout', sls, 'api', { timeout: 30, timeoutDefaulted: false, memory: null }],
    [
      'serverless default 6 s, canary plugin',
      sls,
      'report',
      { timeout: 6, timeoutDefaulted: true, memory: 256, deployment: 'Linear10PercentEvery1Minute' },
    ],
    ['CFN Lambda', cfn, 'Fn', { timeout: 40, memory: 1024 }],
    ['CDK Duration.minutes(1)', cdk, 'Api', { timeout: 60, timeoutDefaulted: false, memory: 512 }],
    ['CDK default 3 s', cdk, 'Plain', { timeout: 3, timeoutDefaulted: true, memory: null }],
  ])('%s', (_name, facts, id, expected) => {
    const fn = facts.functions.find((f) => f.id === id);
    expect({ reservedConcurrency: fn?.reservedConcurrency, ...fn?.settings }).toMatchObject(expected);
  });

  it('API Gateway timeout vs Lambda timeout (29 s default)', () => {
    const rows = (f: ReliabilityFacts) =>
      f.apiIntegrations.map(
        (a) =>
          `${a.functionId}@${a.line} api=${a.apiTimeout}${a.apiTimeoutDefaulted ? '(default)' : ''} fn=${a.functionTimeout} ${a.lambdaOutlivesApi ? 'OUTLIVES' : 'ok'}`,
      );
    expect(rows(sam)).toEqual([
      'ApiFunction@18 api=29(default) fn=30 OUTLIVES',
      'ApiFunction@23 api=10 fn=30 OUTLIVES',
    ]);
    expect(rows(sls)).toEqual([
      'api@10 api=29(default) fn=30 OUTLIVES',
      'api@13 api=29(default) fn=30 OUTLIVES',
      'report@21 api=10 fn=6 ok',
    ]);
    expect(rows(cfn)).toEqual(['Fn@8 api=10 fn=40 OUTLIVES']);
  });

  it('queues: DLQ present, missing, and the DLQ itself', () => {
    expect(sls.queues.map((q) => [q.id, q.span.line, q.redrive !== null, q.isDlq])).toEqual([
      ['Jobs', 48, false, false],
      ['Work', 50, true, false],
      ['WorkDlq', 56, false, true],
    ]);
  });
});

describe('reliabilityFacts: network, health, operations', () => {
  it('one NAT gateway, subnets in two AZs', () => {
    expect(spots(sam.network.natGateways)).toEqual(['Nat@sam/template.yaml:91']);
    expect(sam.network.subnets.map((s) => [s.id, s.az, s.public])).toEqual([
      ['PublicA', 'index 0', true],
      ['PrivateB', 'index 1', false],
    ]);
    expect(sam.network.azs).toBe(2);
    expect(cdk.network.vpcs).toMatchObject([{ id: 'Vpc', natGateways: 1, maxAzs: 3 }]);
  });

  it('health checks: routes, Route53, target groups', () => {
    expect(sam.healthChecks.map((h) => `${h.kind} ${h.path}@${h.line}`)).toEqual(['http-route /healthz@18']);
    expect(sls.healthChecks.map((h) => `${h.kind} ${h.path}@${h.line}`)).toEqual(['http-route health@13']);
    expect(cfn.healthChecks.map((h) => `${h.kind} ${h.path}@${h.line}`)).toEqual([
      'route53 /health@23',
      'target-group /ready@27',
    ]);
  });

  it('alarms, backup plans, FIS templates', () => {
    expect(spots(sam.alarms)).toEqual(['ApiErrorsAlarm@sam/template.yaml:35']);
    expect(sam.backupPlans).toMatchObject([{ id: 'Backups', line: 95, retentionDays: 35, crossRegionCopy: false }]);
    expect(sam.fisTemplates).toMatchObject([{ id: 'AzOutage', line: 104, actions: ['aws:rds:failover-db-cluster'] }]);
  });
});

function lookAlikeFiles(): IacInputFile[] {
  const abs = path.join(ROOT, 'look-alikes');
  return fs.readdirSync(abs).map((f) => ({
    path: `look-alikes/${f}`,
    absPath: path.join(abs, f),
    text: fs.readFileSync(path.join(abs, f), 'utf8'),
  }));
}

describe('reliabilityFacts: look-alikes stay silent', () => {
  const valid: Array<[string, IacInputFile[], string[]]> = [
    ['docker-compose, OpenAPI and a settings JSON with IaC-like keys', lookAlikeFiles(), []],
    [
      'a serverless.yml with no functions or resources',
      [{ path: 'serverless.yml', absPath: '/p/serverless.yml', text: 'service: x\nprovider:\n  name: aws\n' }],
      ['serverless.yml'],
    ],
    [
      'a template that does not parse',
      [
        {
          path: 'template.yaml',
          absPath: '/p/template.yaml',
          text: 'AWSTemplateFormatVersion: "2010-09-09"\nResources: [\n',
        },
      ],
      [],
    ],
    [
      'Terraform is not read here',
      [{ path: 'main.tf', absPath: '/p/main.tf', text: 'resource "aws_db_instance" "x" { multi_az = false }' }],
      [],
    ],
    [
      'a CDK file with a non-construct `new Table`',
      [
        {
          path: 'lib/t.ts',
          absPath: '/p/lib/t.ts',
          text: "import { App } from 'aws-cdk-lib';\nconst t = new Table({ multiAz: false });\n",
        },
      ],
      ['lib/t.ts'],
    ],
  ];
  it.each(valid)('%s', (_name, files, read) => {
    const { network, files: readFiles, ...rest } = reliabilityFacts(files);
    expect(readFiles).toEqual(read);
    expect(Object.entries(rest).filter(([, v]) => Array.isArray(v) && v.length > 0)).toEqual([]);
    expect(network).toEqual({ natGateways: [], subnets: [], azs: 0, vpcs: [] });
  });
});
