import type { Node } from 'yaml';
import type { LambdaTrigger } from '../discovery/discovery-types';
import {
  ASYNC_TRIGGERS,
  FIFO_QUEUE_NAME,
  type IacFormat,
  type IacFunction,
  type IacModel,
  type IacStreamSource,
} from './iac-model';
import { joinRel, resolveModuleFile, splitHandler } from './handler-paths';
import { referencedIds, referencedNames } from './intrinsics';
import { AsyncSources } from './async-sources';
import { asyncTriggersOf, markWarmed, mentionsWarming, isWarmUp, type ScheduleInvoke } from './warmers';
import type { YamlReader } from './yaml-nodes';

export interface CfnReadContext {
  r: YamlReader;
  file: string;
  /** directory of the template, relative to the root */
  dir: string;
  format: IacFormat;
  repoFiles: ReadonlySet<string>;
  /** key path from the document root to the Resources map */
  resourcesPath: string[];
  /** SAM Globals.Function */
  globals?: Node;
}

interface Resource {
  id: string;
  type: string;
  node: Node | undefined;
  props: Node | undefined;
  path: string[];
  span: ReturnType<YamlReader['keySpan']>;
}

/** SAM event types whose caller waits for the answer */
const USER_FACING_EVENTS = new Set(['Api', 'HttpApi', 'Cognito', 'AlexaSkill']);
/** services that invoke a function synchronously for a user (Lambda::Permission principals) */
const USER_FACING_PRINCIPALS = /^(apigateway|elasticloadbalancing|cognito-idp)\.amazonaws\.com$/;

/** Logical ids a template's custom resources name as their ServiceToken (`Custom::X`, `AWS::CloudFormation::CustomResource`). */
export function customResourceTokens(r: YamlReader, resourcesNode: Node | undefined): string[] {
  return r.entries(resourcesNode).flatMap(({ value }) => {
    const type = r.str(r.get(value, 'Type')) ?? '';
    if (!type.startsWith('Custom::') && type !== 'AWS::CloudFormation::CustomResource') return [];
    return referencedIds(r, r.get(value, 'Properties', 'ServiceToken'));
  });
}

const SAM_EVENT_TRIGGERS: Record<string, LambdaTrigger> = {
  Api: 'http',
  HttpApi: 'http',
  SQS: 'sqs',
  SNS: 'sns',
  S3: 's3',
  Schedule: 'schedule',
  ScheduleV2: 'schedule',
  EventBridgeRule: 'eventbridge',
  CloudWatchEvent: 'eventbridge',
  DynamoDB: 'dynamodb-stream',
  Kinesis: 'kinesis',
};

/** a reference's logical ids and names, for matching against resources declared anywhere */
function refsOf(ctx: CfnReadContext, node: unknown): string[] {
  return [...referencedIds(ctx.r, node), ...referencedNames(ctx.r, node)];
}

/** resource types an event source mapping reads a stream from */
const STREAM_TYPES: Record<string, IacStreamSource['stream']> = {
  'AWS::Kinesis::Stream': 'kinesis',
  'AWS::Kinesis::StreamConsumer': 'kinesis',
  'AWS::DynamoDB::Table': 'dynamodb-stream',
  'AWS::DynamoDB::GlobalTable': 'dynamodb-stream',
};

/**
 * The failure handling of a stream event source's properties (an event source mapping's, a SAM
 * Kinesis/DynamoDB event's): a retry limit (-1 is "until the record expires"), bisection, an
 * on-failure destination. A value given by a parameter counts as set.
 */
export function streamFailureHandling(
  r: YamlReader,
  props: Node | undefined,
): Pick<IacStreamSource, 'retryLimit' | 'bisect' | 'onFailure'> {
  const retries = r.get(props, 'MaximumRetryAttempts');
  const bisect = r.get(props, 'BisectBatchOnFunctionError');
  return {
    retryLimit: retries !== undefined && r.num(retries) !== -1,
    bisect: bisect !== undefined && r.bool(bisect) !== false,
    onFailure: r.get(props, 'DestinationConfig', 'OnFailure', 'Destination') !== undefined,
  };
}

