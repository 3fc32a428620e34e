import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadCatalog } from '../../catalog/catalog';
import { scan } from '../../scan/scan';
import computeCapacity from '../checks/compute-capacity';
import dataStores from '../checks/data-stores';
import { IAC_CHECKS } from '../checks/iac-checks';
import lambdaDeployment from '../checks/lambda-deployment';
import { scanTextsAll } from './scan-fixture';

/**
 * The resource-settings rules (seed 003): each reported at its resource's key line in every
 * format that declares the setting, and silent on the same resource with the setting right.
 */

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;
type Format = 'serverless' | 'cfn-yaml' | 'cfn-json';

/** The template of one format holding the resources, and the 1-based line of each resource key. */
function render(format: Format, resources: Resources): { file: string; text: string } {
  if (format === 'cfn-json')
    return {
      file: 'template.json',
      text: JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }, null, 2),
    };
  const body = YAML.stringify(
    format === 'serverless'
      ? { service: 'svc', provider: { name: 'aws', runtime: 'nodejs20.x' }, resources: { Resources: resources } }
      : { AWSTemplateFormatVersion: '2010-09-09', Resources: resources },
  );
  return { file: format === 'serverless' ? 'serverless.yml' : 'template.yaml', text: body };
}

function lineOf(text: string, id: string): number {
  const i = text.split('\n').findIndex((l) => new RegExp(`^\\s*"?${id}"?:`).test(l));
  if (i < 0) throw new Error(`${id} not in the template`);
  return i + 1;
}

function found(file: string, text: string, ruleId: string): string[] {
  return scanTextsAll({ [file]: text })
    .findings.filter((f) => f.ruleId === ruleId)
    .map((f) => `${f.file}:${f.line} ${f.message}`);
}

const db = (props: Record<string, unknown>): Resources => ({
  Db: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres', ...props } },
});
const SAFE_DB = { MultiAZ: true, BackupRetentionPeriod: 14, DeletionProtection: true };
const table = (id: string, props: Record<string, unknown> = {}): Resources => ({
  [id]: {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ...props,
    },
  },
});
const asg = (min: number, max: number, policy: boolean): Resources => ({
  Fleet: {
    Type: 'AWS::AutoScaling::AutoScalingGroup',
    Properties: { MinSize: String(min), MaxSize: String(max), VPCZoneIdentifier: ['subnet-a', 'subnet-b'] },
  },
  ...(policy
    ? {
        Cpu: {
          Type: 'AWS::AutoScaling::ScalingPolicy',
          Properties: { AutoScalingGroupName: { Ref: 'Fleet' }, PolicyType: 'TargetTrackingScaling' },
        },
      }
    : {}),
});
const service = (desired: number, breaker: boolean): Resources => ({
  Web: {
    Type: 'AWS::ECS::Service',
    Properties: {
      DesiredCount: desired,
      ...(breaker ? { DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true } } } : {}),
    },
  },
});
const subnet = (az: string): Resources[string] => ({
  Type: 'AWS::EC2::Subnet',
  Properties: { AvailabilityZone: az, CidrBlock: '10.0.0.0/24' },
});
const network = (nats: number): Resources => ({
  SubnetA: subnet('eu-west-1a'),
  SubnetB: subnet('eu-west-1b'),
  Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: { Ref: 'SubnetA' } } },
  ...(nats > 1 ? { Nat2: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: { Ref: 'SubnetB' } } } } : {}),
});

