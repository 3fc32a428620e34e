import path from 'node:path';
import type { NewExpression, Node, Program } from '@babel/types';
import type { LambdaTrigger } from '../discovery/discovery-types';
import { languageOf } from '../parse/parse-options';
import { parseSource } from '../parse/parse-source';
import { calledHelper, depthAlarmHelpers, helperTemplates } from './cdk-helpers';
import { bindingKey, ctorName, durationDays, numberValue, prop, propValue, stringValue, walk } from './cdk-ast';
import { joinRel, resolveModuleFile, splitHandler } from './handler-paths';
import {
  ASYNC_TRIGGERS,
  emptyModel,
  FIFO_QUEUE_NAME,
  type IacFunction,
  type IacModel,
  type IacSpan,
  type IacStreamSource,
} from './iac-model';
import type { FileNote, IacInputFile } from '../types';
import { AsyncSources } from './async-sources';
import { asyncTriggersOf, isWarmUp, markWarmed, mentionsWarming, type ScheduleInvoke } from './warmers';

/** `new sqs.Queue(this, 'Q', { fifo: true })` or a `queueName` ending `.fifo` (CDK then makes it FIFO too). */
function isFifoQueue(props: Node | undefined): boolean {
  const fifo = propValue(props, 'fifo');
  if (fifo?.type === 'BooleanLiteral' && fifo.value) return true;
  return FIFO_QUEUE_NAME.test(stringValue(propValue(props, 'queueName')) ?? '');
}

const FUNCTION_CTORS = new Set(['Function', 'NodejsFunction', 'DockerImageFunction']);
/** constructs a helper of the file may make for its callers */
const HELPER_CTORS = new Set([...FUNCTION_CTORS, 'Queue']);
/** constructs that put a function behind a caller who waits: `new X(fn)`, `new X(id, fn)` or `{ handler: fn }` */
const USER_FACING_CTORS: Record<string, 'arg0' | 'arg1' | 'handler'> = {
  LambdaIntegration: 'arg0',
  HttpLambdaIntegration: 'arg1',
  WebSocketLambdaIntegration: 'arg1',
  HttpLambdaAuthorizer: 'arg1',
  WebSocketLambdaAuthorizer: 'arg1',
  LambdaRestApi: 'handler',
  TokenAuthorizer: 'handler',
  RequestAuthorizer: 'handler',
  LambdaTarget: 'arg0',
};
/** where a stream event source or an async invoke sends failed records/events: `onFailure: new SqsDlq(q)` */
const FAILURE_DESTINATIONS = new Set([
  'SqsDlq',
  'SnsDlq',
  'SqsDestination',
  'SnsDestination',
  'LambdaDestination',
  'EventBridgeDestination',
  'S3OnFailureDestination',
]);
const EVENT_SOURCE_TRIGGERS: Record<string, LambdaTrigger> = {
  SqsEventSource: 'sqs',
  SnsEventSource: 'sns',
  S3EventSource: 's3',
  S3EventSourceV2: 's3',
  DynamoEventSource: 'dynamodb-stream',
  KinesisEventSource: 'kinesis',
  ApiEventSource: 'http',
};

/** Methods that subscribe a function to a bucket's or a topic's events, invoking it asynchronously. */
const NOTIFYING_METHODS: Record<string, { ctor: string; trigger: LambdaTrigger }> = {
  addEventNotification: { ctor: 'LambdaDestination', trigger: 's3' },
  addObjectCreatedNotification: { ctor: 'LambdaDestination', trigger: 's3' },
  addObjectRemovedNotification: { ctor: 'LambdaDestination', trigger: 's3' },
  addSubscription: { ctor: 'LambdaSubscription', trigger: 'sns' },
};

interface Construct {
  ctor: string;
  id: string;
  node: NewExpression;
  /** made by a helper of the file: the call that made it (reported there) and the helper's name */
  at?: Node;
  helper?: string;
}

function spanOf(node: Node): IacSpan {
  const loc = node.loc!;
  return { line: loc.start.line, column: loc.start.column + 1, endLine: loc.end.line, endColumn: loc.end.column + 1 };
}