/** RedrivePolicy may be a map or (in older templates) a JSON string */
function redriveOf(
  ctx: CfnReadContext,
  node: Node | undefined,
): { maxReceiveCount: number | null; target: string[] } | null {
  if (!node) return null;
  const text = ctx.r.str(node);
  if (text !== undefined) {
    try {
      const v = JSON.parse(text) as { maxReceiveCount?: unknown; deadLetterTargetArn?: unknown };
      const target = typeof v.deadLetterTargetArn === 'string' ? [v.deadLetterTargetArn] : [];
      return { maxReceiveCount: v.maxReceiveCount === undefined ? null : Number(v.maxReceiveCount), target };
    } catch {
      return { maxReceiveCount: null, target: [] };
    }
  }
  return {
    maxReceiveCount: ctx.r.num(ctx.r.get(node, 'maxReceiveCount')) ?? null,
    target: refsOf(ctx, ctx.r.get(node, 'deadLetterTargetArn')),
  };
}

/** Reads a CloudFormation Resources map (a SAM/CFN template's, or serverless `resources.Resources`) into the model. */
export function readCfnResources(ctx: CfnReadContext, resourcesNode: Node | undefined, model: IacModel): void {
  const { r } = ctx;
  const resources: Resource[] = r.entries(resourcesNode).map(({ key, value, pair }) => ({
    id: key,
    type: r.str(r.get(value, 'Type')) ?? '',
    node: value,
    props: r.get(value, 'Properties'),
    path: [...ctx.resourcesPath, key],
    span: r.keySpan(pair),
  }));
  const typeById = new Map(resources.map((x) => [x.id, x.type]));
  const fnById = new Map<string, IacFunction>();
  const schedules: ScheduleInvoke[] = [];
  const callers = new AsyncSources();
  const addTrigger = (ids: string[], t: LambdaTrigger) => {
    for (const id of ids) {
      const fn = fnById.get(id);
      if (fn && !fn.triggers.includes(t)) fn.triggers.push(t);
    }
  };
  const markOnFailure = (ids: string[]) => ids.forEach((id) => fnById.get(id) && (fnById.get(id)!.onFailure = true));
  const markUserFacing = (ids: string[]) => ids.forEach((id) => fnById.get(id) && (fnById.get(id)!.userFacing = true));

  for (const res of resources) {
    const where = { file: ctx.file, format: ctx.format, span: res.span, path: res.path };
    const p = res.props;
    switch (res.type) {
      case 'AWS::SQS::Queue': {
        const red = redriveOf(ctx, r.get(p, 'RedrivePolicy'));
        if (red) model.dlqRefs.push(...red.target);
        const nameNode = r.get(p, 'QueueName');
        const sub = nameNode?.tag === '!Sub' ? r.deref(nameNode) : r.get(nameNode, 'Fn::Sub');
        const nameSub = sub && 'value' in sub && typeof sub.value === 'string' ? sub.value : undefined;
        model.queues.push({
          ...where,
          id: res.id,
          name: r.str(nameNode),
          ...(nameSub ? { nameSub } : {}),
          redrive: red && { maxReceiveCount: red.maxReceiveCount },
          ...(r.bool(r.get(p, 'FifoQueue')) || FIFO_QUEUE_NAME.test(r.str(nameNode) ?? nameSub ?? '')
            ? { fifo: true }
            : {}),
        });
        break;
      }
      case 'AWS::SNS::Subscription': {
        model.dlqRefs.push(...(redriveOf(ctx, r.get(p, 'RedrivePolicy'))?.target ?? []));
        if (r.str(r.get(p, 'Protocol')) === 'lambda') {
          addTrigger(referencedIds(r, r.get(p, 'Endpoint')), 'sns');
          referencedIds(r, r.get(p, 'Endpoint')).forEach((id) => callers.other(id));
        }
        break;
      }
      case 'AWS::Lambda::Function':
      case 'AWS::Serverless::Function':
        fnById.set(res.id, readFunction(ctx, res, model, schedules, callers));
        break;
      case 'AWS::Events::EventBus':
        model.buses.push({ ...where, id: res.id, name: r.str(r.get(p, 'Name')) });
        break;
      case 'AWS::Events::Archive': {
        const retention = r.get(p, 'RetentionDays');
        model.archives.push({
          file: ctx.file,
          format: ctx.format,
          id: res.id,
          span: res.span,
          path: res.path,
          sourceRefs: refsOf(ctx, r.get(p, 'SourceArn')),
          retentionDays: retention === undefined ? null : (r.num(retention) ?? null),
        });
        break;
      }
      case 'AWS::CloudWatch::Alarm':
        model.alarms.push({
          file: ctx.file,
          refs: refsOf(ctx, p),
          metrics: referencedNames(r, p).filter((s) => /^[A-Za-z]+$/.test(s)),
        });
        break;
    }
  }

  // second pass: wiring that points at functions declared above
  const pendingRules: Array<{ rule: IacModel['rules'][number]; pings: ScheduleInvoke[] }> = [];
  for (const res of resources) {
    const p = res.props;
    if (res.type === 'AWS::Lambda::EventSourceMapping') {
      const fnIds = referencedIds(r, r.get(p, 'FunctionName'));
      const mappingOnFailure = r.get(p, 'DestinationConfig', 'OnFailure', 'Destination');
      if (mappingOnFailure) model.dlqRefs.push(...refsOf(ctx, mappingOnFailure));
      const source = refsOf(ctx, r.get(p, 'EventSourceArn'));
      const isQueue =
        source.some((s) => model.queues.some((q) => q.id === s)) || source.some((s) => s.includes(':sqs:'));
      const isStream =
        source
          .map((s) => typeById.get(s))
          .map((t) => (t ? STREAM_TYPES[t] : undefined))
          .find(Boolean) ??
        (source.some((s) => s.includes(':kinesis:'))
          ? 'kinesis'
          : source.some((s) => s.includes(':dynamodb:'))
            ? 'dynamodb-stream'
            : null);
      if (isStream && mappingOnFailure) model.streamFailureRefs.push(...refsOf(ctx, mappingOnFailure));
      if (isQueue) {
        addTrigger(fnIds, 'sqs');
        model.sqsSources.push({
          file: ctx.file,
          format: ctx.format,
          span: res.span,
          path: res.path,
          functionId: fnIds[0] ?? res.id,
          maxConcurrency: r.get(p, 'ScalingConfig', 'MaximumConcurrency') !== undefined,
          queueRefs: source,
        });
      } else if (isStream) {
        addTrigger(fnIds, isStream);
        model.streamSources.push({
          file: ctx.file,
          format: ctx.format,
          span: res.span,
          path: res.path,
          functionId: fnIds[0] ?? res.id,
          stream: isStream,
          ...streamFailureHandling(r, p),
        });
      }
    } else if (res.type === 'AWS::Lambda::Permission') {
      const principal = r.str(r.get(p, 'Principal')) ?? '';
      if (USER_FACING_PRINCIPALS.test(principal)) markUserFacing(referencedIds(r, r.get(p, 'FunctionName')));
    } else if (
      res.type === 'AWS::ApiGateway::Method' ||
      res.type === 'AWS::ApiGatewayV2::Integration' ||
      res.type === 'AWS::ApiGateway::Authorizer' ||
      res.type === 'AWS::ApiGatewayV2::Authorizer'
    ) {
      markUserFacing(referencedIds(r, p));
    } else if (res.type === 'AWS::Lambda::Url') {
      markUserFacing(referencedIds(r, r.get(p, 'TargetFunctionArn')));
    } else if (res.type.startsWith('Custom::') || res.type === 'AWS::CloudFormation::CustomResource') {
      for (const id of referencedIds(r, r.get(p, 'ServiceToken'))) {
        const fn = fnById.get(id);
        if (fn) fn.customResource = true;
      }
    } else if (res.type === 'AWS::Lambda::EventInvokeConfig') {
      const onFailure = r.get(p, 'DestinationConfig', 'OnFailure', 'Destination');
      if (onFailure) {
        model.dlqRefs.push(...refsOf(ctx, onFailure));
        markOnFailure(referencedIds(r, r.get(p, 'FunctionName')));
      }
    } else if (res.type === 'AWS::Events::Rule') {
      const targets = r.items(r.get(p, 'Targets'));
      const scheduled = r.get(p, 'ScheduleExpression') !== undefined;
      const trigger: LambdaTrigger = scheduled ? 'schedule' : 'eventbridge';
      const ruleWords = [res.id, r.str(r.get(p, 'Name')), r.str(r.get(p, 'Description'))];
      const gaps: ScheduleInvoke[] = [];
      const targetFunctions: string[] = [];
      let missing = 0;
      for (const t of targets) {
        const fnIds = referencedIds(r, r.get(t, 'Arn'));
        addTrigger(fnIds, trigger);
        const fnId = fnIds.find((id) => fnById.has(id));
        const ping =
          scheduled && fnId
            ? { fnId, warmWords: mentionsWarming(...ruleWords, r.str(r.get(t, 'Input')), r.str(r.get(t, 'Id'))) }
            : null;
        if (ping) schedules.push(ping);
        const dlq = r.get(t, 'DeadLetterConfig', 'Arn');
        if (dlq) model.dlqRefs.push(...refsOf(ctx, dlq));
        if (ping && !dlq) gaps.push(ping);
        else {
          callers.rule(fnId, dlq !== undefined);
          if (!dlq) missing++;
          if (!dlq && fnId) targetFunctions.push(fnId);
        }
      }
      pendingRules.push({
        rule: {
          file: ctx.file,
          format: ctx.format,
          span: res.span,
          path: res.path,
          id: res.id,
          targetsWithoutDlq: missing,
          targetFunctions,
        },
        pings: gaps,
      });
    } else if (res.type === 'AWS::S3::Bucket') {
      for (const c of r.items(r.get(p, 'NotificationConfiguration', 'LambdaConfigurations'))) {
        addTrigger(referencedIds(r, r.get(c, 'Function')), 's3');
        referencedIds(r, r.get(c, 'Function')).forEach((id) => callers.other(id));
      }
    }
  }
  // warm-up pings are known once every function's callers are (API methods may come after the rule)
  for (const { rule, pings } of pendingRules) {
    const jobs = pings.filter((x) => !isWarmUp(x, fnById));
    for (const job of jobs) callers.rule(job.fnId, false);
    const targetsWithoutDlq = rule.targetsWithoutDlq + jobs.length;
    if (targetsWithoutDlq > 0)
      model.rules.push({
        ...rule,
        targetsWithoutDlq,
        targetFunctions: [...(rule.targetFunctions ?? []), ...jobs.map((j) => j.fnId)],
      });
  }
  markWarmed(schedules, fnById);
  callers.settle(fnById);
  for (const fn of fnById.values()) {
    fn.asyncTriggers = asyncTriggersOf(fn, ASYNC_TRIGGERS);
    model.functions.push(fn);
    const h = model.handlers.find((x) => x.functionName === fn.id && x.declaredAt?.file === ctx.file);
    if (h) h.triggers = [...fn.triggers];
  }
}