/** rule, resource reported, the resources that show it, a look-alike with the setting right */
const TEMPLATE_CASES: Array<[string, string, Resources, Resources]> = [
  ['single-az-database', 'Db', db({ ...SAFE_DB, MultiAZ: false }), db(SAFE_DB)],
  ['short-backup-retention', 'Db', db({ MultiAZ: true, DeletionProtection: true }), db(SAFE_DB)],
  ['short-backup-retention', 'Db', db({ ...SAFE_DB, BackupRetentionPeriod: 3 }), db(SAFE_DB)],
  ['no-deletion-protection', 'Db', db({ MultiAZ: true, BackupRetentionPeriod: 7 }), db(SAFE_DB)],
  [
    'table-without-pitr',
    'Orders',
    table('Orders'),
    table('Orders', { PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
  ],
  // an idempotency table's records expire within hours: nothing to recover
  ['table-without-pitr', 'Orders', table('Orders'), table('IdempotencyTable')],
  [
    'bucket-without-versioning',
    'Uploads',
    { Uploads: { Type: 'AWS::S3::Bucket' } },
    { Uploads: { Type: 'AWS::S3::Bucket', Properties: { VersioningConfiguration: { Status: 'Enabled' } } } },
  ],
  // a static site's objects come from its build
  [
    'bucket-without-versioning',
    'Uploads',
    { Uploads: { Type: 'AWS::S3::Bucket' } },
    { Uploads: { Type: 'AWS::S3::Bucket', Properties: { WebsiteConfiguration: { IndexDocument: 'index.html' } } } },
  ],
  // a pipeline's artifact store: the pipeline re-creates its artifacts
  [
    'bucket-without-versioning',
    'Artifacts',
    { Artifacts: { Type: 'AWS::S3::Bucket' } },
    {
      Artifacts: { Type: 'AWS::S3::Bucket' },
      Pipeline: {
        Type: 'AWS::CodePipeline::Pipeline',
        Properties: { ArtifactStore: { Type: 'S3', Location: { Ref: 'Artifacts' } }, Stages: [] },
      },
    },
  ],
  // every object expires: nothing is kept to restore
  [
    'bucket-without-versioning',
    'Uploads',
    {
      Uploads: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          LifecycleConfiguration: {
            Rules: [
              { Status: 'Enabled', Prefix: 'tmp/', ExpirationInDays: 1 },
              { Status: 'Enabled', ExpirationInDays: 3650 },
            ],
          },
        },
      },
    },
    {
      Uploads: {
        Type: 'AWS::S3::Bucket',
        Properties: { LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 1 }] } },
      },
    },
  ],
  [
    'cache-without-failover',
    'Cache',
    {
      Cache: {
        Type: 'AWS::ElastiCache::ReplicationGroup',
        Properties: { NumCacheClusters: 1, AutomaticFailoverEnabled: false },
      },
    },
    {
      Cache: {
        Type: 'AWS::ElastiCache::ReplicationGroup',
        Properties: { NumCacheClusters: 2, AutomaticFailoverEnabled: true, MultiAZEnabled: true },
      },
    },
  ],
  ['fixed-size-asg', 'Fleet', asg(2, 2, true), asg(2, 6, true)],
  ['asg-without-scaling-policy', 'Fleet', asg(1, 4, false), asg(1, 4, true)],
  ['single-task-service', 'Web', service(1, true), service(2, true)],
  ['ecs-without-circuit-breaker', 'Web', service(2, false), service(2, true)],
  ['single-nat-gateway', 'Nat', network(1), network(2)],
];

describe.each(['serverless', 'cfn-yaml', 'cfn-json'] as const)('resource settings in %s', (format) => {
  it.each(TEMPLATE_CASES)('%s at %s', (ruleId, id, bad, good) => {
    const b = render(format, bad);
    const hits = found(b.file, b.text, ruleId);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatch(new RegExp(`^${b.file.replace('.', '\\.')}:${lineOf(b.text, id)} \\w.* ${id}: `));
    const g = render(format, good);
    expect(found(g.file, g.text, ruleId)).toEqual([]);
  });
});

