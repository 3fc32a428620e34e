import { isScalar, type Node } from 'yaml';
import type { ResolvedConfig } from '../config/config-schema';
import { IDEMPOTENCY_TTL_ATTRIBUTE } from './checks/api-timeout-and-ttl';
import { MIN_RETENTION_DAYS } from './checks/event-replay';
import type { IacFinding } from '../types';
import { FixError, YamlEditor } from './yaml-editor';
import type { EmitMap, Emittable } from './yaml-emit';
import { YamlReader } from './yaml-nodes';
import { parseYaml } from './yaml-tags';

export interface FixOutcome {
  after: string;
  fixed: IacFinding[];
  skipped: Array<{ finding: IacFinding; reason: string }>;
  /** values the user should supply before the next deploy (the fixed file deploys without them) */
  deployInputs?: string[];
  /** reserved concurrency units the fix added */
  reservedAdded?: number;
  /** packages the new code imports (CDK v1 service modules), for the file's package.json */
  dependencies?: string[];
}

/** The deploy-time value every format's DLQ alarms notify, and how to give it. */
export const ALARM_TOPIC = {
  parameter: 'AlarmTopicArn',
  condition: 'HasAlarmTopic',
  serverlessParam: 'alarmTopicArn',
  description:
    'SNS topic ARN notified when a dead-letter queue receives messages (empty = the alarms only change state)',
} as const;

export function alarmTopicInput(file: string, format: 'serverless' | 'sam' | 'cloudformation' | 'cdk'): string {
  const how =
    format === 'serverless'
      ? `serverless deploy --param="${ALARM_TOPIC.serverlessParam}=arn:aws:sns:…"`
      : format === 'sam'
        ? `sam deploy --parameter-overrides ${ALARM_TOPIC.parameter}=arn:aws:sns:…`
        : format === 'cdk'
          ? 'cdk deploy -c alarmTopicArn=arn:aws:sns:…'
          : `the stack parameter ${ALARM_TOPIC.parameter}=arn:aws:sns:…`;
  return `${file}: the SNS topic the dead-letter-queue alarms notify (${how}); until it is given, the alarms only change state`;
}

type Format = 'serverless' | 'sam' | 'cloudformation';

const DLQ_RETENTION_SECONDS = 1209600; // 14 days, the SQS maximum

/** Template-writing conventions of one file: short tags or `Fn::` maps. */
class Style {
  readonly short: boolean;
  constructor(
    text: string,
    readonly format: Format,
  ) {
    const usesShort = /!(GetAtt|Ref|Sub)\b/.test(text);
    const usesLong = /Fn::GetAtt|\bRef:/.test(text);
    this.short = format === 'serverless' ? usesShort : usesShort || !usesLong;
  }
  getAtt(id: string, attr: string): Emittable {
    return this.short ? `!GetAtt ${id}.${attr}` : { 'Fn::GetAtt': `[${id}, ${attr}]` };
  }
  ref(id: string): Emittable {
    return this.short ? `!Ref ${id}` : { Ref: id };
  }
  /** `AlarmActions` that is the topic when one is given and absent otherwise */
  alarmActions(topic: string): Emittable {
    const { condition } = ALARM_TOPIC;
    return this.short
      ? `!If [${condition}, [${topic}], !Ref 'AWS::NoValue']`
      : { 'Fn::If': `[${condition}, [${topic}], {Ref: 'AWS::NoValue'}]` };
  }
  /** the condition: the topic value is not empty */
  hasTopic(topic: string): Emittable {
    return this.short ? `!Not [!Equals [${topic}, '']]` : { 'Fn::Not': `[{'Fn::Equals': [${topic}, '']}]` };
  }
}

interface Ctx {
  ed: YamlEditor;
  style: Style;
  config: ResolvedConfig;
  ids: Set<string>;
  alarmTopic: { done: boolean };
  file: string;
  deployInputs: string[];
  reservedAdded: number;
}

