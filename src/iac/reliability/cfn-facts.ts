import type { Node } from 'yaml';
import type { IacFormat } from '../iac-model';
import { referencedIds } from '../intrinsics';
import type { YamlReader } from '../yaml-nodes';
import type { FactAt, ReliabilityFacts } from './facts-types';

/** One entry of a CloudFormation Resources map. */
export interface CfnResource {
  id: string;
  type: string;
  props: Node | undefined;
  line: number;
  column: number;
}

/** An API Gateway method/integration wired to functions, before the Lambda timeouts are known. */
export interface CfnIntegration {
  file: string;
  line: number;
  functionIds: string[];
  /** seconds, null = the API default */
  timeout: number | null;
  /** the default when none is written: 29 s for REST, 30 s for HTTP APIs */
  defaultTimeout: number;
}

export function cfnResources(r: YamlReader, resourcesNode: Node | undefined): CfnResource[] {
  return r.entries(resourcesNode).map(({ key, value, pair }) => {
    const at = r.keySpan(pair);
    return { id: key, type: r.str(r.get(value, 'Type')) ?? '', props: r.get(value, 'Properties'), ...at };
  });
}

/**
 * Reads the reliability settings of the data stores, compute, network and operations resources
 * of one Resources map. Lambda functions are read elsewhere (they need provider/Globals defaults).
 */