function readFunction(
  ctx: CfnReadContext,
  res: Resource,
  model: IacModel,
  schedules: ScheduleInvoke[],
  callers: AsyncSources,
): IacFunction {
  const { r } = ctx;
  const p = res.props;
  const g = ctx.globals;
  const prop = (k: string) => r.get(p, k) ?? r.get(g, k);
  const fn: IacFunction = {
    file: ctx.file,
    format: ctx.format,
    span: res.span,
    path: res.path,
    id: res.id,
    reservedConcurrency: prop('ReservedConcurrentExecutions') !== undefined,
    triggers: [],
    asyncTriggers: [],
    onFailure: false,
    runtime: r.str(prop('Runtime')),
  };
  if (prop('FunctionUrlConfig') !== undefined) fn.userFacing = true;
  const dlq =
    r.get(p, 'DeadLetterConfig', 'TargetArn') ??
    prop('DeadLetterQueue') ??
    r.get(prop('EventInvokeConfig'), 'DestinationConfig', 'OnFailure');
  if (dlq) {
    fn.onFailure = true;
    model.dlqRefs.push(...refsOf(ctx, dlq));
  }
  for (const { key, value, pair } of r.entries(r.get(p, 'Events'))) {
    const type = r.str(r.get(value, 'Type')) ?? '';
    const trigger = SAM_EVENT_TRIGGERS[type] ?? 'unknown';
    if (!fn.triggers.includes(trigger)) fn.triggers.push(trigger);
    if (USER_FACING_EVENTS.has(type)) fn.userFacing = true;
    if (ASYNC_TRIGGERS.includes(trigger)) callers.other(res.id);
    const ep = r.get(value, 'Properties');
    if (type === 'SQS') {
      model.sqsSources.push({
        file: ctx.file,
        format: ctx.format,
        span: r.keySpan(pair),
        path: [...res.path, 'Properties', 'Events', key],
        functionId: res.id,
        maxConcurrency: r.get(ep, 'ScalingConfig', 'MaximumConcurrency') !== undefined,
        queueRefs: refsOf(ctx, r.get(ep, 'Queue')),
      });
    }
    if (type === 'Kinesis' || type === 'DynamoDB') {
      model.streamSources.push({
        file: ctx.file,
        format: ctx.format,
        span: r.keySpan(pair),
        path: [...res.path, 'Properties', 'Events', key],
        functionId: res.id,
        stream: type === 'Kinesis' ? 'kinesis' : 'dynamodb-stream',
        ...streamFailureHandling(r, ep),
      });
      const onFailure = r.get(ep, 'DestinationConfig', 'OnFailure', 'Destination');
      if (onFailure) model.streamFailureRefs.push(...refsOf(ctx, onFailure));
    }
    if (type === 'Schedule' || type === 'ScheduleV2') {
      schedules.push({
        fnId: res.id,
        warmWords: mentionsWarming(
          key,
          r.str(r.get(ep, 'Input')),
          r.str(r.get(ep, 'Name')),
          r.str(r.get(ep, 'Description')),
        ),
      });
    }
    const eventDlq = r.get(ep, 'DeadLetterConfig');
    if (eventDlq) model.dlqRefs.push(...refsOf(ctx, r.get(eventDlq, 'Arn')));
    // stream and Kafka event sources send failed batches to an on-failure destination
    const eventOnFailure = r.get(ep, 'DestinationConfig', 'OnFailure', 'Destination');
    if (eventOnFailure) model.dlqRefs.push(...refsOf(ctx, eventOnFailure));
  }
  const handler = r.str(prop('Handler'));
  const split = handler ? splitHandler(handler) : null;
  const codeUri = r.str(prop('CodeUri')) ?? r.str(r.get(p, 'Code'));
  const sam = res.type === 'AWS::Serverless::Function';
  const entry = r.str(r.items(r.get(res.node, 'Metadata', 'BuildProperties', 'EntryPoints'))[0]);
  let handlerFile: string | undefined;
  if (split && (sam || codeUri !== undefined)) {
    const base = codeUri && !/^s3:\/\//.test(codeUri) ? codeUri : '';
    const modulePath = entry ? joinRel(ctx.dir, base, entry) : joinRel(ctx.dir, base, split.module);
    handlerFile = resolveModuleFile(modulePath, ctx.repoFiles);
    model.handlers.push({
      file: handlerFile,
      exportName: split.exportName,
      triggers: [],
      functionName: res.id,
      source: 'iac',
      declaredAt: { file: ctx.file, line: res.span.line },
    });
  }
  fn.code = functionCode(ctx, res, codeUri, sam, handlerFile);
  return fn;
}