/** `new X(scope, 'Id', props)` with a literal id: the constructs we model */
function constructOf(node: Node): Construct | null {
  if (node.type !== 'NewExpression') return null;
  const ctor = ctorName(node.callee);
  const id = stringValue(node.arguments[1] as Node | undefined);
  const scope = node.arguments[0]?.type;
  if (
    !ctor ||
    id === undefined ||
    !(scope === 'ThisExpression' || scope === 'Identifier' || scope === 'MemberExpression')
  )
    return null;
  return { ctor, id, node };
}

/** Where relative NodejsFunction entries resolve from: the nearest cdk.json above the file, else the root. */
export function cdkAppDir(file: string, repoFiles: ReadonlySet<string>): string {
  let dir = path.posix.dirname(file);
  for (;;) {
    if (repoFiles.has(joinRel(dir, 'cdk.json'))) return dir === '.' ? '' : dir;
    if (dir === '.' || dir === '' || dir === '/') return '';
    dir = path.posix.dirname(dir);
  }
}

/** `'src/x.ts'` or `path.join(__dirname, '../src/x.ts')` → a root-relative path */
function pathExpr(node: Node | undefined, file: string, appDir: string): string | undefined {
  const literal = stringValue(node);
  if (literal !== undefined) return joinRel(appDir, literal);
  if (
    node?.type === 'CallExpression' &&
    node.callee.type === 'MemberExpression' &&
    node.arguments[0]?.type === 'Identifier' &&
    node.arguments[0].name === '__dirname'
  ) {
    const parts = node.arguments.slice(1).map((a) => stringValue(a as Node));
    if (parts.every((p): p is string => p !== undefined)) return joinRel(path.posix.dirname(file), ...parts);
  }
  return undefined;
}

/** `lambda.Runtime.NODEJS_18_X` → `nodejs18.x`; `new Runtime('nodejs20.x')`; NODEJS_LATEST → `nodejs-latest` */
function runtimeOf(node: Node | undefined): string | undefined {
  if (node?.type === 'MemberExpression' && node.property.type === 'Identifier') {
    const m = /^NODEJS_(\d+)_X$/.exec(node.property.name);
    if (m) return `nodejs${m[1]}.x`;
    if (node.property.name === 'NODEJS_LATEST') return 'nodejs-latest';
    if (node.property.name === 'NODEJS') return 'nodejs';
    return node.property.name.toLowerCase();
  }
  if (node?.type === 'NewExpression') return stringValue(node.arguments[0] as Node | undefined);
  return undefined;
}

/** The nearest directory at or above `dir` (within the root) holding a package.json, else `fallback`. */
function packageDirOf(dir: string, repoFiles: ReadonlySet<string>, fallback: string): string {
  for (let d = dir; ; d = path.posix.dirname(d)) {
    const here = d === '.' ? '' : d;
    if (repoFiles.has(joinRel(here, 'package.json'))) return here;
    if (d === '.' || d === '' || d === '/') return fallback;
  }
}