function uniqueId(ctx: Ctx, base: string): string {
  let id = base;
  for (let i = 2; ctx.ids.has(id); i++) id = `${base}${i}`;
  ctx.ids.add(id);
  return id;
}

function pathOf(f: IacFinding): string[] {
  const p = f.data?.path;
  if (!Array.isArray(p) || p.length === 0) throw new FixError('the finding has no location path');
  return p.map(String);
}

/** the topic value in the file's own idiom: a serverless param with an empty fallback, or the template parameter */
function topicValue(ctx: Ctx): string {
  if (ctx.style.format === 'serverless') return `"\${param:${ALARM_TOPIC.serverlessParam}, ''}"`;
  return ctx.style.short ? `!Ref ${ALARM_TOPIC.parameter}` : `{Ref: ${ALARM_TOPIC.parameter}}`;
}

function alarmResource(ctx: Ctx, dlqId: string): EmitMap {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmDescription: `Messages are waiting in the dead-letter queue ${dlqId}`,
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: ctx.style.getAtt(dlqId, 'QueueName') }],
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: ctx.style.alarmActions(topicValue(ctx)),
    },
  };
}

/**
 * The alarms notify a topic given at deploy time, with no new required input: a template
 * parameter with an empty default (serverless: a param with an empty fallback) and a condition
 * that leaves AlarmActions out while it is empty. Added once per file.
 */
function ensureAlarmTopic(ctx: Ctx): void {
  if (ctx.alarmTopic.done) return;
  ctx.alarmTopic.done = true;
  const { ed } = ctx;
  const { parameter, condition } = ALARM_TOPIC;
  const serverless = ctx.style.format === 'serverless';
  if (!serverless && !ed.at(['Parameters', parameter])) {
    const param = { [parameter]: { Type: 'String', Default: "''", Description: ALARM_TOPIC.description } };
    if (ed.r.map(ed.at(['Parameters']))) ed.addUnder(['Parameters'], param);
    else ed.addBefore('Resources', { Parameters: param });
  }
  const conditions = serverless ? ['resources', 'Conditions'] : ['Conditions'];
  if (!ed.at([...conditions, condition])) {
    const entry = { [condition]: ctx.style.hasTopic(topicValue(ctx)) };
    if (serverless || ed.r.map(ed.at(conditions))) ed.addUnder(conditions, entry);
    else ed.addBefore('Resources', { Conditions: entry });
  }
  ctx.deployInputs.push(alarmTopicInput(ctx.file, ctx.style.format));
}

function addDlq(ctx: Ctx, f: IacFinding): void {
  const path = pathOf(f);
  const id = path[path.length - 1]!;
  const queue = ctx.ed.r.map(ctx.ed.at(path));
  if (!queue || queue.flow) throw new FixError(`queue ${id} is not a block map`);
  const fifo = ctx.ed.r.bool(ctx.ed.at([...path, 'Properties', 'FifoQueue'])) === true;
  const dlqId = uniqueId(ctx, `${id}DLQ`);
  ctx.ed.addUnder([...path, 'Properties'], {
    RedrivePolicy: { deadLetterTargetArn: ctx.style.getAtt(dlqId, 'Arn'), maxReceiveCount: receiveCount(f) },
  });
  ctx.ed.addAfter(path.slice(0, -1), id, {
    [dlqId]: {
      Type: 'AWS::SQS::Queue',
      Properties: { ...(fifo ? { FifoQueue: true } : {}), MessageRetentionPeriod: DLQ_RETENTION_SECONDS },
    },
    [uniqueId(ctx, `${dlqId}DepthAlarm`)]: alarmResource(ctx, dlqId),
  });
  ensureAlarmTopic(ctx);
}

function replaceScalar(ctx: Ctx, path: string[], value: number, what: string): void {
  const node = ctx.ed.at(path);
  if (!isScalar(node)) throw new FixError(`${what} is not a plain value here`);
  ctx.ed.replace(node as Node, String(value));
}

