import type { Node } from 'yaml';
import type { LambdaTrigger } from '../discovery/discovery-types';
import { customResourceTokens, readCfnResources } from './cfn-model';
import { joinRel, resolveModuleFile, splitHandler } from './handler-paths';
import { ASYNC_TRIGGERS, emptyModel, type IacFunction, type IacModel } from './iac-model';
import { referencedIds, referencedNames } from './intrinsics';
import { asyncTriggersOf, markWarmed, mentionsWarming, type ScheduleInvoke } from './warmers';
import type { YamlReader } from './yaml-nodes';

const EVENT_TRIGGERS: Record<string, LambdaTrigger> = {
  http: 'http',
  httpApi: 'http',
  alb: 'http',
  websocket: 'http',
  sqs: 'sqs',
  sns: 'sns',
  s3: 's3',
  schedule: 'schedule',
  eventBridge: 'eventbridge',
  cloudwatchEvent: 'eventbridge',
};
/** events whose caller waits for the answer: a user is behind them */
const USER_FACING_EVENTS = new Set([
  'http',
  'httpApi',
  'alb',
  'websocket',
  'cognitoUserPool',
  'alexaSkill',
  'alexaSmartHome',
]);
/** plugins (and the v4 `build` key) that bundle or compile the handlers before packaging */
const BUNDLER_PLUGIN = /^serverless-(esbuild|webpack|bundle|plugin-typescript|plugin-monorepo)$/;

export interface ServerlessReadContext {
  r: YamlReader;
  file: string;
  dir: string;
  repoFiles: ReadonlySet<string>;
}

