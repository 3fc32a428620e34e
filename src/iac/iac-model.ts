import type { LambdaHandler, LambdaTrigger } from '../discovery/discovery-types';

/** The formats the checks understand; every model entry says which one it came from. */
export type IacFormat = 'serverless' | 'sam' | 'cloudformation' | 'cdk';

export interface IacSpan {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * Where a fix finds the thing: for YAML/JSON the key path from the document root to the
 * resource (or function, or event item index as a string); for CDK the construct id.
 */
export interface IacWhere {
  file: string;
  format: IacFormat;
  span: IacSpan;
  path: string[];
  /** CDK: made by this helper of the file, at the call reported here (one helper serves every call) */
  helper?: string;
  /** the configuration file that declares it, when `file` is another module (a serverless.ts function written in its own file) */
  configFile?: string;
}

/** SQS requires a FIFO queue's name to end in `.fifo` (and only a FIFO queue's). */
export const FIFO_QUEUE_NAME = /\.fifo$/i;

export interface IacQueue extends IacWhere {
  id: string;
  /** QueueName, when literal (serverless variables included) */
  name?: string;
  /** QueueName as an Fn::Sub template (`${AWS::StackName}-dlq`) */
  nameSub?: string;
  redrive: { maxReceiveCount: number | null } | null;
  /** another queue's dead-letter target (set once every model of the scan is read) */
  isDlq?: boolean;
  /** a FIFO queue: `FifoQueue: true` (CDK `fifo: true`) or a name ending `.fifo` */
  fifo?: boolean;
}

/** A function's settings the reliability review and plan judge, after provider/Globals defaults. */
export interface FunctionSettings {
  /** seconds */
  timeout: number;
  /** true when no timeout was written anywhere and the platform default applies */
  timeoutDefaulted: boolean;
  /** MB; null = platform default */
  memory: number | null;
  /** SAM DeploymentPreference Type or the serverless canary plugin's type, e.g. Canary10Percent5Minutes, AllAtOnce; null = none */
  deployment: string | null;
  /** alarms that roll the deployment back */
  rollbackAlarms: number;
}

/** Where a function's code comes from: what ships, and whether a build step bundles it. */
export interface FunctionCode {
  /** the directory shipped as the function's code, posix relative to the root ('' = the root); null when not local (S3, image, inline) */
  dir: string | null;
  /** bundled or compiled by a build step (esbuild, webpack, tsc): its imports resolve from the project, not only from `dir` */
  bundled: boolean;
  /** how the template declares it, for messages (`CodeUri: src/`, `Code.fromAsset('lambda/x')`) */
  declared: string;
  /** Serverless Framework `package.patterns` (service, then function), in order */
  patterns?: string[];
}

export interface IacFunction extends IacWhere {
  id: string;
  reservedConcurrency: boolean;
  triggers: LambdaTrigger[];
  /** async triggers (eventbridge, sns, s3, schedule) */
  asyncTriggers: LambdaTrigger[];
  /** an on-failure destination or a function DLQ is configured */
  onFailure: boolean;
  /** answers users synchronously: API Gateway, ALB, function URL, authorizer or Cognito trigger */
  userFacing?: boolean;
  /** invoked asynchronously only by EventBridge rule targets without a DLQ: the rule's finding covers it */
  reportedAtRule?: boolean;
  /** invoked on a schedule only to keep it warm (a warm-up ping, not a job): a lost ping needs no on-failure destination */
  warmed?: boolean;
  /** the handler of a CloudFormation custom resource (or its provider framework) */
  customResource?: boolean;
  /** the runtime as written (`nodejs18.x`), after provider/Globals defaults; undefined when not written or computed */
  runtime?: string;
  code?: FunctionCode;
  /** read with the template's defaults (absent only for a function the settings reader does not reach) */
  settings?: FunctionSettings;
}

/** A function whose settings were read: what the reliability facts list. */
export type SettledFunction = IacFunction & { settings: FunctionSettings };

/** An SQS → Lambda event source (serverless sqs event, SAM SQS event, CFN EventSourceMapping, CDK SqsEventSource). */
export interface IacSqsSource extends IacWhere {
  functionId: string;
  maxConcurrency: boolean;
  /** logical ids and names of the queue it reads */
  queueRefs: string[];
  /** the event value is a bare ARN scalar (serverless `- sqs: arn`), so a fix must expand it */
  shorthand?: boolean;
}

/**
 * A Kinesis or DynamoDB stream → Lambda event source. A failing batch is retried until it
 * succeeds or the records expire (24 h to 1 year) unless the source limits the retries, bisects
 * the batch or sends failed batches to an on-failure destination: one poison record blocks its
 * shard for that long.
 */
export interface IacStreamSource extends IacWhere {
  functionId: string;
  stream: 'kinesis' | 'dynamodb-stream';
  /** MaximumRetryAttempts / maximumRetryAttempts / retryAttempts set to a limit (not -1) */
  retryLimit: boolean;
  /** BisectBatchOnFunctionError / bisectBatchOnFunctionError / bisectBatchOnError true */
  bisect: boolean;
  /** an on-failure destination (DestinationConfig.OnFailure, destinations.onFailure, onFailure) */
  onFailure: boolean;
}

/**
 * A serverless-lift `queue` construct: lift creates the queue, its dead-letter queue and the
 * worker's event source by itself; the DLQ is alarmed only when the construct sets `alarm:`
 * (an email address), and `serverless <name>:failed:retry` redrives it.
 */
export interface IacLiftQueue extends IacWhere {
  id: string;
  alarm: boolean;
}

export interface IacBus extends IacWhere {
  id: string;
  name?: string;
}

export interface IacArchive {
  file: string;
  id: string;
  /** logical ids and names the archive's SourceArn refers to */
  sourceRefs: string[];
  retentionDays: number | null;
  span: IacSpan;
  path: string[];
  format: IacFormat;
}

export interface IacAlarm {
  file: string;
  /** logical ids and names anywhere in the alarm (dimensions, metric) */
  refs: string[];
  metrics: string[];
}

/** An EventBridge rule with targets that have no DeadLetterConfig. */
export interface IacRuleGap extends IacWhere {
  id: string;
  targetsWithoutDlq: number;
  /** the functions among those targets */
  targetFunctions?: string[];
}

/** A call that may hand queues to a helper (of this file or an imported one), with the construct ids of its arguments. */
export interface IacHelperCall {
  name: string;
  /** the file the helper is defined in (root-relative), this file for a local one */
  from: string;
  args: Array<string | null>;
}

export interface IacModel {
  file: string;
  kind: 'serverless' | 'sam' | 'cloudformation' | 'cdk';
  queues: IacQueue[];
  functions: IacFunction[];
  sqsSources: IacSqsSource[];
  streamSources: IacStreamSource[];
  liftQueues: IacLiftQueue[];
  buses: IacBus[];
  archives: IacArchive[];
  alarms: IacAlarm[];
  /** CDK: functions of this file that alarm on a queue passed to them, and the calls that may use such functions */
  depthAlarmHelpers?: Array<{ name: string; params: number[] }>;
  helperCalls?: IacHelperCall[];
  rules: IacRuleGap[];
  /** logical ids / names used as dead-letter targets (RedrivePolicy, DeadLetterConfig, OnFailure) */
  dlqRefs: string[];
  /**
   * the subset of dlqRefs that are stream event sources' on-failure destinations: they receive
   * pointers to the failed records (shard, sequence numbers), not the messages, so a queue
   * redrive does not apply to them
   */
  streamFailureRefs: string[];
  handlers: LambdaHandler[];
}

export function emptyModel(file: string, kind: IacModel['kind']): IacModel {
  return {
    file,
    kind,
    queues: [],
    functions: [],
    sqsSources: [],
    streamSources: [],
    liftQueues: [],
    buses: [],
    archives: [],
    alarms: [],
    rules: [],
    dlqRefs: [],
    streamFailureRefs: [],
    handlers: [],
  };
}

export const ASYNC_TRIGGERS: readonly LambdaTrigger[] = ['eventbridge', 'sns', 's3', 'schedule'];