function addAlarm(ctx: Ctx, f: IacFinding): void {
  const path = pathOf(f);
  const dlqId = path[path.length - 1]!;
  ctx.ed.addAfter(path.slice(0, -1), dlqId, { [uniqueId(ctx, `${dlqId}DepthAlarm`)]: alarmResource(ctx, dlqId) });
  ensureAlarmTopic(ctx);
}

function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function addArchive(ctx: Ctx, f: IacFinding): void {
  const path = pathOf(f);
  const retention = { RetentionDays: MIN_RETENTION_DAYS };
  if (path[0] === 'functions') {
    // a bus the framework creates from `eventBridge.eventBus: <name>`
    const name = String(f.data?.busName ?? '');
    if (!name) throw new FixError('the bus has no literal name');
    ctx.ed.addUnder(['resources', 'Resources'], {
      [uniqueId(ctx, `${pascal(name)}Archive`)]: {
        Type: 'AWS::Events::Archive',
        Properties: { SourceArn: `arn:aws:events:\${aws:region}:\${aws:accountId}:event-bus/${name}`, ...retention },
      },
    });
    return;
  }
  const busId = path[path.length - 1]!;
  ctx.ed.addAfter(path.slice(0, -1), busId, {
    [uniqueId(ctx, `${busId}Archive`)]: {
      Type: 'AWS::Events::Archive',
      Properties: { SourceArn: ctx.style.getAtt(busId, 'Arn'), ...retention },
    },
  });
}

/** a number the check put in the finding's data (the one place the value is decided) */
export function dataNumber(f: IacFinding, key: string): number {
  const v = f.data?.[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new FixError(`the finding carries no ${key}`);
  return v;
}

const receiveCount = (f: IacFinding): number => dataNumber(f, 'maxReceiveCount');

function addReserved(ctx: Ctx, f: IacFinding): void {
  const path = pathOf(f);
  const n = dataNumber(f, 'reserved');
  if (path[0] === 'functions') ctx.ed.addUnder(path, { reservedConcurrency: n });
  else ctx.ed.addUnder([...path, 'Properties'], { ReservedConcurrentExecutions: n });
  ctx.reservedAdded += n;
}

function addMaxConcurrency(ctx: Ctx, f: IacFinding): void {
  const path = pathOf(f);
  const n = dataNumber(f, 'maximumConcurrency');
  const { ed } = ctx;
  if (path[0] !== 'functions') {
    ed.addUnder([...path, 'Properties', 'ScalingConfig'], { MaximumConcurrency: n });
    return;
  }
  const value = ed.at(path);
  if (ed.r.map(value)) {
    ed.addUnder(path, { maximumConcurrency: n });
    return;
  }
  // `- sqs: <arn>` → `- sqs:\n    arn: <arn>\n    maximumConcurrency: n`
  const pair = ed.r.pair(ed.at(path.slice(0, -1)), 'sqs');
  const range = (value as Node | undefined)?.range;
  const keyEnd = (pair?.key as Node | undefined)?.range?.[1];
  if (!pair || !range || keyEnd === undefined || ed.text[keyEnd] !== ':')
    throw new FixError('unexpected sqs event shape');
  const indent = ed.keyIndent(pair) + ed.unit.length;
  ed.splice(keyEnd + 1, range[1], `${ed.eol}${' '.repeat(indent)}arn: ${ed.text.slice(range[0], range[1])}`);
  ed.insertLines(ed.offsetAfter(pair), indent, [`maximumConcurrency: ${n}`]);
}

const FIXES: Record<string, (ctx: Ctx, f: IacFinding) => void> = {
  'add-dlq': addDlq,
  'lower-max-receive': (ctx, f) =>
    replaceScalar(
      ctx,
      [...pathOf(f), 'Properties', 'RedrivePolicy', 'maxReceiveCount'],
      receiveCount(f),
      'maxReceiveCount',
    ),
  'add-alarm': addAlarm,
  'add-archive': addArchive,
  'raise-retention': (ctx, f) =>
    replaceScalar(ctx, [...pathOf(f), 'Properties', 'RetentionDays'], MIN_RETENTION_DAYS, 'RetentionDays'),
  'add-reserved': addReserved,
  'add-max-concurrency': addMaxConcurrency,
  'add-ttl': (ctx, f) =>
    ctx.ed.addUnder([...pathOf(f), 'Properties'], {
      TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_TTL_ATTRIBUTE, Enabled: true },
    }),
};

