import { MIN_RETENTION_DAYS } from './checks/event-replay';
import { ALARM_TOPIC, alarmTopicInput, noFixReason, type FixOutcome } from './fix-yaml';
import type { IacFinding } from '../types';

type Json = Record<string, unknown>;
type Format = 'serverless' | 'sam' | 'cloudformation';

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function at(root: Json, path: string[]): unknown {
  let cur: unknown = root;
  for (const seg of path) cur = Array.isArray(cur) ? cur[Number(seg)] : isObj(cur) ? cur[seg] : undefined;
  return cur;
}

function ensure(root: Json, path: string[]): Json {
  let cur: Json = root;
  for (const seg of path) {
    const next = cur[seg];
    if (next === undefined) cur[seg] = {};
    else if (!isObj(next)) throw new Error(`${seg} is not an object`);
    cur = cur[seg] as Json;
  }
  return cur;
}

/** Inserts `entries` right after `key`, keeping the other keys' order. */
function insertAfter(obj: Json, key: string, entries: Json): void {
  const items = Object.entries(obj);
  for (const k of Object.keys(obj)) delete obj[k];
  for (const [k, v] of items) {
    obj[k] = v;
    if (k === key) Object.assign(obj, entries);
  }
}

const getAtt = (id: string, attr: string) => ({ 'Fn::GetAtt': [id, attr] });

/** the topic value: a serverless param with an empty fallback, or the template parameter */
function topic(format: Format): unknown {
  return format === 'serverless' ? `\${param:${ALARM_TOPIC.serverlessParam}, ''}` : { Ref: ALARM_TOPIC.parameter };
}

function alarm(dlqId: string, format: Format): Json {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: `Messages are waiting in the dead-letter queue ${dlqId}`,
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(dlqId, 'QueueName') }],
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: { 'Fn::If': [ALARM_TOPIC.condition, [topic(format)], { Ref: 'AWS::NoValue' }] },
    },
  };
}

/** a number the check put in the finding's data */
function dataNumber(f: IacFinding, key: string): number {
  const v = f.data?.[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`the finding carries no ${key}`);
  return v;
}

/**
 * JSON templates are usually generated, so the file is rewritten with its own indentation
 * rather than spliced; key order is kept and new keys land beside the resource they serve.
 */
export function fixJson(
  text: string,
  format: Format,
  findings: IacFinding[],
  file = findings[0]?.file ?? 'template.json',
): FixOutcome {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch (err) {
    return {
      after: text,
      fixed: [],
      skipped: findings.map((finding) => ({ finding, reason: `the file does not parse: ${(err as Error).message}` })),
    };
  }
  const fixed: IacFinding[] = [];
  const skipped: FixOutcome['skipped'] = [];
  const taken = new Set(Object.keys(isObj(root.Resources) ? root.Resources : {}));
  const unique = (base: string) => {
    let id = base;
    for (let i = 2; taken.has(id); i++) id = `${base}${i}`;
    taken.add(id);
    return id;
  };
  const deployInputs: string[] = [];
  let reservedAdded = 0;
  // no new required input: a parameter with an empty default, and AlarmActions only when it is given
  const needTopic = () => {
    if (deployInputs.length) return;
    if (format !== 'serverless')
      ensure(root, ['Parameters'])[ALARM_TOPIC.parameter] ??= {
        Type: 'String',
        Default: '',
        Description: ALARM_TOPIC.description,
      };
    ensure(root, format === 'serverless' ? ['resources', 'Conditions'] : ['Conditions'])[ALARM_TOPIC.condition] ??= {
      'Fn::Not': [{ 'Fn::Equals': [topic(format), ''] }],
    };
    deployInputs.push(alarmTopicInput(file, format));
  };
  for (const f of findings) {
    const path = Array.isArray(f.data?.path) ? (f.data.path as unknown[]).map(String) : [];
    const id = path[path.length - 1] ?? '';
    const parent = at(root, path.slice(0, -1));
    try {
      switch (f.data?.fix) {
        case 'add-dlq': {
          if (!isObj(parent)) throw new Error('resource not found');
          const dlqId = unique(`${id}DLQ`);
          ensure(root, [...path, 'Properties']).RedrivePolicy = {
            deadLetterTargetArn: getAtt(dlqId, 'Arn'),
            maxReceiveCount: dataNumber(f, 'maxReceiveCount'),
          };
          insertAfter(parent, id, {
            [dlqId]: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } },
            [unique(`${dlqId}DepthAlarm`)]: alarm(dlqId, format),
          });
          needTopic();
          break;
        }
        case 'lower-max-receive':
          ensure(root, [...path, 'Properties', 'RedrivePolicy']).maxReceiveCount = dataNumber(f, 'maxReceiveCount');
          break;
        case 'add-alarm':
          if (!isObj(parent)) throw new Error('resource not found');
          insertAfter(parent, id, { [unique(`${id}DepthAlarm`)]: alarm(id, format) });
          needTopic();
          break;
        case 'add-archive':
          if (!isObj(parent) || path[0] === 'functions') throw new Error('only template buses are fixed in JSON');
          insertAfter(parent, id, {
            [unique(`${id}Archive`)]: {
              Type: 'AWS::Events::Archive',
              Properties: { SourceArn: getAtt(id, 'Arn'), RetentionDays: MIN_RETENTION_DAYS },
            },
          });
          break;
        case 'raise-retention':
          ensure(root, [...path, 'Properties']).RetentionDays = MIN_RETENTION_DAYS;
          break;
        case 'add-reserved': {
          const n = dataNumber(f, 'reserved');
          if (path[0] === 'functions') ensure(root, path).reservedConcurrency = n;
          else ensure(root, [...path, 'Properties']).ReservedConcurrentExecutions = n;
          reservedAdded += n;
          break;
        }
        case 'add-max-concurrency':
          if (path[0] === 'functions') {
            const item = at(root, path.slice(0, -1));
            if (!isObj(item)) throw new Error('event not found');
            if (typeof item.sqs === 'string') item.sqs = { arn: item.sqs };
            ensure(root, path).maximumConcurrency = dataNumber(f, 'maximumConcurrency');
          } else
            ensure(root, [...path, 'Properties', 'ScalingConfig']).MaximumConcurrency = dataNumber(
              f,
              'maximumConcurrency',
            );
          break;
        default:
          skipped.push({
            finding: f,
            reason:
              f.data?.fix === 'redrive-workflow'
                ? 'fixed by the generated dlq-redrive workflow of the service'
                : noFixReason(f, 'no automatic fix'),
          });
          continue;
      }
      fixed.push(f);
    } catch (err) {
      skipped.push({ finding: f, reason: (err as Error).message });
    }
  }
  if (fixed.length === 0) return { after: text, fixed, skipped };
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = JSON.stringify(root, null, indent).replace(/\n/g, eol);
  return { after: text.endsWith('\n') ? body + eol : body, fixed, skipped, deployInputs, reservedAdded };
}
