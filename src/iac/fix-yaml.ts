import { isScalar, type Node } from 'yaml';
import type { ResolvedConfig } from '../config/config-schema';
import { IDEMPOTENCY_TTL_ATTRIBUTE } from './checks/api-timeout-and-ttl';
import { MAX_RECEIVE_COUNT } from './checks/no-dlq';
import { MIN_RETENTION_DAYS } from './checks/event-replay';
import type { IacFinding } from './scan-iac';
import { FixError, YamlEditor } from './yaml-editor';
import type { EmitMap, Emittable } from './yaml-emit';
import { YamlReader } from './yaml-nodes';
import { parseYaml } from './yaml-tags';

export interface FixOutcome {
  after: string;
  fixed: IacFinding[];
  skipped: Array<{ finding: IacFinding; reason: string }>;
}

type Format = 'serverless' | 'sam' | 'cloudformation';

const DLQ_RETENTION_SECONDS = 1209600; // 14 days, the SQS maximum

/** Template-writing conventions of one file: short tags or `Fn::` maps. */
class Style {
  readonly short: boolean;
  constructor(text: string, readonly format: Format) {
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
}

interface Ctx {
  ed: YamlEditor;
  style: Style;
  config: ResolvedConfig;
  ids: Set<string>;
  alarmTopic: { done: boolean };
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

function alarmResource(ctx: Ctx, dlqId: string): EmitMap {
  const serverless = ctx.style.format === 'serverless';
  const actions: EmitMap = serverless
    ? { '#': 'fill in: the SNS topic that pages on-call (serverless deploy --param="alarmTopicArn=arn:aws:sns:...")', AlarmActions: ['${param:alarmTopicArn}'] }
    : { AlarmActions: [ctx.style.ref('AlarmTopicArn') as string] };
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
      ...actions,
    },
  };
}

/** SAM/CFN alarms notify the topic given as the AlarmTopicArn parameter; add it once. */
function ensureAlarmTopic(ctx: Ctx): void {
  if (ctx.style.format === 'serverless' || ctx.alarmTopic.done) return;
  ctx.alarmTopic.done = true;
  const { ed } = ctx;
  if (ed.at(['Parameters', 'AlarmTopicArn'])) return;
  const param = { AlarmTopicArn: { Type: 'String', Description: 'SNS topic ARN notified when a dead-letter queue receives messages' } };
  if (ed.r.map(ed.at(['Parameters']))) ed.addUnder(['Parameters'], param);
  else ed.addBefore('Resources', { Parameters: param });
}

function addDlq(ctx: Ctx, f: IacFinding): void {
  const path = pathOf(f);
  const id = path[path.length - 1]!;
  const queue = ctx.ed.r.map(ctx.ed.at(path));
  if (!queue || queue.flow) throw new FixError(`queue ${id} is not a block map`);
  const fifo = ctx.ed.r.bool(ctx.ed.at([...path, 'Properties', 'FifoQueue'])) === true;
  const dlqId = uniqueId(ctx, `${id}DLQ`);
  ctx.ed.addUnder([...path, 'Properties'], { RedrivePolicy: { deadLetterTargetArn: ctx.style.getAtt(dlqId, 'Arn'), maxReceiveCount: MAX_RECEIVE_COUNT } });
  ctx.ed.addAfter(path.slice(0, -1), id, {
    [dlqId]: { Type: 'AWS::SQS::Queue', Properties: { ...(fifo ? { FifoQueue: true } : {}), MessageRetentionPeriod: DLQ_RETENTION_SECONDS } },
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
  return name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
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
    [uniqueId(ctx, `${busId}Archive`)]: { Type: 'AWS::Events::Archive', Properties: { SourceArn: ctx.style.getAtt(busId, 'Arn'), ...retention } },
  });
}

function addReserved(ctx: Ctx, f: IacFinding): void {
  const path = pathOf(f);
  const n = ctx.config.concurrency.reserved;
  if (path[0] === 'functions') ctx.ed.addUnder(path, { reservedConcurrency: n });
  else ctx.ed.addUnder([...path, 'Properties'], { ReservedConcurrentExecutions: n });
}