const NOT_HERE: Record<string, string> = {
  'redrive-workflow': 'fixed by the generated dlq-redrive workflow of the service, not in the template',
};

/** Why a finding with no fix is left as it is: the check's own reason when it gave one. */
export function noFixReason(f: IacFinding, fallback: string): string {
  const reason = f.data?.reason;
  return typeof reason === 'string' && reason.length > 0 ? reason : fallback;
}

/** every logical id under any Resources map of the file, so added ids never collide */
function existingIds(r: YamlReader, format: Format): Set<string> {
  const root = r.doc.contents;
  const blocks =
    format === 'serverless'
      ? [r.get(root, 'resources', 'Resources'), ...r.items(r.get(root, 'resources')).map((i) => r.get(i, 'Resources'))]
      : [r.get(root, 'Resources')];
  return new Set(blocks.flatMap((b) => r.entries(b).map((e) => e.key)));
}

/** Applies the fixable findings of one YAML/JSON-as-YAML file as minimal text edits. */
export function fixYaml(
  text: string,
  format: Format,
  findings: IacFinding[],
  config: ResolvedConfig,
  file = findings[0]?.file ?? 'template',
): FixOutcome {
  const parsed = parseYaml(text);
  if (!parsed.ok)
    return {
      after: text,
      fixed: [],
      skipped: findings.map((finding) => ({ finding, reason: `the file does not parse: ${parsed.message}` })),
    };
  const r = new YamlReader(parsed.parsed.doc, parsed.parsed.lines);
  const ed = new YamlEditor(text, r);
  const ctx: Ctx = {
    ed,
    style: new Style(text, format),
    config,
    ids: existingIds(r, format),
    alarmTopic: { done: false },
    file,
    deployInputs: [],
    reservedAdded: 0,
  };
  const fixed: IacFinding[] = [];
  const skipped: FixOutcome['skipped'] = [];
  for (const f of findings) {
    const kind = String(f.data?.fix ?? '');
    const apply = FIXES[kind];
    if (!apply) {
      skipped.push({
        finding: f,
        reason: NOT_HERE[kind] ?? noFixReason(f, 'no automatic fix: needs a decision about where failures should go'),
      });
      continue;
    }
    ed.checkpoint();
    const mark = { inputs: ctx.deployInputs.length, reserved: ctx.reservedAdded, topic: ctx.alarmTopic.done };
    try {
      apply(ctx, f);
      fixed.push(f);
    } catch (err) {
      ed.rollback();
      ctx.deployInputs.length = mark.inputs;
      ctx.reservedAdded = mark.reserved;
      ctx.alarmTopic.done = mark.topic;
      if (!(err instanceof FixError)) throw err;
      skipped.push({ finding: f, reason: err.message });
    }
  }
  const after = fixed.length > 0 ? ed.result() : text;
  if (after !== text && !parseYaml(after).ok) {
    return {
      after: text,
      fixed: [],
      skipped: findings.map((finding) => ({ finding, reason: 'the fixed file did not re-parse; nothing was changed' })),
    };
  }
  return { after, fixed, skipped, deployInputs: ctx.deployInputs, reservedAdded: ctx.reservedAdded };
}