describe('Lambda deployments', () => {
  const sam = (props: string, type = 'AWS::Serverless::Function') =>
    [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Api:',
      `    Type: ${type}`,
      '    Properties:',
      '      Handler: index.handler',
      '      Runtime: nodejs20.x',
      '      AutoPublishAlias: live',
      ...props.split('\n').filter(Boolean),
    ].join('\n') + '\n';
  const canary = (alarms: boolean) =>
    `      DeploymentPreference:\n        Type: Canary10Percent5Minutes\n${alarms ? '        Alarms:\n          - !Ref Errors\n' : ''}`;
  const sls = (settings: string) =>
    [
      'service: svc',
      'provider:',
      '  name: aws',
      '  runtime: nodejs20.x',
      'functions:',
      '  api:',
      '    handler: src/api.handler',
      ...settings.split('\n').filter(Boolean),
    ].join('\n') + '\n';

  const cases: Array<[string, string, string, string, number]> = [
    ['all-at-once-deployment', 'SAM, no DeploymentPreference', 'template.yaml', sam(''), 4],
    [
      'all-at-once-deployment',
      'SAM, AllAtOnce',
      'template.yaml',
      sam('      DeploymentPreference:\n        Type: AllAtOnce'),
      4,
    ],
    ['all-at-once-deployment', 'serverless, no deploymentSettings', 'serverless.yml', sls(''), 6],
    ['deployment-without-alarms', 'SAM canary without alarms', 'template.yaml', sam(canary(false)), 4],
    [
      'deployment-without-alarms',
      'serverless canary without alarms',
      'serverless.yml',
      sls('    deploymentSettings:\n      type: Linear10PercentEvery1Minute\n      alias: Live'),
      6,
    ],
  ];
  it.each(cases)('%s: %s', (ruleId, _name, file, text, line) => {
    const hits = found(file, text, ruleId);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatch(new RegExp(`^${file.replace('.', '\\.')}:${line} Lambda (Api|api): `));
  });

  it('a DeploymentPreference Type given by a template parameter is read from its default', () => {
    const byParameter = (defaultType: string | null) =>
      sam(
        '      DeploymentPreference:\n        Type:\n          Ref: CanaryType\n        Alarms:\n          - !Ref Errors',
      ).replace(
        'Resources:\n',
        `Parameters:\n  CanaryType:\n    Type: String\n${defaultType ? `    Default: ${defaultType}\n` : ''}Resources:\n`,
      );
    expect(found('template.yaml', byParameter('Canary10Percent5Minutes'), 'all-at-once-deployment')).toEqual([]);
    // no default: chosen at deploy time, not all at once by itself
    expect(found('template.yaml', byParameter(null), 'all-at-once-deployment')).toEqual([]);
    expect(found('template.yaml', byParameter('AllAtOnce'), 'all-at-once-deployment')).toEqual([
      'template.yaml:8 Lambda Api: deployment type AllAtOnce',
    ]);
    // a FindInMap keyed by a Ref is not the Ref's value: read as set at deploy time, not all at once
    const mapped = sam(
      '      DeploymentPreference:\n        Type: !FindInMap [Deploy, !Ref Stage, Type]\n        Alarms:\n          - !Ref Errors',
    ).replace('Resources:\n', 'Parameters:\n  Stage:\n    Type: String\n    Default: dev\nResources:\n');
    expect(found('template.yaml', mapped, 'all-at-once-deployment')).toEqual([]);
    expect(found('template.yaml', mapped, 'deployment-without-alarms')).toEqual([]);
  });

  it('one all-at-once finding per file, at its first function, naming every function it covers', () => {
    const text = sls('  worker:\n    handler: src/worker.handler\n  report:\n    handler: src/report.handler');
    const hits = found('serverless.yml', text, 'all-at-once-deployment');
    expect(hits).toEqual([
      'serverless.yml:6 3 Lambda functions (api, worker, report): no DeploymentPreference / deploymentSettings',
    ]);
    // a function with a gradual deployment is left out of it
    const mixed = sls(
      '    deploymentSettings:\n      type: Linear10PercentEvery1Minute\n      alias: Live\n      alarms:\n        - ApiErrors\n  worker:\n    handler: src/worker.handler',
    );
    expect(found('serverless.yml', mixed, 'all-at-once-deployment')).toEqual([
      'serverless.yml:13 Lambda worker: no DeploymentPreference / deploymentSettings',
    ]);
  });

  const silent: Array<[string, string, string]> = [
    ['SAM canary with rollback alarms', 'template.yaml', sam(canary(true))],
    [
      'serverless canary with alarms',
      'serverless.yml',
      sls(
        '    deploymentSettings:\n      type: Linear10PercentEvery1Minute\n      alias: Live\n      alarms:\n        - ApiErrors',
      ),
    ],
    [
      'a custom resource handler (serves the stack deploy, not traffic)',
      'template.yaml',
      sam('').replace(
        'Resources:\n',
        'Resources:\n  Seed:\n    Type: Custom::Seed\n    Properties:\n      ServiceToken: !GetAtt Api.Arn\n',
      ),
    ],
  ];
  it.each(silent)('silent on %s', (_name, file, text) => {
    expect(found(file, text, 'all-at-once-deployment')).toEqual([]);
    expect(found(file, text, 'deployment-without-alarms')).toEqual([]);
  });
});