function addMaxConcurrency(ctx: Ctx, f: IacFinding): void {
  const path = pathOf(f);
  const n = ctx.config.concurrency.sqsMaximum;
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
  if (!pair || !range || keyEnd === undefined || ed.text[keyEnd] !== ':') throw new FixError('unexpected sqs event shape');
  const indent = ed.keyIndent(pair) + ed.unit.length;
  ed.splice(keyEnd + 1, range[1], `${ed.eol}${' '.repeat(indent)}arn: ${ed.text.slice(range[0], range[1])}`);
  ed.insertLines(ed.offsetAfter(pair), indent, [`maximumConcurrency: ${n}`]);
}

const FIXES: Record<string, (ctx: Ctx, f: IacFinding) => void> = {
  'add-dlq': addDlq,
  'lower-max-receive': (ctx, f) => replaceScalar(ctx, [...pathOf(f), 'Properties', 'RedrivePolicy', 'maxReceiveCount'], MAX_RECEIVE_COUNT, 'maxReceiveCount'),
  'add-alarm': addAlarm,
  'add-archive': addArchive,
  'raise-retention': (ctx, f) => replaceScalar(ctx, [...pathOf(f), 'Properties', 'RetentionDays'], MIN_RETENTION_DAYS, 'RetentionDays'),
  'add-reserved': addReserved,
  'add-max-concurrency': addMaxConcurrency,
  'add-ttl': (ctx, f) => ctx.ed.addUnder([...pathOf(f), 'Properties'], { TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_TTL_ATTRIBUTE, Enabled: true } }),
};

const NOT_HERE: Record<string, string> = {
  'redrive-workflow': 'fixed by the generated .github/workflows/dlq-redrive.yml, not in the template',
};

/** every logical id under any Resources map of the file, so added ids never collide */
function existingIds(r: YamlReader, format: Format): Set<string> {
  const root = r.doc.contents;
  const blocks = format === 'serverless'
    ? [r.get(root, 'resources', 'Resources'), ...r.items(r.get(root, 'resources')).map((i) => r.get(i, 'Resources'))]
    : [r.get(root, 'Resources')];
  return new Set(blocks.flatMap((b) => r.entries(b).map((e) => e.key)));
}

/** Applies the fixable findings of one YAML/JSON-as-YAML file as minimal text edits. */
export function fixYaml(text: string, format: Format, findings: IacFinding[], config: ResolvedConfig): FixOutcome {
  const parsed = parseYaml(text);
  if (!parsed.ok) return { after: text, fixed: [], skipped: findings.map((finding) => ({ finding, reason: `the file does not parse: ${parsed.message}` })) };
  const r = new YamlReader(parsed.parsed.doc, parsed.parsed.lines);
  const ed = new YamlEditor(text, r);
  const ctx: Ctx = { ed, style: new Style(text, format), config, ids: existingIds(r, format), alarmTopic: { done: false } };
  const fixed: IacFinding[] = [];
  const skipped: FixOutcome['skipped'] = [];
  for (const f of findings) {
    const kind = String(f.data?.fix ?? '');
    const apply = FIXES[kind];
    if (!apply) {
      skipped.push({ finding: f, reason: NOT_HERE[kind] ?? 'no automatic fix: needs a decision about where failures should go' });
      continue;
    }
    ed.checkpoint();
    try {
      apply(ctx, f);
      fixed.push(f);
    } catch (err) {
      ed.rollback();
      if (!(err instanceof FixError)) throw err;
      skipped.push({ finding: f, reason: err.message });
    }
  }
  const after = fixed.length > 0 ? ed.result() : text;
  if (after !== text && !parseYaml(after).ok) {
    return { after: text, fixed: [], skipped: findings.map((finding) => ({ finding, reason: 'the fixed file did not re-parse; nothing was changed' })) };
  }
  return { after, fixed, skipped };
}
