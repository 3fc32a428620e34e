import type { Node } from '@babel/types';
import { walk } from '../../src/parse/walk';
import { literalText, objectProperty, propertyName, rootIdentifier } from './node-text';

/** What a stretch of code writes, and whether it guards the write against duplicates. */
export interface EffectScan {
  /** short labels of the writes, in source order ("DynamoDB PutCommand", "axios.post()") */
  effects: string[];
  /** an idempotency key, dedup id or conditional write was seen */
  guarded: boolean;
  /** names referenced in the code, to follow into same-file helpers */
  references: Set<string>;
  /** iterates `event.Records` */
  batch: boolean;
  /** record fields touched, for guessing the trigger of untyped JavaScript handlers */
  recordFields: Set<string>;
  /** writes that leave the same state when repeated (a full-item put under a key from the message, a SET update, a delete) */
  safeWrites: number;
}

/** DynamoDB writes whose parameters decide whether a repeat changes anything. */
const ITEM_WRITES = new Set([
  'put',
  'putItem',
  'update',
  'updateItem',
  'delete',
  'deleteItem',
  'PutCommand',
  'PutItemCommand',
  'UpdateCommand',
  'UpdateItemCommand',
  'DeleteCommand',
  'DeleteItemCommand',
]);
/** Id generators: an item put under a fresh id is a new item on every delivery. */
const RANDOM_ID = /^(uuid|uuidv4|v4|v1|randomUUID|nanoid|ulid|cuid|shortid|random|randomBytes|generateId|createId)$/;
/** Update expressions that add to what is there: ADD, list_append, `n = n + :one`. */
const ACCUMULATING_UPDATE = /\bADD\s|list_append|=\s*(if_not_exists\([^)]*\)|[\w#.]+)\s*[+-]\s*[:\w#]/i;

/**
 * Whether the parameters of a DynamoDB item write make it safe to repeat: a put whose item holds
 * no freshly generated id, an update that only SETs or REMOVEs, a delete by key. Unknown
 * parameters are not safe.
 */
function repeatsSafely(arg: Node | undefined, objects: Map<string, Node>): boolean {
  const params = arg && arg.type === 'Identifier' ? objects.get((arg as { name: string }).name) : arg;
  if (!params || params.type !== 'ObjectExpression') return false;
  const item = objectProperty(params, 'Item');
  if (item) {
    let random = false;
    walk(item, [
      {
        CallExpression(path) {
          const callee = (path.node as { callee: Node }).callee;
          const name = callee.type === 'Identifier' ? (callee as { name: string }).name : propertyName(callee);
          if (name && RANDOM_ID.test(name)) random = true;
        },
      },
    ]);
    return !random;
  }
  const update = objectProperty(params, 'UpdateExpression');
  if (update) {
    const text = literalText(update);
    return text !== null && !ACCUMULATING_UPDATE.test(text);
  }
  return objectProperty(params, 'Key') !== undefined;
}

/** `x.put(params).promise()`: the outer `.promise()` call records the write. */
function isPromised(path: { parent: { node: Node } | null }): boolean {
  const parent = path.parent?.node;
  return !!parent && parent.type === 'MemberExpression' && propertyName(parent) === 'promise';
}

/** `const params = { … }` declared in the scanned code, by name. */
function objectDeclarations(root: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  walk(root, [
    {
      VariableDeclarator(path) {
        const d = path.node as { id: Node; init: Node | null };
        if (d.id.type === 'Identifier' && d.init?.type === 'ObjectExpression')
          out.set((d.id as { name: string }).name, d.init);
      },
    },
  ]);
  return out;
}

const WRITE_COMMANDS = new Set([
  'PutCommand',
  'PutItemCommand',
  'UpdateCommand',
  'UpdateItemCommand',
  'DeleteCommand',
  'DeleteItemCommand',
  'TransactWriteCommand',
  'TransactWriteItemsCommand',
  'BatchWriteCommand',
  'BatchWriteItemCommand',
  'SendMessageCommand',
  'SendMessageBatchCommand',
  'PublishCommand',
  'PublishBatchCommand',
  'PutEventsCommand',
  'SendEmailCommand',
  'SendRawEmailCommand',
  'SendTemplatedEmailCommand',
  'PutRecordCommand',
  'PutRecordsCommand',
  'StartExecutionCommand',
  'RunTaskCommand',
  'StartTaskCommand',
]);
/** AWS SDK v2 style calls: `docClient.put({ TableName })`, `sqs.sendMessage(params).promise()`. */
const SDK_V2_WRITES = new Set([
  'put',
  'putItem',
  'update',
  'updateItem',
  'delete',
  'deleteItem',
  'transactWrite',
  'transactWriteItems',
  'batchWrite',
  'batchWriteItem',
  'sendMessage',
  'sendMessageBatch',
  'publish',
  'putEvents',
  'sendEmail',
  'sendRawEmail',
  'putRecord',
  'putRecords',
  'startExecution',
  'runTask',
  'startTask',
]);
const AWS_PARAM_KEYS = [
  'TableName',
  'TransactItems',
  'RequestItems',
  'QueueUrl',
  'TopicArn',
  'TargetArn',
  'Entries',
  'Destination',
  'StreamName',
  'stateMachineArn',
  'taskDefinition',
];
const DB_WRITES = new Set([
  'insertOne',
  'insertMany',
  'updateOne',
  'updateMany',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndUpdate',
  'bulkWrite',
  'insert',
  'upsert',
]);
const HTTP_LIBS = /^(axios|got|ky|superagent|node-fetch|undici|needle)$/;
const HTTP_CLIENT_NAME = /axios|http|api|client|got|request/i;
const WRITE_METHOD = /^(post|put|patch|delete)$/i;
const SQL_WRITE = /\b(INSERT\s+INTO|UPDATE\s+[\w."`]+\s+SET|DELETE\s+FROM|MERGE\s+INTO|UPSERT)\b/i;
/**
 * Redis commands that add to what is there (ioredis/node-redis v3 lower case, v4 camel case):
 * a redelivered message counts twice. SET/HSET/SADD write the same state again and are not here.
 */
const REDIS_ACCUMULATING = new Set([
  'incr',
  'incrby',
  'incrbyfloat',
  'decr',
  'decrby',
  'hincrby',
  'hincrbyfloat',
  'zincrby',
  'xadd',
]);
const REDIS_PUSHES = new Set(['lpush', 'rpush', 'append']);
/** IoT data-plane publishes: MQTT status messages to devices and displays, delivered at least once anyway. */
const IOT_CLIENT = /iot/i;
const IOT_MODULE = /^@aws-sdk\/client-iot-data-plane$/;
/** Names that show the code keeps or checks an idempotency key. */
const GUARD_NAME = /idempoten|dedup|^processed|processed$|alreadyProcessed|isDuplicate/i;

function hasWriteMethod(options: Node | undefined): boolean {
  const method = literalText(objectProperty(options, 'method'));
  return method !== null && WRITE_METHOD.test(method);
}

/** Scans code for writes with side effects; `sourceOf` maps a local name to the module it was imported from. */
export function scanEffects(
  root: Node,
  sourceOf: (local: string) => string | undefined,
  scan?: EffectScan,
): EffectScan {
  const out: EffectScan = scan ?? {
    effects: [],
    guarded: false,
    references: new Set(),
    batch: false,
    recordFields: new Set(),
    safeWrites: 0,
  };
  const objects = objectDeclarations(root);
  /** records a write: as a side effect, or as a safe repeat when its parameters say so */
  const write = (label: string, name: string, arg: Node | undefined): void => {
    if (ITEM_WRITES.has(name) && repeatsSafely(arg, objects)) out.safeWrites++;
    else out.effects.push(label);
  };
  const fromHttpLib = (name: string | null): boolean => name !== null && HTTP_LIBS.test(sourceOf(name) ?? '');
  walk(root, [
    {
      Identifier(path) {
        const name = (path.node as { name: string }).name;
        if (GUARD_NAME.test(name)) out.guarded = true;
        out.references.add(name);
      },
      StringLiteral(path) {
        const value = (path.node as { value: string }).value;
        if (value.includes('attribute_not_exists') || GUARD_NAME.test(value)) out.guarded = true;
        if (value === 'detail-type') out.recordFields.add('detail-type');
      },
      MemberExpression(path) {
        const prop = propertyName(path.node);
        if (prop === 'Records') out.batch = true;
        if (prop) out.recordFields.add(prop);
      },
      NewExpression(path) {
        const callee = (path.node as { callee: Node }).callee;
        if (
          callee.type === 'Identifier' &&
          WRITE_COMMANDS.has(callee.name) &&
          !IOT_MODULE.test(sourceOf(callee.name) ?? '')
        ) {
          write(callee.name, callee.name, (path.node as { arguments: Node[] }).arguments[0]);
        }
      },
      TaggedTemplateExpression(path) {
        const text = literalText((path.node as { quasi: Node }).quasi);
        if (text && SQL_WRITE.test(text)) out.effects.push('SQL write');
      },
      CallExpression(path) {
        const call = path.node as { callee: Node; arguments: Node[] };
        const { callee } = call;
        const args = call.arguments;
        const first = args[0];
        if (args.some((a) => SQL_WRITE.test(literalText(a) ?? ''))) out.effects.push('SQL write');
        if (callee.type === 'Identifier') {
          if ((callee.name === 'fetch' || fromHttpLib(callee.name)) && hasWriteMethod(args[1]))
            out.effects.push(
              `${callee.name}() ${String(literalText(objectProperty(args[1], 'method'))).toUpperCase()}`,
            );
          else if (fromHttpLib(callee.name) && hasWriteMethod(first)) out.effects.push(`${callee.name}() request`);
          if (['processPartialResponse', 'processPartialResponseSync'].includes(callee.name)) out.batch = true;
          return;
        }
        const method = propertyName(callee);
        if (!method) return;
        const root = rootIdentifier(callee);
        const lower = method.toLowerCase();
        if (REDIS_ACCUMULATING.has(lower) || (REDIS_PUSHES.has(lower) && root !== null && /redis|cache/i.test(root))) {
          out.effects.push(`Redis ${lower.toUpperCase()}`);
          return;
        }
        if (method === 'publish' && root !== null && IOT_CLIENT.test(root)) return;
        if (method === 'promise' && root !== null && IOT_CLIENT.test(root)) return;
        // the parameters, also when built in a `const params = { … }` first
        const params =
          first && first.type === 'Identifier' ? (objects.get((first as { name: string }).name) ?? first) : first;
        if (SDK_V2_WRITES.has(method) && AWS_PARAM_KEYS.some((k) => objectProperty(params, k) !== undefined)) {
          // `.promise()` on it is seen at the outer call
          if (first === params || !isPromised(path)) write(`${method}()`, method, first);
        } else if (
          method === 'promise' &&
          callee.type === 'MemberExpression' &&
          callee.object.type === 'CallExpression'
        ) {
          const inner = propertyName(callee.object.callee);
          if (inner && SDK_V2_WRITES.has(inner))
            write(`${inner}()`, inner, callee.object.arguments[0] as Node | undefined);
        } else if (WRITE_METHOD.test(method) && args.length > 0) {
          const post = method === 'post' || method === 'patch';
          if (post || fromHttpLib(root) || (root !== null && HTTP_CLIENT_NAME.test(root)))
            out.effects.push(`${root ?? 'http'}.${method}()`);
        } else if (method === 'request' && hasWriteMethod(first)) {
          out.effects.push(`${root ?? 'http'}.request()`);
        } else if (DB_WRITES.has(method) || method === 'sendMail') {
          out.effects.push(`${method}()`);
        } else if (['create', 'update', 'upsert'].includes(method) && objectProperty(first, 'data') !== undefined) {
          out.effects.push(`${method}()`);
        } else if (method === 'create' && root !== null && (/stripe/i.test(root) || sourceOf(root) === 'stripe')) {
          out.effects.push(`${root} create()`);
        }
      },
    },
  ]);
  return out;
}

/** The trigger that an untyped handler's record fields suggest. */
export function triggerFromFields(
  scan: EffectScan,
): 'sqs' | 'sns' | 'kinesis' | 'dynamodb-stream' | 's3' | 'eventbridge' | null {
  const f = scan.recordFields;
  if (f.has('detail-type')) return 'eventbridge';
  if (!scan.batch) return null;
  if (f.has('Sns')) return 'sns';
  if (f.has('kinesis')) return 'kinesis';
  if (f.has('dynamodb')) return 'dynamodb-stream';
  if (f.has('s3')) return 's3';
  if (f.has('receiptHandle') || f.has('body') || f.has('messageId')) return 'sqs';
  return null;
}

const PUBLISH =
  /^(putEvents|publish|publishBatch|sendMessage|sendMessageBatch|PutEventsCommand|PublishCommand|PublishBatchCommand|SendMessageCommand|SendMessageBatchCommand)(\(\))?$/;

/**
 * A consumer whose only write is one kind of publish of a notification (an event, a topic message)
 * relays it: a redelivery sends the same notification again, which its own consumers must
 * tolerate anyway. A publish after a state write (even one safe to repeat: the event announces
 * it again), an increment or a second kind of publish is not a relay.
 */
export function onlyRelays(scan: Pick<EffectScan, 'effects' | 'safeWrites'>): boolean {
  if (scan.safeWrites > 0) return false;
  // an SDK v2 `putEvents(params).promise()` is seen at both calls: one write
  const distinct = [...new Set(scan.effects)];
  return distinct.length === 1 && PUBLISH.test(distinct[0]!);
}