export function readCfnFacts(
  r: YamlReader,
  file: string,
  format: IacFormat,
  resources: CfnResource[],
  facts: ReliabilityFacts,
): CfnIntegration[] {
  const on = (res: CfnResource): FactAt => ({ file, line: res.line, column: res.column, id: res.id, format });
  const bool = (n: unknown) => r.bool(n) === true;
  const refersTo = (n: unknown, id: string) => referencedIds(r, n).includes(id);
  const integrations: CfnIntegration[] = [];
  // the buckets pipelines keep their artifacts in (ArtifactStore, or one per region in ArtifactStores)
  const artifactStores = new Set(
    resources
      .filter((res) => res.type === 'AWS::CodePipeline::Pipeline')
      .flatMap((res) => [
        ...referencedIds(r, r.get(res.props, 'ArtifactStore', 'Location')),
        ...r
          .items(r.get(res.props, 'ArtifactStores'))
          .flatMap((s) => referencedIds(r, r.get(s, 'ArtifactStore', 'Location'))),
      ]),
  );

  for (const res of resources) {
    const p = res.props;
    switch (res.type) {
      case 'AWS::RDS::DBInstance': {
        const cluster = referencedIds(r, r.get(p, 'DBClusterIdentifier'))[0] ?? r.str(r.get(p, 'DBClusterIdentifier'));
        facts.databases.push({
          ...on(res),
          kind: 'rds-instance',
          engine: r.str(r.get(p, 'Engine')),
          multiAz: bool(r.get(p, 'MultiAZ')),
          backupRetentionDays: r.num(r.get(p, 'BackupRetentionPeriod')) ?? null,
          deletionProtection: bool(r.get(p, 'DeletionProtection')),
          ...(cluster ? { clusterId: cluster } : {}),
        });
        break;
      }
      case 'AWS::RDS::DBCluster': {
        const instances = resources.filter(
          (x) => x.type === 'AWS::RDS::DBInstance' && refersTo(r.get(x.props, 'DBClusterIdentifier'), res.id),
        ).length;
        // a Multi-AZ DB cluster (DBClusterInstanceClass) and Aurora Serverless v1 fail over by design
        const byDesign =
          r.get(p, 'DBClusterInstanceClass') !== undefined || r.str(r.get(p, 'EngineMode')) === 'serverless';
        facts.databases.push({
          ...on(res),
          kind: 'rds-cluster',
          engine: r.str(r.get(p, 'Engine')),
          multiAz: byDesign || instances >= 2,
          instances,
          backupRetentionDays: r.num(r.get(p, 'BackupRetentionPeriod')) ?? null,
          deletionProtection: bool(r.get(p, 'DeletionProtection')),
        });
        break;
      }
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable': {
        const replicas = r.items(r.get(p, 'Replicas'));
        const pitr =
          bool(r.get(p, 'PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled')) ||
          (replicas.length > 0 &&
            replicas.every((x) => bool(r.get(x, 'PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled'))));
        facts.tables.push({
          ...on(res),
          pitr,
          ttl: bool(r.get(p, 'TimeToLiveSpecification', 'Enabled')),
          billingMode: r.str(r.get(p, 'BillingMode')) === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED',
          replicas: replicas.length,
        });
        break;
      }
      case 'AWS::Serverless::SimpleTable':
        facts.tables.push({
          ...on(res),
          pitr: false,
          ttl: false,
          billingMode: r.get(p, 'ProvisionedThroughput') ? 'PROVISIONED' : 'PAY_PER_REQUEST',
          replicas: 0,
        });
        break;
      case 'AWS::S3::Bucket':
        facts.buckets.push({
          ...on(res),
          versioning: r.str(r.get(p, 'VersioningConfiguration', 'Status')) === 'Enabled',
          replication: r.get(p, 'ReplicationConfiguration') !== undefined,
          website: r.get(p, 'WebsiteConfiguration') !== undefined,
          disposable: artifactStores.has(res.id) || expiresEverything(r, r.get(p, 'LifecycleConfiguration')),
        });
        break;
      case 'AWS::ElastiCache::ReplicationGroup': {
        const clusters = r.num(r.get(p, 'NumCacheClusters'));
        const perGroup = r.num(r.get(p, 'ReplicasPerNodeGroup'));
        const members = r.items(r.get(p, 'NodeGroupConfiguration')).map((g) => r.num(r.get(g, 'ReplicaCount')) ?? 0);
        const replicas =
          perGroup ?? (clusters !== undefined ? clusters - 1 : members.length ? Math.min(...members) : null);
        facts.caches.push({
          ...on(res),
          kind: 'replication-group',
          engine: r.str(r.get(p, 'Engine')),
          replicas,
          automaticFailover: bool(r.get(p, 'AutomaticFailoverEnabled')),
          multiAz: bool(r.get(p, 'MultiAZEnabled')),
        });
        break;
      }
      case 'AWS::ElastiCache::CacheCluster':
        facts.caches.push({
          ...on(res),
          kind: 'cache-cluster',
          engine: r.str(r.get(p, 'Engine')),
          replicas: 0,
          automaticFailover: false,
          multiAz: r.str(r.get(p, 'AZMode')) === 'cross-az',
        });
        break;
      case 'AWS::AutoScaling::AutoScalingGroup': {
        const min = r.num(r.get(p, 'MinSize')) ?? null;
        const max = r.num(r.get(p, 'MaxSize')) ?? null;
        facts.asgs.push({
          ...on(res),
          min,
          max,
          desired: r.num(r.get(p, 'DesiredCapacity')) ?? null,
          fixedSize: min !== null && min === max,
          subnets: r.items(r.get(p, 'VPCZoneIdentifier')).length || r.items(r.get(p, 'AvailabilityZones')).length,
          scalingPolicies: resources.filter(
            (x) =>
              x.type === 'AWS::AutoScaling::ScalingPolicy' && refersTo(r.get(x.props, 'AutoScalingGroupName'), res.id),
          ).length,
        });
        break;
      }
      case 'AWS::ECS::Service': {
        const breaker = r.get(p, 'DeploymentConfiguration', 'DeploymentCircuitBreaker');
        facts.ecsServices.push({
          ...on(res),
          desiredCount: r.num(r.get(p, 'DesiredCount')) ?? null,
          circuitBreaker: bool(r.get(breaker, 'Enable')),
          rollback: bool(r.get(breaker, 'Rollback')),
          autoScaling: resources.some(
            (x) =>
              x.type === 'AWS::ApplicationAutoScaling::ScalableTarget' &&
              r.str(r.get(x.props, 'ScalableDimension')) === 'ecs:service:DesiredCount' &&
              refersTo(r.get(x.props, 'ResourceId'), res.id),
          ),
        });
        break;
      }
      case 'AWS::ECS::TaskDefinition': {
        const containers = r.items(r.get(p, 'ContainerDefinitions'));
        const withCheck = containers.filter((c) => r.get(c, 'HealthCheck') !== undefined);
        facts.taskDefinitions.push({
          ...on(res),
          cpu: r.get(p, 'Cpu') !== undefined || containers.some((c) => r.get(c, 'Cpu') !== undefined),
          memory:
            r.get(p, 'Memory') !== undefined ||
            containers.some((c) => r.get(c, 'Memory') !== undefined || r.get(c, 'MemoryReservation') !== undefined),
          containerHealthCheck: withCheck.length > 0,
          stopTimeout: containers.map((c) => r.num(r.get(c, 'StopTimeout'))).find((n) => n !== undefined) ?? null,
        });
        if (withCheck.length) facts.healthChecks.push({ ...on(res), kind: 'container' });
        break;
      }
      case 'AWS::EC2::NatGateway':
        facts.network.natGateways.push(on(res));
        break;
      case 'AWS::EC2::Subnet':
        facts.network.subnets.push({
          ...on(res),
          az: azKey(r, r.get(p, 'AvailabilityZone')),
          public: bool(r.get(p, 'MapPublicIpOnLaunch')),
        });
        break;
      case 'AWS::Route53::HealthCheck':
        facts.healthChecks.push({
          ...on(res),
          kind: 'route53',
          ...optPath(r.str(r.get(p, 'HealthCheckConfig', 'ResourcePath'))),
        });
        break;
      case 'AWS::ElasticLoadBalancingV2::TargetGroup':
        if (r.bool(r.get(p, 'HealthCheckEnabled')) !== false) {
          facts.healthChecks.push({ ...on(res), kind: 'target-group', ...optPath(r.str(r.get(p, 'HealthCheckPath'))) });
        }
        break;
      case 'AWS::CloudWatch::Alarm':
      case 'AWS::CloudWatch::CompositeAlarm':
        facts.alarms.push(on(res));
        break;
      case 'AWS::ApiGateway::UsagePlan':
        if (r.get(p, 'Throttle')) facts.throttling.push(on(res));
        break;
      case 'AWS::ApiGateway::Stage':
      case 'AWS::ApiGatewayV2::Stage': {
        const settings = [...r.items(r.get(p, 'MethodSettings')), r.get(p, 'DefaultRouteSettings')];
        if (settings.some((s) => r.get(s, 'ThrottlingRateLimit') !== undefined)) facts.throttling.push(on(res));
        break;
      }
      case 'AWS::AutoScaling::ScalingPolicy':
      case 'AWS::ApplicationAutoScaling::ScalingPolicy':
        facts.scalingPolicies.push(on(res));
        break;
      case 'AWS::Backup::BackupPlan': {
        const rules = r.items(r.get(p, 'BackupPlan', 'BackupPlanRule'));
        const days = rules
          .map((x) => r.num(r.get(x, 'Lifecycle', 'DeleteAfterDays')))
          .filter((n): n is number => n !== undefined);
        facts.backupPlans.push({
          ...on(res),
          retentionDays: days.length ? Math.max(...days) : null,
          crossRegionCopy: rules.some((x) => r.items(r.get(x, 'CopyActions')).length > 0),
        });
        break;
      }
      case 'AWS::Backup::RestoreTestingPlan':
        facts.restoreTestingPlans.push(on(res));
        break;
      case 'AWS::FIS::ExperimentTemplate':
        facts.fisTemplates.push({
          ...on(res),
          actions: r.entries(r.get(p, 'Actions')).map((a) => r.str(r.get(a.value, 'ActionId')) ?? a.key),
        });
        break;
      case 'AWS::CodeDeploy::DeploymentGroup':
        facts.deploymentGroups.push({
          ...on(res),
          autoRollback: bool(r.get(p, 'AutoRollbackConfiguration', 'Enabled')),
        });
        break;
      case 'AWS::ApiGateway::Method': {
        const integration = r.get(p, 'Integration');
        const fns = referencedIds(r, r.get(integration, 'Uri'));
        if (fns.length)
          integrations.push({
            file,
            line: res.line,
            functionIds: fns,
            timeout: ms(r.num(r.get(integration, 'TimeoutInMillis'))),
            defaultTimeout: 29,
          });
        break;
      }
      case 'AWS::ApiGatewayV2::Integration': {
        const fns = referencedIds(r, r.get(p, 'IntegrationUri'));
        if (fns.length)
          integrations.push({
            file,
            line: res.line,
            functionIds: fns,
            timeout: ms(r.num(r.get(p, 'TimeoutInMillis'))),
            defaultTimeout: 30,
          });
        break;
      }
    }
  }
  return integrations;
}

