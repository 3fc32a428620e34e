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
}

export interface IacQueue extends IacWhere {
  id: string;
  /** QueueName, when literal */
  name?: string;
  redrive: { maxReceiveCount: number | null } | null;
}

export interface IacFunction extends IacWhere {
  id: string;
  reservedConcurrency: boolean;
  triggers: LambdaTrigger[];
  /** async triggers (eventbridge, sns, s3, schedule) */
  asyncTriggers: LambdaTrigger[];
  /** an on-failure destination or a function DLQ is configured */
  onFailure: boolean;
}

/** An SQS → Lambda event source (serverless sqs event, SAM SQS event, CFN EventSourceMapping, CDK SqsEventSource). */
export interface IacSqsSource extends IacWhere {
  functionId: string;
  maxConcurrency: boolean;
  /** the event value is a bare ARN scalar (serverless `- sqs: arn`), so a fix must expand it */
  shorthand?: boolean;
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
}

export interface IacModel {
  file: string;
  kind: 'serverless' | 'sam' | 'cloudformation' | 'cdk';
  queues: IacQueue[];
  functions: IacFunction[];
  sqsSources: IacSqsSource[];
  buses: IacBus[];
  archives: IacArchive[];
  alarms: IacAlarm[];
  rules: IacRuleGap[];
  /** logical ids / names used as dead-letter targets (RedrivePolicy, DeadLetterConfig, OnFailure) */
  dlqRefs: string[];
  handlers: LambdaHandler[];
}

export function emptyModel(file: string, kind: IacModel['kind']): IacModel {
  return { file, kind, queues: [], functions: [], sqsSources: [], buses: [], archives: [], alarms: [], rules: [], dlqRefs: [], handlers: [] };
}

export const ASYNC_TRIGGERS: readonly LambdaTrigger[] = ['eventbridge', 'sns', 's3', 'schedule'];
