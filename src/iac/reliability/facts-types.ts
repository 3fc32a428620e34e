import type { IacFormat, IacQueue, SettledFunction } from '../iac-model';

/**
 * What the IaC says about reliability: each entry is one resource with the settings the
 * reliability review and plan judge, and the file:line it is declared at. `null` means the
 * template leaves the setting to the service default (stated in the field's comment).
 */

export interface FactAt {
  /** posix path relative to the root */
  file: string;
  /** 1-based line of the resource (or function) key */
  line: number;
  /** 1-based column of that key, when read */
  column?: number;
  /** logical id, function name or CDK construct id */
  id: string;
  format: IacFormat;
}

export interface DatabaseFact extends FactAt {
  kind: 'rds-instance' | 'rds-cluster';
  engine?: string;
  /** instance: MultiAZ; cluster: two or more instances in it (Aurora), or MultiAZ-style settings */
  multiAz: boolean;
  /** days; null = not set (CloudFormation default 1 day) */
  backupRetentionDays: number | null;
  deletionProtection: boolean;
  /** an instance that belongs to a cluster is judged through the cluster */
  clusterId?: string;
  /** cluster only: instances declared in it */
  instances?: number;
}

export interface TableFact extends FactAt {
  pitr: boolean;
  ttl: boolean;
  /** PROVISIONED is the CloudFormation default */
  billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  /** global table replicas (regions) */
  replicas: number;
}

export interface BucketFact extends FactAt {
  versioning: boolean;
  replication: boolean;
  /** hosts a static website (WebsiteConfiguration / websiteIndexDocument): its objects come from a build */
  website: boolean;
  /**
   * its objects are disposable as the template declares them: a CodePipeline artifact store (the
   * pipeline re-creates them), a lifecycle rule that expires every object within 90 days, or CDK
   * `autoDeleteObjects` (the stack deletes them with the bucket)
   */
  disposable: boolean;
}

export interface CacheFact extends FactAt {
  kind: 'replication-group' | 'cache-cluster';
  engine?: string;
  /** read replicas (nodes beyond the primary); null = unknown */
  replicas: number | null;
  automaticFailover: boolean;
  multiAz: boolean;
}

export interface AsgFact extends FactAt {
  min: number | null;
  max: number | null;
  desired: number | null;
  /** MinSize == MaxSize: no headroom to scale */
  fixedSize: boolean;
  /** subnets listed in VPCZoneIdentifier (or AZs in AvailabilityZones) */
  subnets: number;
  scalingPolicies: number;
}

export interface EcsServiceFact extends FactAt {
  /** null = not set (1) */
  desiredCount: number | null;
  circuitBreaker: boolean;
  rollback: boolean;
  autoScaling: boolean;
}

export interface TaskDefinitionFact extends FactAt {
  cpu: boolean;
  memory: boolean;
  containerHealthCheck: boolean;
  stopTimeout: number | null;
}

/** An API Gateway → Lambda integration and the two timeouts that race. */
export interface ApiIntegrationFact {
  file: string;
  line: number;
  functionId: string;
  /** seconds; 29 when not set */
  apiTimeout: number;
  apiTimeoutDefaulted: boolean;
  functionTimeout: number;
  /** Lambda timeout ≥ API timeout: a slow invocation always times out to the caller first */
  lambdaOutlivesApi: boolean;
}

export interface NetworkFacts {
  natGateways: FactAt[];
  subnets: Array<FactAt & { az: string | null; public: boolean }>;
  /** distinct AZs the subnets name (literal AZ or GetAZs index); 0 = unknown */
  azs: number;
  /** CDK Vpc natGateways/maxAzs when written */
  vpcs: Array<FactAt & { natGateways: number | null; maxAzs: number | null }>;
}

export interface HealthCheckFact extends FactAt {
  kind: 'route53' | 'target-group' | 'container' | 'http-route';
  /** the probed path, when written */
  path?: string;
}

export interface BackupPlanFact extends FactAt {
  /** retention of the longest rule, days; null = not set */
  retentionDays: number | null;
  /** a rule copies recovery points elsewhere (cross-region/account) */
  crossRegionCopy: boolean;
}

export interface ReliabilityFacts {
  /** IaC files read */
  files: string[];
  databases: DatabaseFact[];
  tables: TableFact[];
  buckets: BucketFact[];
  caches: CacheFact[];
  asgs: AsgFact[];
  ecsServices: EcsServiceFact[];
  taskDefinitions: TaskDefinitionFact[];
  /** the IaC model's functions, with their settings read */
  functions: SettledFunction[];
  apiIntegrations: ApiIntegrationFact[];
  /** the IaC model's queues, `isDlq` set */
  queues: IacQueue[];
  network: NetworkFacts;
  healthChecks: HealthCheckFact[];
  alarms: FactAt[];
  /** API Gateway throttling / usage plans */
  throttling: FactAt[];
  scalingPolicies: FactAt[];
  backupPlans: BackupPlanFact[];
  restoreTestingPlans: FactAt[];
  fisTemplates: Array<FactAt & { actions: string[] }>;
  /** CodeDeploy deployment groups with alarm-based automatic rollback */
  deploymentGroups: Array<FactAt & { autoRollback: boolean }>;
}

export function emptyFacts(): ReliabilityFacts {
  return {
    files: [],
    databases: [],
    tables: [],
    buckets: [],
    caches: [],
    asgs: [],
    ecsServices: [],
    taskDefinitions: [],
    functions: [],
    apiIntegrations: [],
    queues: [],
    network: { natGateways: [], subnets: [], azs: 0, vpcs: [] },
    healthChecks: [],
    alarms: [],
    throttling: [],
    scalingPolicies: [],
    backupPlans: [],
    restoreTestingPlans: [],
    fisTemplates: [],
    deploymentGroups: [],
  };
}

/** a fact or a model entry (which carries its line in its span) */
export type Located = { file: string; line: number } | { file: string; span: { line: number } };

export function lineOf(f: Located): number {
  return 'line' in f ? f.line : f.span.line;
}

/** `file:line`, the evidence format of every report */
export function at(f: Located): string {
  return `${f.file}:${lineOf(f)}`;
}