describe('CDK stacks', () => {
  const stack = (...lines: string[]) =>
    [
      "import * as cdk from 'aws-cdk-lib';",
      "import * as rds from 'aws-cdk-lib/aws-rds';",
      "import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';",
      "import * as s3 from 'aws-cdk-lib/aws-s3';",
      "import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';",
      "import * as ecs from 'aws-cdk-lib/aws-ecs';",
      "import * as ec2 from 'aws-cdk-lib/aws-ec2';",
      "import * as lambda from 'aws-cdk-lib/aws-lambda';",
      "import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';",
      'export class Stack extends cdk.Stack {',
      '  constructor(scope: cdk.App, id: string) {',
      '    super(scope, id);',
      ...lines.map((l) => `    ${l}`),
      '  }',
      '}',
    ].join('\n') + '\n';
  const AT = 13;
  const cases: Array<[string, string, string]> = [
    [
      'single-az-database',
      "new rds.DatabaseInstance(this, 'Db', { multiAz: false, backupRetention: cdk.Duration.days(7), deletionProtection: true });",
      "new rds.DatabaseInstance(this, 'Db', { multiAz: true, backupRetention: cdk.Duration.days(7), deletionProtection: true });",
    ],
    [
      'short-backup-retention',
      "new rds.DatabaseInstance(this, 'Db', { multiAz: true, deletionProtection: true });",
      "new rds.DatabaseInstance(this, 'Db', { multiAz: true, backupRetention: cdk.Duration.days(14), deletionProtection: true });",
    ],
    [
      'no-deletion-protection',
      "new rds.DatabaseInstance(this, 'Db', { multiAz: true, backupRetention: cdk.Duration.days(7) });",
      "new rds.DatabaseInstance(this, 'Db', { multiAz: true, backupRetention: cdk.Duration.days(7), deletionProtection: true });",
    ],
    [
      'table-without-pitr',
      "new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });",
      "new dynamodb.Table(this, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, pointInTimeRecovery: true });",
    ],
    [
      'bucket-without-versioning',
      "new s3.Bucket(this, 'Uploads');",
      "new s3.Bucket(this, 'Uploads', { versioned: true });",
    ],
    [
      'bucket-without-versioning',
      "new s3.Bucket(this, 'Uploads');",
      "new s3.Bucket(this, 'Uploads', { websiteIndexDocument: 'index.html' });",
    ],
    [
      'bucket-without-versioning',
      "new s3.Bucket(this, 'Uploads', { removalPolicy: cdk.RemovalPolicy.DESTROY });",
      "new s3.Bucket(this, 'Uploads', { removalPolicy: cdk.RemovalPolicy.DESTROY, autoDeleteObjects: true });",
    ],
    [
      'fixed-size-asg',
      "new autoscaling.AutoScalingGroup(this, 'Fleet', { minCapacity: 2, maxCapacity: 2 });",
      "new autoscaling.AutoScalingGroup(this, 'Fleet', { minCapacity: 2, maxCapacity: 6 });",
    ],
    [
      'single-task-service',
      "new ecs.FargateService(this, 'Web', { desiredCount: 1, circuitBreaker: { rollback: true } });",
      "new ecs.FargateService(this, 'Web', { desiredCount: 2, circuitBreaker: { rollback: true } });",
    ],
    [
      'ecs-without-circuit-breaker',
      "new ecs.FargateService(this, 'Web', { desiredCount: 2 });",
      "new ecs.FargateService(this, 'Web', { desiredCount: 2, circuitBreaker: { rollback: true } });",
    ],
    [
      'single-nat-gateway',
      "new ec2.Vpc(this, 'Vpc', { maxAzs: 3, natGateways: 1 });",
      "new ec2.Vpc(this, 'Vpc', { maxAzs: 3, natGateways: 3 });",
    ],
    [
      'all-at-once-deployment',
      "new lambda.Function(this, 'Api', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromAsset('lambda') });",
      "new lambda.Function(this, 'Api', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromAsset('lambda') });\nnew codedeploy.LambdaDeploymentGroup(this, 'Deploy', { alias, alarms: [errors] });",
    ],
  ];
  it.each(cases)('%s at the construct, silent with the setting right', (ruleId, bad, good) => {
    const hits = found('lib/stack.ts', stack(bad), ruleId);
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatch(new RegExp(`^lib/stack\\.ts:${AT} `));
    expect(found('lib/stack.ts', stack(...good.split('\n')), ruleId)).toEqual([]);
  });

  it('a CDK group scales by method calls the facts do not list: no asg-without-scaling-policy', () => {
    const text = stack("new autoscaling.AutoScalingGroup(this, 'Fleet', { minCapacity: 1, maxCapacity: 4 });");
    expect(found('lib/stack.ts', text, 'asg-without-scaling-policy')).toEqual([]);
  });
});