/** serverless.yml: `functions` (handler, events, reservedConcurrency, destinations) and `resources.Resources`. */
export function readServerless(ctx: ServerlessReadContext): IacModel {
  const { r } = ctx;
  const model = emptyModel(ctx.file, 'serverless');
  const root = r.doc.contents;
  // `onFailure: ${self:custom.failureArn}`: a value written elsewhere in the file is followed there
  const refs = (n: unknown, depth = 0): string[] => {
    const self = /^\$\{self:([\w.-]+)\}$/.exec(r.str(n) ?? '');
    if (self && depth < 5) return refs(r.get(root, ...self[1]!.split('.')), depth + 1);
    return [...referencedIds(r, n), ...referencedNames(r, n)];
  };

  const plugins = r
    .items(r.get(root, 'plugins'))
    .concat(r.items(r.get(root, 'plugins', 'modules')))
    .map((p) => r.str(p) ?? '');
  const bundler =
    plugins.some((p) => BUNDLER_PLUGIN.test(p)) ||
    r.get(root, 'build', 'esbuild') !== undefined ||
    r.get(root, 'custom', 'esbuild') !== undefined;
  const servicePatterns = packagePatterns(r, r.get(root, 'package'));
  const providerRuntime = r.str(r.get(root, 'provider', 'runtime'));
  const schedules: ScheduleInvoke[] = [];
  for (const { key: name, value: def, pair } of r.entries(r.get(root, 'functions'))) {
    const handlerSpec = r.str(r.get(def, 'handler')) ?? '';
    const split = splitHandler(handlerSpec);
    const handlerFile = split ? resolveModuleFile(joinRel(ctx.dir, split.module), ctx.repoFiles) : null;
    const image = r.get(def, 'image') !== undefined;
    const fn: IacFunction = {
      file: ctx.file,
      format: 'serverless',
      span: r.keySpan(pair),
      path: ['functions', name],
      id: name,
      reservedConcurrency: r.get(def, 'reservedConcurrency') !== undefined,
      triggers: [],
      asyncTriggers: [],
      onFailure: false,
      runtime: r.str(r.get(def, 'runtime')) ?? providerRuntime,
      code: {
        dir: image ? null : ctx.dir === '.' ? '' : ctx.dir,
        // a TypeScript handler only runs after a build step compiles it
        bundled: bundler || /\.[cm]?tsx?$/.test(handlerFile ?? ''),
        declared: `the service directory of ${ctx.file}`,
        patterns: [...servicePatterns, ...packagePatterns(r, r.get(def, 'package'))],
      },
    };
    if (r.get(def, 'url') !== undefined) fn.userFacing = true;
    const onFailure = r.get(def, 'destinations', 'onFailure') ?? r.get(def, 'onError');
    if (onFailure) {
      fn.onFailure = true;
      model.dlqRefs.push(...refs(onFailure));
    }
    r.items(r.get(def, 'events')).forEach((event, index) => {
      const [first] = r.entries(event);
      if (!first) return;
      const { key: type, value, pair: eventPair } = first;
      let trigger: LambdaTrigger = EVENT_TRIGGERS[type] ?? 'unknown';
      if (type === 'stream') {
        const text = (
          r.str(value) ??
          r.str(r.get(value, 'type')) ??
          referencedNames(r, r.get(value, 'arn')).join(' ')
        ).toLowerCase();
        trigger = text.includes('kinesis') ? 'kinesis' : 'dynamodb-stream';
      }
      if (!fn.triggers.includes(trigger)) fn.triggers.push(trigger);
      if (USER_FACING_EVENTS.has(type)) fn.userFacing = true;
      const eventPath = ['functions', name, 'events', String(index), type];
      if (type === 'sqs') {
        const arn = r.map(value) ? r.get(value, 'arn') : value;
        model.sqsSources.push({
          file: ctx.file,
          format: 'serverless',
          span: r.keySpan(eventPair),
          path: eventPath,
          functionId: name,
          maxConcurrency: r.get(value, 'maximumConcurrency') !== undefined,
          queueRefs: refs(arn),
          shorthand: r.map(value) === undefined,
        });
      }
      if (type === 'eventBridge') readEventBridgeEvent(ctx, value, eventPath, model, fn);
      if (type === 'schedule') {
        schedules.push({
          fnId: name,
          warmWords: mentionsWarming(
            name,
            textOf(r.get(value, 'input')),
            r.str(r.get(value, 'name')),
            r.str(r.get(value, 'description')),
          ),
        });
      }
      if (type === 'stream') {
        // a stream event's failed batches go to its on-failure destination
        const streamOnFailure = r.get(value, 'destinations', 'onFailure');
        const target =
          streamOnFailure && refs(r.map(streamOnFailure) ? r.get(streamOnFailure, 'arn') : streamOnFailure);
        if (target) {
          model.dlqRefs.push(...target);
          model.streamFailureRefs.push(...target);
        }
        const retries = r.get(value, 'maximumRetryAttempts');
        const bisect = r.get(value, 'bisectBatchOnFunctionError');
        model.streamSources.push({
          file: ctx.file,
          format: 'serverless',
          span: r.keySpan(eventPair),
          path: eventPath,
          functionId: name,
          stream: trigger === 'kinesis' ? 'kinesis' : 'dynamodb-stream',
          retryLimit: retries !== undefined && r.num(retries) !== -1,
          bisect: bisect !== undefined && r.bool(bisect) !== false,
          onFailure: streamOnFailure !== undefined,
        });
      }
    });
    model.functions.push(fn);
    if (split && handlerFile) {
      model.handlers.push({
        file: handlerFile,
        exportName: split.exportName,
        triggers: [...fn.triggers],
        functionName: name,
        source: 'iac',
        declaredAt: { file: ctx.file, line: fn.span.line },
      });
    }
  }

  readLiftQueues(ctx, model);
  const fnById = new Map(model.functions.map((f) => [f.id, f]));
  markWarmed(schedules, fnById);
  for (const fn of model.functions) fn.asyncTriggers = asyncTriggersOf(fn, ASYNC_TRIGGERS);

  const resources = r.get(root, 'resources');
  const blocks: Array<{ node: Node | undefined; path: string[] }> = r.seq(resources)
    ? r
        .items(resources)
        .map((item, i) => ({ node: r.get(item, 'Resources'), path: ['resources', String(i), 'Resources'] }))
    : [{ node: r.get(resources, 'Resources'), path: ['resources', 'Resources'] }];
  for (const b of blocks) {
    if (!b.node) continue;
    readCfnResources(
      { r, file: ctx.file, dir: ctx.dir, format: 'serverless', repoFiles: ctx.repoFiles, resourcesPath: b.path },
      b.node,
      model,
    );
    // a custom resource whose ServiceToken is one of the service's functions (`FooLambdaFunction`)
    for (const token of customResourceTokens(r, b.node)) {
      const fn = model.functions.find((f) => f.path[0] === 'functions' && serverlessLogicalId(f.id) === token);
      if (fn) fn.customResource = true;
    }
  }
  return model;
}