/**
 * What ships as a SAM/CloudFormation function's code: the local CodeUri (or `Code` path that
 * `aws cloudformation package` uploads); nothing local for S3 locations, images and inline code.
 */
function functionCode(
  ctx: CfnReadContext,
  res: Resource,
  codeUri: string | undefined,
  sam: boolean,
  handlerFile: string | undefined,
): IacFunction['code'] {
  const { r } = ctx;
  const local = codeUri !== undefined && !/^s3:\/\//.test(codeUri);
  const inline =
    r.get(res.props, 'InlineCode') !== undefined ||
    r.get(res.props, 'Code', 'ZipFile') !== undefined ||
    r.get(res.props, 'ImageUri') !== undefined;
  const dir = local ? joinRel(ctx.dir, codeUri!) : sam && codeUri === undefined && !inline ? joinRel(ctx.dir) : null;
  const buildMethod = r.str(r.get(res.node, 'Metadata', 'BuildMethod')) ?? '';
  return {
    dir: dir === '.' ? '' : dir,
    // esbuild (and makefile builds) bundle; a TypeScript handler only runs after a build step compiles it
    bundled: /^(esbuild|makefile)$/i.test(buildMethod) || /\.[cm]?tsx?$/.test(handlerFile ?? ''),
    declared: local
      ? `${sam ? 'CodeUri' : 'Code'}: ${codeUri}`
      : codeUri
        ? `${sam ? 'CodeUri' : 'Code'}: ${codeUri}`
        : sam
          ? 'no CodeUri (the template directory)'
          : 'inline or S3 code',
  };
}
