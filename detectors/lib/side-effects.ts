import type { Node } from '@babel/types';
import { walk } from '../../src/parse/walk';
import { objectProperty, propertyName, rootIdentifier, stringValue } from './node-text';

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
}

const WRITE_COMMANDS = new Set([
  'PutCommand', 'PutItemCommand', 'UpdateCommand', 'UpdateItemCommand', 'DeleteCommand', 'DeleteItemCommand',
  'TransactWriteCommand', 'TransactWriteItemsCommand', 'BatchWriteCommand', 'BatchWriteItemCommand',
  'SendMessageCommand', 'SendMessageBatchCommand', 'PublishCommand', 'PublishBatchCommand', 'PutEventsCommand',
  'SendEmailCommand', 'SendRawEmailCommand', 'SendTemplatedEmailCommand', 'PutRecordCommand', 'PutRecordsCommand',
  'StartExecutionCommand',
]);
/** AWS SDK v2 style calls: `docClient.put({ TableName })`, `sqs.sendMessage(params).promise()`. */
const SDK_V2_WRITES = new Set([
  'put', 'putItem', 'update', 'updateItem', 'delete', 'deleteItem', 'transactWrite', 'transactWriteItems',
  'batchWrite', 'batchWriteItem', 'sendMessage', 'sendMessageBatch', 'publish', 'putEvents', 'sendEmail',
  'sendRawEmail', 'putRecord', 'putRecords', 'startExecution',
]);
const AWS_PARAM_KEYS = ['TableName', 'TransactItems', 'RequestItems', 'QueueUrl', 'TopicArn', 'TargetArn', 'Entries', 'Destination', 'StreamName', 'stateMachineArn'];
const DB_WRITES = new Set(['insertOne', 'insertMany', 'updateOne', 'updateMany', 'replaceOne', 'deleteOne', 'deleteMany', 'findOneAndUpdate', 'bulkWrite', 'insert', 'upsert']);
const HTTP_LIBS = /^(axios|got|ky|superagent|node-fetch|undici|needle)$/;
const HTTP_CLIENT_NAME = /axios|http|api|client|got|request/i;
const WRITE_METHOD = /^(post|put|patch|delete)$/i;
const SQL_WRITE = /\b(INSERT\s+INTO|UPDATE\s+[\w."`]+\s+SET|DELETE\s+FROM|MERGE\s+INTO|UPSERT)\b/i;
/** Names that show the code keeps or checks an idempotency key. */
const GUARD_NAME = /idempoten|dedup|^processed|processed$|alreadyProcessed|isDuplicate/i;

function hasWriteMethod(options: Node | undefined): boolean {
  const method = stringValue(objectProperty(options, 'method'));
  return method !== null && WRITE_METHOD.test(method);
}

/** Scans code for writes with side effects; `sourceOf` maps a local name to the module it was imported from. */
export function scanEffects(root: Node, sourceOf: (local: string) => string | undefined, scan?: EffectScan): EffectScan {
  const out: EffectScan = scan ?? { effects: [], guarded: false, references: new Set(), batch: false, recordFields: new Set() };
  const fromHttpLib = (name: string | null): boolean => name !== null && HTTP_LIBS.test(sourceOf(name) ?? '');
  walk(root, [{
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
      if (callee.type === 'Identifier' && WRITE_COMMANDS.has(callee.name)) out.effects.push(callee.name);
    },
    TaggedTemplateExpression(path) {
      const text = stringValue((path.node as { quasi: Node }).quasi);
      if (text && SQL_WRITE.test(text)) out.effects.push('SQL write');
    },
    CallExpression(path) {
      const call = path.node as { callee: Node; arguments: Node[] };
      const { callee } = call;
      const args = call.arguments;
      const first = args[0];
      if (args.some((a) => SQL_WRITE.test(stringValue(a) ?? ''))) out.effects.push('SQL write');
      if (callee.type === 'Identifier') {
        if ((callee.name === 'fetch' || fromHttpLib(callee.name)) && hasWriteMethod(args[1])) out.effects.push(`${callee.name}() ${String(stringValue(objectProperty(args[1], 'method'))).toUpperCase()}`);
        else if (fromHttpLib(callee.name) && hasWriteMethod(first)) out.effects.push(`${callee.name}() request`);
        if (['processPartialResponse', 'processPartialResponseSync'].includes(callee.name)) out.batch = true;
        return;
      }
      const method = propertyName(callee);
      if (!method) return;
      const root = rootIdentifier(callee);
      if (SDK_V2_WRITES.has(method) && AWS_PARAM_KEYS.some((k) => objectProperty(first, k) !== undefined)) {
        out.effects.push(`${method}()`);
      } else if (method === 'promise' && callee.type === 'MemberExpression' && callee.object.type === 'CallExpression') {
        const inner = propertyName(callee.object.callee);
        if (inner && SDK_V2_WRITES.has(inner)) out.effects.push(`${inner}()`);
      } else if (WRITE_METHOD.test(method) && args.length > 0) {
        const post = method === 'post' || method === 'patch';
        if (post || fromHttpLib(root) || (root !== null && HTTP_CLIENT_NAME.test(root))) out.effects.push(`${root ?? 'http'}.${method}()`);
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
  }]);
  return out;
}

/** The trigger that an untyped handler's record fields suggest. */
export function triggerFromFields(scan: EffectScan): 'sqs' | 'sns' | 'kinesis' | 'dynamodb-stream' | 's3' | 'eventbridge' | null {
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