function ms(n: number | undefined): number | null {
  return n === undefined ? null : n / 1000;
}

function optPath(path: string | undefined): { path?: string } {
  return path ? { path } : {};
}

/** `us-east-1a`, or `!Select [1, !GetAZs '']` → `index 1`: enough to count distinct AZs */
function azKey(r: YamlReader, node: Node | undefined): string | null {
  const literal = r.str(node);
  if (literal) return literal;
  const n = r.deref(node);
  const args = n?.tag === '!Select' ? r.items(n) : r.items(r.get(n, 'Fn::Select'));
  const index = r.num(args[0]);
  return index === undefined ? null : `index ${index}`;
}

/** Objects kept at most this long are scratch data, not data of record. */
const SCRATCH_DAYS = 90;

/** A lifecycle rule, enabled and for the whole bucket (no prefix or filter), that expires objects within SCRATCH_DAYS. */
function expiresEverything(r: YamlReader, lifecycle: Node | undefined): boolean {
  return r.items(r.get(lifecycle, 'Rules')).some((rule) => {
    const days = r.num(r.get(rule, 'ExpirationInDays'));
    return (
      r.str(r.get(rule, 'Status')) === 'Enabled' &&
      r.get(rule, 'Prefix') === undefined &&
      r.get(rule, 'Filter') === undefined &&
      days !== undefined &&
      days <= SCRATCH_DAYS
    );
  });
}
