import type { Node } from 'yaml';
import type { LambdaTrigger } from '../discovery/discovery-types';
import { readCfnResources } from './cfn-model';
import { joinRel, resolveModuleFile, splitHandler } from './handler-paths';
import { ASYNC_TRIGGERS, emptyModel, type IacFunction, type IacModel } from './iac-model';
import { referencedIds, referencedNames } from './intrinsics';
import type { YamlReader } from './yaml-nodes';

const EVENT_TRIGGERS: Record<string, LambdaTrigger> = {
  http: 'http', httpApi: 'http', alb: 'http', websocket: 'http', sqs: 'sqs', sns: 'sns', s3: 's3',
  schedule: 'schedule', eventBridge: 'eventbridge', cloudwatchEvent: 'eventbridge',
};

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
  const refs = (n: unknown) => [...referencedIds(r, n), ...referencedNames(r, n)];

  for (const { key: name, value: def, pair } of r.entries(r.get(root, 'functions'))) {
    const fn: IacFunction = {
      file: ctx.file, format: 'serverless', span: r.keySpan(pair), path: ['functions', name], id: name,
      reservedConcurrency: r.get(def, 'reservedConcurrency') !== undefined,
      triggers: [], asyncTriggers: [], onFailure: false,
    };
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
        const text = (r.str(value) ?? r.str(r.get(value, 'type')) ?? referencedNames(r, r.get(value, 'arn')).join(' ')).toLowerCase();
        trigger = text.includes('kinesis') ? 'kinesis' : 'dynamodb-stream';
      }
      if (!fn.triggers.includes(trigger)) fn.triggers.push(trigger);
      const eventPath = ['functions', name, 'events', String(index), type];
      if (type === 'sqs') {
        model.sqsSources.push({
          file: ctx.file, format: 'serverless', span: r.keySpan(eventPair), path: eventPath, functionId: name,
          maxConcurrency: r.get(value, 'maximumConcurrency') !== undefined,
          shorthand: r.map(value) === undefined,
        });
      }
      if (type === 'eventBridge') readEventBridgeEvent(ctx, value, eventPath, model, fn);
    });
    fn.asyncTriggers = fn.triggers.filter((t) => ASYNC_TRIGGERS.includes(t));
    model.functions.push(fn);
    const split = splitHandler(r.str(r.get(def, 'handler')) ?? '');
    if (split) {
      model.handlers.push({
        file: resolveModuleFile(joinRel(ctx.dir, split.module), ctx.repoFiles), exportName: split.exportName,
        triggers: [...fn.triggers], functionName: name, source: 'iac', declaredAt: { file: ctx.file, line: fn.span.line },
      });
    }
  }

  const resources = r.get(root, 'resources');
  const blocks: Array<{ node: Node | undefined; path: string[] }> = r.seq(resources)
    ? r.items(resources).map((item, i) => ({ node: r.get(item, 'Resources'), path: ['resources', String(i), 'Resources'] }))
    : [{ node: r.get(resources, 'Resources'), path: ['resources', 'Resources'] }];
  for (const b of blocks) {
    if (!b.node) continue;
    readCfnResources({ r, file: ctx.file, dir: ctx.dir, format: 'serverless', repoFiles: ctx.repoFiles, resourcesPath: b.path }, b.node, model);
  }
  return model;
}

/**
 * `eventBridge: { eventBus: orders }`: a bus given by plain name is created by the framework;
 * an ARN or a variable points at one declared elsewhere.
 */
function readEventBridgeEvent(ctx: ServerlessReadContext, value: Node | undefined, path: string[], model: IacModel, fn: IacFunction): void {
  const { r } = ctx;
  const busPair = r.pair(value, 'eventBus');
  const busName = busPair ? r.str(busPair.value) : undefined;
  if (busPair && busName && !busName.startsWith('arn:') && !busName.includes('${') && busName !== 'default') {
    if (!model.buses.some((b) => b.name === busName)) {
      model.buses.push({ file: ctx.file, format: 'serverless', span: r.keySpan(busPair), path, id: busName, name: busName });
    }
  }
  const dlq = r.get(value, 'deadLetterQueueArn');
  if (dlq) {
    fn.onFailure = true;
    model.dlqRefs.push(...referencedIds(r, dlq), ...referencedNames(r, dlq));
  }
}