/** An AWS CDK stack in TypeScript/JavaScript: queues, functions, event sources, buses, archives, alarms. */
/** The CDK model of a stack file, and its parsed program (the reliability settings are read from the same parse). */
export function readCdk(
  file: IacInputFile,
  repoFiles: ReadonlySet<string>,
): { model: IacModel; program: Program } | { note: FileNote } {
  const lang = languageOf(file.path) ?? 'ts';
  const parsed = parseSource(file.text, lang);
  if (!parsed.ok)
    return { note: { file: file.path, kind: 'parse-error', message: parsed.error.message, line: parsed.error.line } };
  const model = emptyModel(file.path, 'cdk');
  const bindings = new Map<string, Construct>();
  const constructs: Construct[] = [];
  const templates = helperTemplates(parsed.ast.program, HELPER_CTORS);
  /** the constructs a helper call makes, and the one it returns */
  const viaHelper = (n: Node): { made: Construct[]; returned: Construct | null } => {
    const name = n.type === 'CallExpression' ? calledHelper(n) : null;
    const list = name ? templates.get(name) : undefined;
    if (!list || n.type !== 'CallExpression') return { made: [], returned: null };
    const made = list.flatMap((t) => {
      const value = stringValue(n.arguments[t.paramIndex] as Node | undefined);
      return value === undefined
        ? []
        : [{ ctor: t.ctor, id: t.idOf(value), node: t.node, at: n, helper: t.helper, returned: t.returned }];
    });
    return { made, returned: made.find((m) => m.returned) ?? null };
  };
  const bound = (init: Node): Construct | null => constructOf(init) ?? viaHelper(init).returned;
  walk(parsed.ast.program, (n) => {
    const c = constructOf(n);
    if (c) constructs.push(c);
    constructs.push(...viaHelper(n).made);
    if (n.type === 'VariableDeclarator' && n.init) {
      const cc = bound(n.init);
      const key = bindingKey(n.id);
      if (cc && key) bindings.set(key, cc);
    }
    if (n.type === 'AssignmentExpression') {
      const cc = bound(n.right);
      const key = bindingKey(n.left);
      if (cc && key) bindings.set(key, cc);
    }
  });
  const idOf = (e: Node | null | undefined): string | null => {
    const key = bindingKey(e);
    const b = key ? bindings.get(key) : undefined;
    if (b) return b.id;
    const inline = e ? constructOf(e) : null;
    return inline ? inline.id : null;
  };
  const where = (c: Construct) => ({
    file: file.path,
    format: 'cdk' as const,
    span: spanOf(c.at ?? c.node),
    path: [c.id],
    ...(c.helper ? { helper: c.helper } : {}),
  });
  const fnById = new Map<string, IacFunction>();
  const appDir = cdkAppDir(file.path, repoFiles);
  readHelperCalls(parsed.ast.program, file.path, repoFiles, idOf, model);

  for (const c of constructs) {
    const props = c.node.arguments[2] as Node | undefined;
    if (c.ctor === 'Queue') {
      const dlq = propValue(props, 'deadLetterQueue');
      const target = idOf(propValue(dlq, 'queue'));
      if (target) model.dlqRefs.push(target);
      model.queues.push({
        ...where(c),
        id: c.id,
        name: stringValue(propValue(props, 'queueName')),
        redrive: dlq ? { maxReceiveCount: numberValue(propValue(dlq, 'maxReceiveCount')) ?? null } : null,
        ...(isFifoQueue(props) ? { fifo: true } : {}),
      });
    } else if (FUNCTION_CTORS.has(c.ctor) && (props === undefined || props.type === 'ObjectExpression')) {
      const fn: IacFunction = {
        ...where(c),
        id: c.id,
        reservedConcurrency: prop(props, 'reservedConcurrentExecutions') !== undefined,
        triggers: [],
        asyncTriggers: [],
        onFailure: false,
        runtime: runtimeOf(propValue(props, 'runtime')),
      };
      if (prop(props, 'functionUrl') !== undefined) fn.userFacing = true;
      for (const k of ['deadLetterQueue', 'onFailure']) {
        const v = propValue(props, k);
        if (v) {
          fn.onFailure = true;
          const target = idOf(v) ?? idOf(v.type === 'NewExpression' ? (v.arguments[0] as Node) : null);
          if (target) model.dlqRefs.push(target);
        }
      }
      if (prop(props, 'deadLetterQueueEnabled')) fn.onFailure = true;
      fnById.set(c.id, fn);
      model.functions.push(fn);
      const handlerSpec = stringValue(propValue(props, 'handler'));
      if (c.ctor === 'NodejsFunction') {
        const entry = pathExpr(propValue(props, 'entry'), file.path, appDir);
        if (entry)
          model.handlers.push({
            file: resolveModuleFile(entry, repoFiles),
            exportName: handlerSpec ?? 'handler',
            triggers: [],
            functionName: c.id,
            source: 'iac',
            declaredAt: { file: file.path, line: fn.span.line },
          });
        // esbuild bundles from the entry; dependencies come from its project (projectRoot, else the nearest package.json)
        const root = pathExpr(propValue(props, 'projectRoot'), file.path, appDir);
        const dir = root ?? (entry ? packageDirOf(path.posix.dirname(entry), repoFiles, appDir) : appDir);
        fn.code = { dir, bundled: true, declared: `NodejsFunction entry ${entry ?? '(default)'}` };
      } else {
        const code = propValue(props, 'code');
        const method =
          code?.type === 'CallExpression' &&
          code.callee.type === 'MemberExpression' &&
          code.callee.property.type === 'Identifier'
            ? code.callee.property.name
            : undefined;
        const isAsset = method === 'fromAsset' || method === 'asset';
        const asset =
          code?.type === 'CallExpression' && isAsset
            ? pathExpr(code.arguments[0] as Node | undefined, file.path, appDir)
            : undefined;
        const split = handlerSpec ? splitHandler(handlerSpec) : null;
        if (asset && split)
          model.handlers.push({
            file: resolveModuleFile(joinRel(asset, split.module), repoFiles),
            exportName: split.exportName,
            triggers: [],
            functionName: c.id,
            source: 'iac',
            declaredAt: { file: file.path, line: fn.span.line },
          });
        if (c.ctor !== 'DockerImageFunction') {
          const options = code?.type === 'CallExpression' ? (code.arguments[1] as Node | undefined) : undefined;
          fn.code =
            asset !== undefined
              ? { dir: asset, bundled: prop(options, 'bundling') !== undefined, declared: `Code.${method}('${asset}')` }
              : { dir: null, bundled: false, declared: method ? `Code.${method}(...)` : 'code computed at synth time' };
        }
      }
    } else if (c.ctor === 'EventBus') {
      model.buses.push({ ...where(c), id: c.id, name: stringValue(propValue(props, 'eventBusName')) });
    } else if (c.ctor === 'Archive') {
      const bus = idOf(propValue(props, 'sourceEventBus'));
      model.archives.push({ ...where(c), id: c.id, sourceRefs: bus ? [bus] : [], retentionDays: retention(props) });
    } else if (c.ctor === 'Alarm') {
      model.alarms.push({ file: file.path, ...alarmRefs(c.node, idOf) });
    }
  }

  const addTrigger = (fnId: string | null, t: LambdaTrigger) => {
    const fn = fnId ? fnById.get(fnId) : undefined;
    if (fn && !fn.triggers.includes(t)) fn.triggers.push(t);
  };
  const schedules: ScheduleInvoke[] = [];
  const gaps: RuleGapSeen[] = [];
  const callers = new AsyncSources();
  /** an async invoke configuration of a function: its on-failure destination */
  const markOnFailure = (fnExpr: Node | null | undefined, opts: Node | undefined) => {
    const fn = fnById.get(idOf(fnExpr) ?? '');
    const dest = propValue(opts, 'onFailure');
    if (!fn || !dest) return;
    fn.onFailure = true;
    const target = failureTarget(dest, idOf);
    if (target) model.dlqRefs.push(target);
  };
  const markFn = (fnId: string | null, flag: 'userFacing' | 'customResource') => {
    const fn = fnId ? fnById.get(fnId) : undefined;
    if (fn) fn[flag] = true;
  };
  walk(parsed.ast.program, (n, ancestors) => {
    // fn.addEventSource(new SqsEventSource(q, {...})) and `events: [new SqsEventSource(...)]`
    if (n.type === 'NewExpression') {
      const ctor = ctorName(n.callee);
      const trigger = ctor ? EVENT_SOURCE_TRIGGERS[ctor] : undefined;
      if (trigger) {
        const fnId = eventSourceOwner(ancestors, idOf);
        addTrigger(fnId, trigger);
        if (ASYNC_TRIGGERS.includes(trigger)) callers.other(fnId);
        if (ctor === 'KinesisEventSource' || ctor === 'DynamoEventSource') {
          const opts = n.arguments[1] as Node | undefined;
          const target = failureTarget(propValue(opts, 'onFailure'), idOf);
          if (target) {
            model.dlqRefs.push(target);
            model.streamFailureRefs.push(target);
          }
          const retries = propValue(opts, 'retryAttempts') ?? propValue(opts, 'maxRetryAttempts');
          const bisect = propValue(opts, 'bisectBatchOnError');
          model.streamSources.push({
            file: file.path,
            format: 'cdk',
            span: spanOf(n),
            path: [fnId ?? '?', ctor, idOf(n.arguments[0] as Node) ?? '?'],
            functionId: fnId ?? 'unknown',
            stream: trigger as IacStreamSource['stream'],
            retryLimit: retries !== undefined && !(retries.type === 'UnaryExpression' && retries.operator === '-'),
            bisect: bisect !== undefined && !(bisect.type === 'BooleanLiteral' && !bisect.value),
            onFailure: propValue(opts, 'onFailure') !== undefined,
          });
        }
        if (ctor === 'SqsEventSource') {
          const queue = idOf(n.arguments[0] as Node);
          model.sqsSources.push({
            file: file.path,
            format: 'cdk',
            span: spanOf(n),
            path: [fnId ?? '?', 'SqsEventSource', queue ?? '?'],
            functionId: fnId ?? queue ?? 'unknown',
            maxConcurrency: prop(n.arguments[1] as Node | undefined, 'maxConcurrency') !== undefined,
            queueRefs: queue ? [queue] : [],
          });
        }
      }
      const facing = ctor ? USER_FACING_CTORS[ctor] : undefined;
      if (facing) {
        const target =
          facing === 'handler'
            ? propValue(n.arguments[2] as Node | undefined, 'handler')
            : (n.arguments[facing === 'arg0' ? 0 : 1] as Node | undefined);
        markFn(idOf(target), 'userFacing');
      }
      if (ctor === 'UserPool') {
        const triggers = propValue(n.arguments[2] as Node | undefined, 'lambdaTriggers');
        if (triggers?.type === 'ObjectExpression')
          for (const t of triggers.properties)
            if (t.type === 'ObjectProperty') markFn(idOf(t.value as Node), 'userFacing');
      }
      if (ctor === 'Provider') {
        markFn(idOf(propValue(n.arguments[2] as Node | undefined, 'onEventHandler')), 'customResource');
        markFn(idOf(propValue(n.arguments[2] as Node | undefined, 'isCompleteHandler')), 'customResource');
      }
      if (ctor === 'CustomResource') {
        const token = propValue(n.arguments[2] as Node | undefined, 'serviceToken');
        if (token?.type === 'MemberExpression') markFn(idOf(token.object), 'customResource');
      }
      if (ctor === 'LambdaFunction') {
        const rule = ruleOf(ancestors, bindings);
        if (rule) {
          const fnId = idOf(n.arguments[0] as Node);
          const scheduled = prop(rule.node.arguments[2] as Node, 'schedule') !== undefined;
          addTrigger(fnId, scheduled ? 'schedule' : 'eventbridge');
          if (scheduled && fnId)
            schedules.push({ fnId, warmWords: mentionsWarming(rule.id, file.text.slice(n.start ?? 0, n.end ?? 0)) });
        }
      }
      if (ctor === 'Rule') ruleGap(n, model, gaps, callers, file.text, idOf);
      if (ctor === 'EventInvokeConfig')
        markOnFailure(propValue(n.arguments[2] as Node | undefined, 'function'), n.arguments[2] as Node | undefined);
    }
    if (
      n.type === 'CallExpression' &&
      n.callee.type === 'MemberExpression' &&
      n.callee.property.type === 'Identifier'
    ) {
      const method = n.callee.property.name;
      if (method === 'archive') {
        const bus = idOf(n.callee.object);
        const archiveId = stringValue(n.arguments[0] as Node) ?? 'Archive';
        if (bus)
          model.archives.push({
            file: file.path,
            format: 'cdk',
            id: archiveId,
            span: spanOf(n),
            path: [archiveId],
            sourceRefs: [bus],
            retentionDays: retention(n.arguments[1] as Node | undefined),
          });
      }
      if (method === 'addFunctionUrl') markFn(idOf(n.callee.object), 'userFacing');
      // bucket.addEventNotification(type, new LambdaDestination(fn)), topic.addSubscription(new LambdaSubscription(fn)): async invokes
      const notified = NOTIFYING_METHODS[method];
      if (notified) {
        for (const arg of n.arguments) {
          if (arg.type !== 'NewExpression' || ctorName(arg.callee) !== notified.ctor) continue;
          const fnId = idOf(arg.arguments[0] as Node);
          addTrigger(fnId, notified.trigger);
          callers.other(fnId);
        }
      }
      // a Cognito trigger runs inside a user's sign-up or sign-in
      if (method === 'addTrigger' && n.arguments.length === 2) markFn(idOf(n.arguments[1] as Node), 'userFacing');
      if (method === 'createAlarm' && n.callee.object.type === 'CallExpression') {
        model.alarms.push({ file: file.path, ...alarmRefs(n.callee.object, idOf) });
      }
      if (method === 'addTarget' && n.arguments[0]?.type === 'NewExpression') {
        const target = n.arguments[0];
        if (!prop(target.arguments[1] as Node | undefined, 'deadLetterQueue')) {
          const ruleId = idOf(n.callee.object);
          const rule = constructs.find((x) => x.id === ruleId && x.ctor === 'Rule');
          if (ruleId)
            gaps.push({
              ruleId,
              span: rule ? spanOf(rule.node) : spanOf(n),
              fnId: lambdaTarget(target, idOf),
              ping: rule ? pingOf(rule.node, target, file.text, idOf) : null,
            });
        } else {
          model.dlqRefs.push(idOf(propValue(target.arguments[1] as Node, 'deadLetterQueue')) ?? '');
          callers.rule(lambdaTarget(target, idOf), true);
        }
      }
      // fn.configureAsyncInvoke({ onFailure: new SqsDestination(q) })
      if (method === 'configureAsyncInvoke') markOnFailure(n.callee.object, n.arguments[0] as Node | undefined);
    }
  });
  // a scheduled rule's warm-up pings need no DLQ; known once every function's callers are
  for (const g of gaps) {
    if (g.ping && isWarmUp(g.ping, fnById)) continue;
    bumpRule(model, g.ruleId, g.span, file.path, g.fnId);
    callers.rule(g.fnId, false);
  }
  markWarmed(schedules, fnById);
  callers.settle(fnById);
  for (const fn of model.functions) {
    fn.asyncTriggers = asyncTriggersOf(fn, ASYNC_TRIGGERS);
    const h = model.handlers.find((x) => x.functionName === fn.id);
    if (h) h.triggers = [...fn.triggers];
  }
  model.dlqRefs = model.dlqRefs.filter(Boolean);
  return { model, program: parsed.ast.program };
}