describe('the checks and the catalog', () => {
  it('every rule an IaC check declares is a catalog rule, declared by one check only', () => {
    const ids = IAC_CHECKS.flatMap((c) => c.ruleIds);
    expect(ids.filter((id) => !loadCatalog().byId.has(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the settings rules are the catalog rules of seed 003', () => {
    const settings = [dataStores, computeCapacity, lambdaDeployment].flatMap((c) => c.ruleIds).sort();
    const seed003 = loadCatalog()
      .rules.filter((r) => r.source === '003')
      .map((r) => r.id)
      .sort();
    expect(settings).toEqual(seed003);
  });

  it('the API-timeout problem is one rule: lambda-timeout-exceeds-api, once per route', () => {
    const text = [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Api:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Handler: index.handler',
      '      Runtime: nodejs20.x',
      '      Timeout: 30',
      '      Events:',
      '        Get:',
      '          Type: Api',
      '          Properties: { Path: /orders, Method: get }',
    ].join('\n');
    const atRoute = scanTextsAll({ 'template.yaml': text }).findings.filter((f) => f.line === 11);
    expect(atRoute.map((f) => f.ruleId)).toEqual(['lambda-timeout-exceeds-api']);
    expect(loadCatalog().byId.has('lambda-outlives-api')).toBe(false);
  });
});

describe('the settings rules as scan findings', () => {
  const template = render('cfn-yaml', { ...table('Orders'), ...table('Events') }).text.replace(
    /^(\s+)Events:$/m,
    '$1# harden-codemod-ignore table-without-pitr -- rebuilt from the event log\n$1Events:',
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-settings-'));
  fs.writeFileSync(path.join(dir, 'template.yaml'), template);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const pitr = (options: { only?: string[]; skip?: string[] } = {}) =>
    scan({ paths: [dir], root: dir, ...options }).findings.filter((f) => f.ruleId === 'table-without-pitr');

  it('an inline comment suppresses one, with its reason', () => {
    const result = scan({ paths: [dir], root: dir });
    expect(result.findings.filter((f) => f.ruleId === 'table-without-pitr').map((f) => f.line)).toEqual([
      lineOf(template, 'Orders'),
    ]);
    expect(result.suppressed.map((f) => [f.ruleId, f.reason])).toEqual([
      ['table-without-pitr', 'rebuilt from the event log'],
    ]);
    expect(result.findings.find((f) => f.ruleId === 'table-without-pitr')?.severity).toBe('high');
  });

  it('--only and --skip select them like any rule', () => {
    expect(pitr({ only: ['table-without-pitr'] })).toHaveLength(1);
    expect(pitr({ only: ['no-dlq'] })).toEqual([]);
    expect(pitr({ skip: ['table-without-pitr'] })).toEqual([]);
  });
});