/**
 * serverless-lift `constructs:` of `type: queue`: the queue and its DLQ are lift's, so the model
 * keeps the construct (for its alarm) and its worker's handler (an SQS consumer).
 */
function readLiftQueues(ctx: ServerlessReadContext, model: IacModel): void {
  const { r } = ctx;
  for (const { key: name, value, pair } of r.entries(r.get(r.doc.contents, 'constructs'))) {
    if (r.str(r.get(value, 'type')) !== 'queue') continue;
    model.liftQueues.push({
      file: ctx.file,
      format: 'serverless',
      span: r.keySpan(pair),
      path: ['constructs', name],
      id: name,
      alarm: r.get(value, 'alarm') !== undefined,
    });
    const split = splitHandler(r.str(r.get(value, 'worker', 'handler')) ?? '');
    if (!split) continue;
    model.handlers.push({
      file: resolveModuleFile(joinRel(ctx.dir, split.module), ctx.repoFiles),
      exportName: split.exportName,
      triggers: ['sqs'],
      functionName: `${name}Worker`,
      source: 'iac',
      declaredAt: { file: ctx.file, line: r.keySpan(pair).line },
    });
  }
}

/** a value's data as text (`input: { source: warmer }`), for telling warm-up pings from jobs */
function textOf(node: Node | undefined): string | undefined {
  return node === undefined ? undefined : JSON.stringify(node.toJSON());
}

/** The Serverless Framework's logical id of a function: `my-fn` → `MyDashfnLambdaFunction`. */
export function serverlessLogicalId(name: string): string {
  const normalized = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return `${normalized.charAt(0).toUpperCase()}${normalized.slice(1)}LambdaFunction`;
}

/** `package.patterns` plus the legacy `include` / `exclude` (as `!pattern`), in order. */
function packagePatterns(r: YamlReader, pkg: Node | undefined): string[] {
  const list = (k: string) =>
    r
      .items(r.get(pkg, k))
      .map((i) => r.str(i))
      .filter((s): s is string => s !== undefined);
  return [...list('include'), ...list('exclude').map((p) => `!${p}`), ...list('patterns')];
}

/**
 * `eventBridge: { eventBus: orders }`: a bus given by plain name is created by the framework;
 * an ARN or a variable points at one declared elsewhere.
 */
function readEventBridgeEvent(
  ctx: ServerlessReadContext,
  value: Node | undefined,
  path: string[],
  model: IacModel,
  fn: IacFunction,
): void {
  const { r } = ctx;
  const busPair = r.pair(value, 'eventBus');
  const busName = busPair ? r.str(busPair.value) : undefined;
  if (busPair && busName && !busName.startsWith('arn:') && !busName.includes('${') && busName !== 'default') {
    if (!model.buses.some((b) => b.name === busName))
      model.buses.push({
        file: ctx.file,
        format: 'serverless',
        span: r.keySpan(busPair),
        path,
        id: busName,
        name: busName,
      });
  }
  const dlq = r.get(value, 'deadLetterQueueArn');
  if (dlq) {
    fn.onFailure = true;
    model.dlqRefs.push(...referencedIds(r, dlq), ...referencedNames(r, dlq));
  }
}