function isCall(n: Node, method: string): boolean {
  return (
    n.type === 'CallExpression' &&
    n.callee.type === 'MemberExpression' &&
    n.callee.property.type === 'Identifier' &&
    n.callee.property.name === method
  );
}

function retention(props: Node | undefined): number | null {
  const v = propValue(props, 'retention');
  return v ? (durationDays(v) ?? null) : null;
}

function alarmRefs(
  node: Node,
  idOf: (e: Node | null | undefined) => string | null,
): { refs: string[]; metrics: string[] } {
  const refs: string[] = [];
  const metrics: string[] = [];
  walk(node, (n) => {
    if (
      n.type === 'CallExpression' &&
      n.callee.type === 'MemberExpression' &&
      n.callee.property.type === 'Identifier'
    ) {
      const m = /^metric(ApproximateNumberOfMessagesVisible)$/.exec(n.callee.property.name);
      if (m) {
        metrics.push(m[1]!);
        const q = idOf(n.callee.object);
        if (q) refs.push(q);
      }
    }
    if (n.type === 'StringLiteral') metrics.push(n.value);
    if (n.type === 'MemberExpression' && n.property.type === 'Identifier' && n.property.name === 'queueName') {
      const q = idOf(n.object);
      if (q) refs.push(q);
    }
  });
  return { refs, metrics };
}

