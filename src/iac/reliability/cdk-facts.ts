import type { Node, Program } from '@babel/types';
import { ctorName, durationDays, numberValue, propValue, stringValue, walk } from '../cdk-ast';
import type { IacModel } from '../iac-model';
import type { IacInputFile } from '../../types';
import type { FactAt, ReliabilityFacts } from './facts-types';
import { DEFAULT_TIMEOUT, settle } from './lambda-facts';

const FUNCTION_CTORS = new Set(['Function', 'NodejsFunction', 'DockerImageFunction']);
const SERVICE_CTORS = new Set([
  'FargateService',
  'Ec2Service',
  'ApplicationLoadBalancedFargateService',
  'ApplicationLoadBalancedEc2Service',
  'NetworkLoadBalancedFargateService',
]);

function bool(node: Node | undefined): boolean {
  return node?.type === 'BooleanLiteral' && node.value;
}

/** `Duration.seconds(30)`, `Duration.minutes(1)` → seconds */
function durationSeconds(node: Node | undefined): number | undefined {
  if (
    node?.type !== 'CallExpression' ||
    node.callee.type !== 'MemberExpression' ||
    node.callee.property.type !== 'Identifier'
  )
    return undefined;
  const n = numberValue(node.arguments[0] as Node | undefined);
  const unit = { millis: 0.001, seconds: 1, minutes: 60, hours: 3600 }[node.callee.property.name];
  return n === undefined || unit === undefined ? undefined : n * unit;
}

/** `BillingMode.PAY_PER_REQUEST` → `PAY_PER_REQUEST` */
function memberName(node: Node | undefined): string | undefined {
  return node?.type === 'MemberExpression' && node.property.type === 'Identifier' ? node.property.name : undefined;
}

function arrayLength(node: Node | undefined): number {
  return node?.type === 'ArrayExpression' ? node.elements.length : 0;
}

/**
 * A CDK stack: the IaC model (functions, queues) plus the reliability constructs written with
 * literal props. Props computed at synth time are not visible and read as unset.
 */
export function readCdkFacts(file: IacInputFile, model: IacModel, program: Program, facts: ReliabilityFacts): void {
  const fnProps = new Map<string, Node | undefined>();
  walk(program, (n) => {
    if (n.type === 'CallExpression' && memberName(n.callee) === 'createAlarm') {
      facts.alarms.push({ file: file.path, line: n.loc?.start.line ?? 1, id: 'createAlarm', format: 'cdk' });
    }
    if (n.type !== 'NewExpression') return;
    const ctor = ctorName(n.callee);
    const id = stringValue(n.arguments[1] as Node | undefined);
    if (!ctor || id === undefined) return;
    const p = n.arguments[2] as Node | undefined;
    const get = (k: string) => propValue(p, k);
    const on: FactAt = {
      file: file.path,
      line: n.loc?.start.line ?? 1,
      column: (n.loc?.start.column ?? 0) + 1,
      id,
      format: 'cdk',
    };
    if (FUNCTION_CTORS.has(ctor)) fnProps.set(id, p);
    else if (ctor === 'DatabaseInstance' || ctor === 'DatabaseInstanceFromSnapshot') {
      facts.databases.push({
        ...on,
        kind: 'rds-instance',
        multiAz: bool(get('multiAz')),
        backupRetentionDays: durationDays(get('backupRetention')) ?? null,
        deletionProtection: bool(get('deletionProtection')),
      });
    } else if (ctor === 'DatabaseCluster' || ctor === 'ServerlessCluster') {
      const instances =
        numberValue(get('instances')) ??
        (get('writer') ? 1 + arrayLength(get('readers')) : ctor === 'DatabaseCluster' ? 2 : 1);
      facts.databases.push({
        ...on,
        kind: 'rds-cluster',
        multiAz: ctor === 'ServerlessCluster' || instances >= 2,
        instances,
        backupRetentionDays: durationDays(propValue(get('backup'), 'retention')) ?? null,
        deletionProtection: bool(get('deletionProtection')),
      });
    } else if (ctor === 'Table' || ctor === 'TableV2') {
      const pitr =
        bool(get('pointInTimeRecovery')) ||
        bool(propValue(get('pointInTimeRecoverySpecification'), 'pointInTimeRecoveryEnabled'));
      const billing = get('billing');
      // Table defaults to provisioned capacity, TableV2 to on-demand
      const provisioned =
        ctor === 'Table'
          ? memberName(get('billingMode')) !== 'PAY_PER_REQUEST'
          : billing?.type === 'CallExpression' && memberName(billing.callee) === 'provisioned';
      facts.tables.push({
        ...on,
        pitr,
        ttl: get('timeToLiveAttribute') !== undefined,
        billingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
        replicas: arrayLength(get('replicas')) + arrayLength(get('replicationRegions')),
      });
    } else if (ctor === 'Bucket') {
      facts.buckets.push({
        ...on,
        versioning: bool(get('versioned')),
        replication: get('replicationRules') !== undefined,
        website: get('websiteIndexDocument') !== undefined,
        disposable: bool(get('autoDeleteObjects')),
      });
    } else if (ctor === 'AutoScalingGroup') {
      const min = numberValue(get('minCapacity')) ?? 1;
      const max = numberValue(get('maxCapacity')) ?? Math.max(min, 1);
      facts.asgs.push({
        ...on,
        min,
        max,
        desired: numberValue(get('desiredCapacity')) ?? null,
        fixedSize: min === max,
        subnets: 0,
        scalingPolicies: 0,
      });
    } else if (SERVICE_CTORS.has(ctor)) {
      const breaker = get('circuitBreaker');
      facts.ecsServices.push({
        ...on,
        desiredCount: numberValue(get('desiredCount')) ?? null,
        circuitBreaker: breaker !== undefined,
        rollback: bool(propValue(breaker, 'rollback')),
        autoScaling: false,
      });
    } else if (ctor === 'Vpc') {
      facts.network.vpcs.push({
        ...on,
        natGateways: numberValue(get('natGateways')) ?? null,
        maxAzs: numberValue(get('maxAzs')) ?? null,
      });
    } else if (ctor === 'Alarm' || ctor === 'CompositeAlarm') facts.alarms.push(on);
    else if (ctor === 'BackupPlan') facts.backupPlans.push({ ...on, retentionDays: null, crossRegionCopy: false });
    else if (ctor === 'CfnExperimentTemplate') facts.fisTemplates.push({ ...on, actions: [] });
    else if (ctor === 'CfnHealthCheck') facts.healthChecks.push({ ...on, kind: 'route53' });
    else if (ctor === 'LambdaDeploymentGroup')
      facts.deploymentGroups.push({ ...on, autoRollback: arrayLength(get('alarms')) > 0 });
  });
  // a CodeDeploy LambdaDeploymentGroup shifts traffic to an alias of the stack's functions; which
  // function an alias points at is rarely literal, so the stack's group stands for its functions
  const groups = facts.deploymentGroups.filter((g) => g.file === file.path);
  for (const fn of model.functions) {
    const p = fnProps.get(fn.id);
    const timeout = durationSeconds(propValue(p, 'timeout'));
    facts.functions.push(
      settle(fn, timeout, DEFAULT_TIMEOUT.cdk, {
        memory: numberValue(propValue(p, 'memorySize')) ?? null,
        deployment: groups.length ? 'LambdaDeploymentGroup' : null,
        rollbackAlarms: groups.some((g) => g.autoRollback) ? 1 : 0,
      }),
    );
  }
}
