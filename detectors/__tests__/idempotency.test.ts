import { describe, expect, it } from 'vitest';
import idempotency from '../idempotency';
import { detect, projectFacts } from '../../test/helpers/detect';
import { testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';
import { detectFile } from '../../src/detect/detect-file';
import type { LambdaHandler } from '../../src/discovery/discovery-types';

/** `iac`: the handlers the infrastructure declares in the case's file, with their triggers */
type Iac = Array<Pick<LambdaHandler, 'exportName' | 'triggers'>>;

const DDB = `import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';\nconst ddb = DynamoDBDocumentClient.from(client);\n`;

const invalid: Array<InvalidCase & { iac?: Iac }> = [
  {
    name: 'SQS handler putting an item under a fresh id',
    code: `${DDB}import type { SQSEvent } from 'aws-lambda';\nexport const handler = async (event: SQSEvent) => {\n  for (const record of event.Records) {\n    await ddb.send(new PutCommand({ TableName: 'orders', Item: { id: randomUUID(), ...JSON.parse(record.body) } }));\n  }\n};`,
    errors: [{ messageId: 'consumerWithoutIdempotency', line: 4, column: 14 }],
  },
  {
    name: 'typed SQSHandler const calling a helper that writes, then publishes',
    code: `import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';\nimport type { SQSHandler } from 'aws-lambda';\nconst sns = new SNSClient({});\nasync function notify(body: string) {\n  await db.insertOne(JSON.parse(body));\n  await sns.send(new PublishCommand({ TopicArn: arn, Message: body }));\n}\nexport const handler: SQSHandler = async (event) => {\n  await Promise.all(event.Records.map((r) => notify(r.body)));\n};`,
    errors: [{ messageId: 'consumerWithoutIdempotency', line: 8, column: 14 }],
  },
  {
    name: 'SQS consumer starting an ECS task per record (SDK v2, params built first)',
    filename: 'src/extract.js',
    code: `exports.handler = async (event) => {\n  for (const r of event.Records) {\n    const params = { cluster: c, taskDefinition: td, overrides: { containerOverrides: [{ environment: [{ name: 'KEY', value: r.body }] }] } };\n    await ecs.runTask(params).promise();\n  }\n};`,
    errors: [{ messageId: 'consumerWithoutIdempotency', line: 1, column: 1 }],
  },
  {
    name: 'SQS consumer counting with an ADD update expression',
    code: `${DDB}import type { SQSEvent } from 'aws-lambda';\nexport const handler = async (event: SQSEvent) => {\n  for (const r of event.Records) await ddb.send(new UpdateCommand({ TableName: 't', Key: { pk: 'sales' }, UpdateExpression: 'ADD total :n', ExpressionAttributeValues: { ':n': 1 } }));\n};`,
    errors: [{ messageId: 'consumerWithoutIdempotency', line: 4, column: 14 }],
  },
  {
    name: 'DynamoDB stream consumer incrementing a Redis sorted-set score (callback style, IaC trigger)',
    filename: 'functions/updateBestSellers.js',
    iac: [{ exportName: 'handler', triggers: ['dynamodb-stream'] }],
    code: `exports.handler = (event, context, callback) => {\n  event.Records.forEach((record) => {\n    redisClient.zincrby('TopBooks', record.dynamodb.NewImage.quantity.N, record.dynamodb.Keys.id.S, (error, reply) => callback(error, reply));\n  });\n};`,
    errors: [{ messageId: 'consumerWithoutIdempotency', line: 1, column: 1 }],
  },
  {
    name: 'untyped EventBridge consumer (event.detail) that updates an order and re-publishes an event',
    filename: 'functions/waiting/app.js',
    code: `exports.handler = async (event) => {\n  const result = await documentClient.update({ TableName: t, Key: { PK: event.detail.orderId }, UpdateExpression: 'set TS = :ts' }).promise();\n  await eventbridge.putEvents({ Entries: [{ Detail: JSON.stringify(result.Attributes), DetailType: 'Order.WaitingCompletion' }] }).promise();\n};`,
    errors: [{ messageId: 'consumerWithoutIdempotency', line: 1, column: 1 }],
  },
  {
    name: 'EventBridge function declaration sending email',
    code: `import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';\nimport type { EventBridgeEvent } from 'aws-lambda';\nconst ses = new SESClient({});\nexport async function handler(event: EventBridgeEvent<'OrderPlaced', { email: string }>) {\n  await ses.send(new SendEmailCommand({ Destination: { ToAddresses: [event.detail.email] }, Message: m, Source: s }));\n}`,
    errors: [{ messageId: 'consumerWithoutIdempotency', line: 4, column: 1 }],
  },
  {
    name: 'CommonJS SQS consumer posting with axios (trigger from record fields)',
    filename: 'src/consumer.js',
    code: `const axios = require('axios');\nexports.handler = async (event) => {\n  for (const r of event.Records) {\n    await axios.post('https://api.example.com/charges', JSON.parse(r.body));\n  }\n};`,
    errors: [{ messageId: 'consumerWithoutIdempotency', line: 2, column: 1 }],
  },
  {
    name: 'Kinesis handler with a SQL insert',
    code: `import type { KinesisStreamHandler } from 'aws-lambda';\nexport const handler: KinesisStreamHandler = async (event) => {\n  for (const r of event.Records) await pool.query('INSERT INTO events (id, body) VALUES ($1, $2)', [r.kinesis.sequenceNumber, r.kinesis.data]);\n};`,
    errors: [{ messageId: 'consumerWithoutIdempotency', line: 2, column: 14 }],
  },
  {
    name: 'IaC says the export is an SQS consumer; fetch POST',
    filename: 'src/worker.js',
    iac: [{ exportName: 'main', triggers: ['sqs'] }],
    code: `module.exports.main = async function (event) {\n  await fetch(url, { method: 'POST', body: event.toString() });\n};`,
    errors: [{ messageId: 'consumerWithoutIdempotency', line: 1, column: 1 }],
  },
  {
    name: 'DynamoDB stream handler via export list and SDK v2 put().promise()',
    code: `import type { DynamoDBStreamEvent } from 'aws-lambda';\nasync function onChange(event: DynamoDBStreamEvent) {\n  await docClient.put(params).promise();\n}\nexport { onChange };`,
    errors: [{ messageId: 'consumerWithoutIdempotency', line: 5, column: 10 }],
  },
  {
    name: 'middy-wrapped SNS handler',
    code: `import middy from '@middy/core';\nimport type { SNSEvent } from 'aws-lambda';\nconst main = async (event: SNSEvent) => {\n  await ddb.send(new UpdateCommand({ TableName: 't', Key: k, UpdateExpression: 'SET n = n + :one' }));\n};\nexport const handler = middy(main).use(jsonParser());`,
    errors: [{ messageId: 'consumerWithoutIdempotency', line: 6, column: 14 }],
  },
];

const valid: Array<DetectorTestCase & { iac?: Iac }> = [
  {
    name: 'powertools makeIdempotent',
    code: `${DDB}import { makeIdempotent } from '@aws-lambda-powertools/idempotency';\nimport type { SQSEvent } from 'aws-lambda';\nconst main = async (event: SQSEvent) => { await ddb.send(new PutCommand({ TableName: 't', Item: i })); };\nexport const handler = makeIdempotent(main, { persistenceStore });`,
  },
  {
    name: 'conditional write with attribute_not_exists',
    code: `${DDB}import type { SQSEvent } from 'aws-lambda';\nexport const handler = async (event: SQSEvent) => {\n  for (const r of event.Records) await ddb.send(new PutCommand({ TableName: 't', Item: { pk: r.messageId }, ConditionExpression: 'attribute_not_exists(pk)' }));\n};`,
  },
  {
    name: 'checks an idempotency key',
    code: `import type { SQSEvent } from 'aws-lambda';\nexport const handler = async (event: SQSEvent) => {\n  for (const r of event.Records) {\n    const idempotencyKey = r.messageId;\n    if (await store.has(idempotencyKey)) continue;\n    await axios.post(url, r.body);\n  }\n};`,
  },
  {
    name: 'FIFO publish with MessageDeduplicationId',
    filename: 'src/fwd.js',
    code: `const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');\nexports.handler = async (event) => {\n  for (const r of event.Records) await sqs.send(new SendMessageCommand({ QueueUrl: q, MessageBody: r.body, MessageGroupId: 'g', MessageDeduplicationId: r.messageId }));\n};`,
  },
  {
    name: 'API Gateway handler writing (not a consumer)',
    code: `${DDB}import type { APIGatewayProxyEvent } from 'aws-lambda';\nexport const handler = async (event: APIGatewayProxyEvent) => {\n  await ddb.send(new PutCommand({ TableName: 't', Item: JSON.parse(event.body!) }));\n  return { statusCode: 201, body: '' };\n};`,
  },
  {
    name: 'SQS consumer that only reads',
    code: `import { GetCommand } from '@aws-sdk/lib-dynamodb';\nimport type { SQSEvent } from 'aws-lambda';\nexport const handler = async (event: SQSEvent) => {\n  for (const r of event.Records) console.log(await ddb.send(new GetCommand({ TableName: 't', Key: { id: r.body } })));\n};`,
  },
  {
    name: 'exported non-handler that writes',
    code: `${DDB}export async function saveOrder(order: Order) {\n  await ddb.send(new PutCommand({ TableName: 't', Item: order }));\n}`,
  },
  {
    name: 'SQS consumer deleting from a Map',
    code: `import type { SQSEvent } from 'aws-lambda';\nconst cache = new Map();\nexport const handler = async (event: SQSEvent) => {\n  for (const r of event.Records) cache.delete(r.messageId);\n};`,
  },
  {
    name: 'IaC says http',
    filename: 'src/api.js',
    iac: [{ exportName: 'handler', triggers: ['http'] }],
    code: `exports.handler = async (event) => {\n  await axios.post(url, event.body);\n};`,
  },
  {
    name: 'full-item put of the message, and a SET update keyed by the message (same state when repeated)',
    code: `${DDB}import type { SQSEvent } from 'aws-lambda';\nexport const handler = async (event: SQSEvent) => {\n  for (const record of event.Records) {\n    await ddb.send(new PutCommand({ TableName: 'orders', Item: JSON.parse(record.body) }));\n    const params = { TableName: 'orders', Key: { id: record.messageId }, UpdateExpression: 'SET #s = :cancelled' };\n    await ddb.send(new UpdateCommand(params));\n  }\n};`,
  },
  {
    name: 'EventBridge consumer putting the whole order under its own id (SDK v2 DocumentClient, params built first)',
    filename: 'functions/started/app.js',
    code: `exports.handler = async (event) => {\n  const params = { TableName: process.env.TableName, Item: { PK: 'orders', SK: event.detail.orderId, TS: Date.now() } };\n  await documentClient.put(params).promise();\n};`,
  },
  {
    name: 'a consumer that only relays the message as one notification (safe to repeat)',
    code: `import { SNSClient, PublishCommand } from '@aws-sdk/client-sns';\nimport type { SQSHandler } from 'aws-lambda';\nconst sns = new SNSClient({});\nasync function notify(body: string) {\n  await sns.send(new PublishCommand({ TopicArn: arn, Message: body }));\n}\nexport const handler: SQSHandler = async (event) => {\n  await Promise.all(event.Records.map((r) => notify(r.body)));\n};`,
  },
  {
    name: 'stream consumer relaying the change to EventBridge',
    filename: 'code/configChanged.js',
    iac: [{ exportName: 'handler', triggers: ['dynamodb-stream'] }],
    code: `exports.handler = async (event) => {\n  const NewImage = event.Records[0].dynamodb.NewImage;\n  await eventbridge.putEvents({ Entries: [{ Detail: JSON.stringify({ NewImage }), DetailType: 'Config.Changed' }] }).promise();\n};`,
  },
  {
    name: 'EventBridge consumer publishing a status message to an IoT topic',
    filename: 'code/publishToIOT.js',
    code: `const iotdata = new AWS.IotData({ endpoint });\nexports.handler = async (event) => {\n  await iotdata.publish({ topic: 'orders-' + event.detail.eventId, qos: 1, payload: JSON.stringify(event.detail) }).promise();\n  await iotdata.publish({ topic: 'admin', qos: 1, payload: '{}' }).promise();\n};`,
  },
  {
    name: 'stream consumer writing the same state again with a Redis SET',
    iac: [{ exportName: 'handler', triggers: ['kinesis'] }],
    filename: 'src/cache.js',
    code: `exports.handler = async (event) => {\n  for (const r of event.Records) await redis.set('order:' + r.kinesis.partitionKey, r.kinesis.data);\n};`,
  },
  {
    name: 'scheduled job',
    code: `import type { ScheduledHandler } from 'aws-lambda';\nexport const handler: ScheduledHandler = async () => {\n  await axios.post(url, {});\n};`,
  },
];

/** The case with the handlers its `iac` declares as the project's IaC facts. */
function withIac<C extends DetectorTestCase & { iac?: Iac }>({ iac, ...c }: C): Omit<C, 'iac'> {
  const path = c.filename ?? 'src/example.ts';
  const handlers = iac ? [[path, iac.map((h) => ({ ...h, file: path, source: 'iac' as const }))] as const] : [];
  return { ...c, project: { iacHandlers: new Map<string, LambdaHandler[]>(handlers) } };
}

testDetector('idempotency detector', idempotency, { valid: valid.map(withIac), invalid: invalid.map(withIac) });

describe('idempotency detector', () => {
  it('describes the handler for the fix', () => {
    const [f] = detect(idempotency, invalid[0]!.code);
    expect(f?.data).toMatchObject({ trigger: 'sqs', exportName: 'handler', batch: true });
    const [eb] = detect(idempotency, invalid.find((c) => c.name?.startsWith('EventBridge function declaration'))!.code);
    expect(eb?.data).toMatchObject({ trigger: 'eventbridge', exportName: 'handler', batch: false });
  });
  it('records every exported handler and its trigger', () => {
    const code = `import type { APIGatewayProxyHandlerV2, SQSEvent, Handler, S3Event } from 'aws-lambda';\nexport const api: APIGatewayProxyHandlerV2 = async () => ({ statusCode: 200 });\nexport async function consume(event: SQSEvent) {}\nexport const generic: Handler<S3Event> = async () => {};\nexport const handler = async () => {};\nexport function helper(x: number) { return x; }\nexport const onSchedule = (async () => {}) satisfies Handler;`;
    const result = detectFile(
      { path: 'src/h.ts', absPath: '/project/src/h.ts', text: code, lang: 'ts' },
      [idempotency],
      projectFacts(),
    );
    expect(Object.fromEntries(result.facts.handlerExports)).toEqual({
      api: 'http',
      consume: 'sqs',
      generic: 's3',
      handler: 'unknown',
      onSchedule: 'unknown',
    });
  });
});