/** the function an event source is attached to: `fn.addEventSource(...)` or the `events` prop of `new Function(...)` */
function eventSourceOwner(ancestors: Node[], idOf: (e: Node | null | undefined) => string | null): string | null {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (
      a.type === 'CallExpression' &&
      a.callee.type === 'MemberExpression' &&
      a.callee.property.type === 'Identifier' &&
      a.callee.property.name === 'addEventSource'
    )
      return idOf(a.callee.object);
    if (a.type === 'NewExpression' && FUNCTION_CTORS.has(ctorName(a.callee) ?? ''))
      return stringValue(a.arguments[1] as Node) ?? null;
  }
  return null;
}

/** a rule target without a dead-letter queue; a scheduled rule's function target carries its ping */
interface RuleGapSeen {
  ruleId: string;
  span: IacSpan;
  /** the function of a LambdaFunction target */
  fnId: string | null;
  ping: ScheduleInvoke | null;
}

/** `new LambdaFunction(fn)` → the function's construct id */
function lambdaTarget(target: NewExpression, idOf: (e: Node | null | undefined) => string | null): string | null {
  return ctorName(target.callee) === 'LambdaFunction' ? idOf(target.arguments[0] as Node) : null;
}

/** the queue (or topic) of `new SqsDlq(q)`, `new SqsDestination(q)`, or a queue given directly */
function failureTarget(dest: Node | undefined, idOf: (e: Node | null | undefined) => string | null): string | null {
  if (!dest) return null;
  if (dest.type === 'NewExpression' && FAILURE_DESTINATIONS.has(ctorName(dest.callee) ?? ''))
    return idOf(dest.arguments[0] as Node);
  return idOf(dest);
}

/** the Rule a target is added to: inside `new Rule(..., { targets: [...] })` or `rule.addTarget(...)` */
function ruleOf(ancestors: Node[], bindings: ReadonlyMap<string, Construct>): Construct | null {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (a.type === 'NewExpression' && ctorName(a.callee) === 'Rule') return constructOf(a);
    if (isCall(a, 'addTarget') && a.type === 'CallExpression' && a.callee.type === 'MemberExpression') {
      const key = bindingKey(a.callee.object);
      const c = key ? bindings.get(key) : undefined;
      return c?.ctor === 'Rule' ? c : null;
    }
  }
  return null;
}

/** a scheduled rule's Lambda target: the warm-up ping it may be */
function pingOf(
  rule: NewExpression,
  target: NewExpression,
  text: string,
  idOf: (e: Node | null | undefined) => string | null,
): ScheduleInvoke | null {
  if (
    ctorName(target.callee) !== 'LambdaFunction' ||
    prop(rule.arguments[2] as Node | undefined, 'schedule') === undefined
  )
    return null;
  const fnId = idOf(target.arguments[0] as Node);
  return fnId
    ? {
        fnId,
        warmWords: mentionsWarming(
          stringValue(rule.arguments[1] as Node),
          text.slice(target.start ?? 0, target.end ?? 0),
        ),
      }
    : null;
}

function ruleGap(
  rule: NewExpression,
  model: IacModel,
  gaps: RuleGapSeen[],
  callers: AsyncSources,
  text: string,
  idOf: (e: Node | null | undefined) => string | null,
): void {
  const id = stringValue(rule.arguments[1] as Node);
  const targets = propValue(rule.arguments[2] as Node | undefined, 'targets');
  if (!id || targets?.type !== 'ArrayExpression') return;
  for (const t of targets.elements) {
    if (t?.type !== 'NewExpression') continue;
    const dlq = propValue(t.arguments[1] as Node | undefined, 'deadLetterQueue');
    if (dlq) {
      model.dlqRefs.push(idOf(dlq) ?? '');
      callers.rule(lambdaTarget(t, idOf), true);
    } else
      gaps.push({ ruleId: id, span: spanOf(rule), fnId: lambdaTarget(t, idOf), ping: pingOf(rule, t, text, idOf) });
  }
}

function bumpRule(model: IacModel, id: string, span: IacSpan, file: string, fnId: string | null): void {
  let rule = model.rules.find((r) => r.id === id);
  if (rule) rule.targetsWithoutDlq++;
  else
    model.rules.push((rule = { file, format: 'cdk', span, path: [id], id, targetsWithoutDlq: 1, targetFunctions: [] }));
  if (fnId) rule.targetFunctions = [...(rule.targetFunctions ?? []), fnId];
}

/**
 * Calls that hand constructs to a function of this file or of a relative import, and this file's
 * own queue-depth alarm helpers: matched across files by the checks (an alarm helper in
 * `lib/monitoring.ts` watches the queues a stack passes to it).
 */
function readHelperCalls(
  program: Node,
  file: string,
  repoFiles: ReadonlySet<string>,
  idOf: (e: Node | null | undefined) => string | null,
  model: IacModel,
): void {
  const imported = new Map<string, string>();
  walk(program, (n) => {
    if (n.type === 'ImportDeclaration' && n.source.value.startsWith('.')) {
      const from = resolveModuleFile(joinRel(path.posix.dirname(file), n.source.value), repoFiles);
      for (const sp of n.specifiers) imported.set(sp.local.name, from);
    }
  });
  const calls: IacModel['helperCalls'] = [];
  walk(program, (n) => {
    if (n.type !== 'CallExpression') return;
    const args = n.arguments.map((a) => idOf(a as Node));
    if (!args.some(Boolean)) return;
    const c = n.callee;
    // helper(q), ns.helper(q) for `import * as ns`, Imported.helper(q) for a class's static method, this.helper(q)
    const root =
      c.type === 'Identifier'
        ? c.name
        : c.type === 'MemberExpression' && c.object.type === 'Identifier'
          ? c.object.name
          : null;
    const name = calledHelper(n);
    if (!name) return;
    const from = root && imported.has(root) ? imported.get(root)! : file;
    calls.push({ name, from, args });
  });
  model.helperCalls = calls;
  model.depthAlarmHelpers = depthAlarmHelpers(program);
}
