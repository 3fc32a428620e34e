import detector from '../timeouts';
import { testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';

/*
 * no-timeout on the clients of the client table (config/clients.yaml): AWS SDK v2, X-Ray
 * wrappers, database drivers, SMTP and vendor SDKs. Each case gives the message id, position and
 * message of every finding; look-alikes expect none.
 */

/** what every SDK v2 client without timeouts is told */
const V2 = "v2's socket timeout is 120 s, above most Lambda timeouts, and it has no connect timeout";

const invalid: InvalidCase[] = [
  {
    name: 'SDK v2 clients through the AWS namespace, chained declarators and `new AWS.S3` without parentheses (CommonJS)',
    filename: 'functions/upload.js',
    code: `
var AWS = require("aws-sdk"),
documentClient = new AWS.DynamoDB.DocumentClient(),
s3Client = new AWS.S3;
exports.handler = async () => documentClient.get({ TableName: 't', Key: {} }).promise();`,
    errors: [
      {
        messageId: 'clientWithoutTimeout',
        line: 2,
        column: 18,
        message: `new AWS.DynamoDB.DocumentClient() (documentClient) has no request or connection timeout: ${V2}`,
      },
      {
        messageId: 'clientWithoutTimeout',
        line: 3,
        column: 12,
        message: `new AWS.S3() (s3Client) has no request or connection timeout: ${V2}`,
      },
    ],
  },
  {
    name: 'SDK v2 named classes: destructured require, ES import, a sub-path client module (TS)',
    code: `
import { SQS } from 'aws-sdk';
const { DynamoDB } = require('aws-sdk');
import Kinesis = require('aws-sdk/clients/kinesis');
const sqs = new SQS();
export async function handler() {
  const ddb = new DynamoDB({ apiVersion: '2012-08-10' });
  const k = new Kinesis({ region: 'eu-west-1' });
  return [sqs, ddb, k];
}`,
    errors: [
      {
        messageId: 'clientWithoutTimeout',
        line: 4,
        column: 13,
        message: `new SQS() (sqs) has no request or connection timeout: ${V2}`,
      },
      {
        messageId: 'clientWithoutTimeout',
        line: 6,
        column: 15,
        message: `new DynamoDB() (ddb) has no request or connection timeout: ${V2}`,
      },
      {
        messageId: 'clientWithoutTimeout',
        line: 7,
        column: 13,
        message: `new Kinesis() (k) has no request or connection timeout: ${V2}`,
      },
    ],
  },
  {
    name: 'SDK v2: AWS.config.update with only a region, and httpOptions without a timeout',
    filename: 'src/a.js',
    code: `
const AWS = require('aws-sdk');
AWS.config.update({ region: 'us-east-1' });
const eb = new AWS.EventBridge({ httpOptions: { agent: undefined } });`,
    errors: [
      {
        messageId: 'clientWithoutTimeout',
        line: 3,
        column: 12,
        message: `new AWS.EventBridge() (eb) has no request or connection timeout: ${V2}`,
      },
    ],
  },
  {
    name: 'SDK v2 behind X-Ray: captureAWS(require(...)) and captureAWSClient(new ...)',
    filename: 'src/traced.js',
    code: `
const AWSXRay = require('aws-xray-sdk-core');
const AWS = AWSXRay.captureAWS(require('aws-sdk'));
const sns = AWSXRay.captureAWSClient(new AWS.SNS());
module.exports = { sns };`,
    errors: [
      {
        messageId: 'clientWithoutTimeout',
        line: 3,
        column: 38,
        message: `new AWS.SNS() (sns) has no request or connection timeout: ${V2}`,
      },
    ],
  },
  {
    name: 'node https behind captureHTTPs(require(...)) is still https',
    filename: 'src/traced-http.js',
    code: `
const AWSXRay = require('aws-xray-sdk-core');
const https = AWSXRay.captureHTTPs(require('https'));
exports.ping = () => https.request({ hostname: 'api.example.com', method: 'GET' }).end();`,
    errors: [
      {
        messageId: 'callWithoutTimeout',
        line: 3,
        column: 22,
        message: 'https.request() to api.example.com has no timeout',
      },
    ],
  },
  {
    name: 'SDK v3 behind captureAWSv3Client, wrapped by DynamoDBDocumentClient.from on a static field: one finding',
    code: `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { captureAWSv3Client } from 'aws-xray-sdk-core';
export class Store {
  private static ddbClient: DynamoDBClient = captureAWSv3Client(new DynamoDBClient({}));
  private static doc = DynamoDBDocumentClient.from(Store.ddbClient);
  get(id: string) { return Store.doc.send(new GetCommand({ TableName: 't', Key: { id } })); }
}`,
    errors: [
      {
        messageId: 'clientWithoutTimeout',
        line: 5,
        column: 65,
        message: 'DynamoDBClient (Store.ddbClient) has no request or connection timeout',
      },
    ],
  },
  {
    name: 'node-redis createClient(port, host, opts) and v4 createClient({ url })',
    filename: 'src/cache.js',
    code: `
const redis = require('redis');
const { createClient } = require('redis');
exports.a = () => redis.createClient(6379, process.env.URL, { no_ready_check: true });
const b = createClient({ url: process.env.REDIS_URL });`,
    errors: [
      {
        messageId: 'clientWithoutTimeout',
        line: 3,
        column: 19,
        message:
          'redis.createClient() has no connection or query timeout: node-redis v2 waits up to an hour to connect and commands have no timeout',
      },
      {
        messageId: 'clientWithoutTimeout',
        line: 4,
        column: 11,
        message:
          'createClient() (b) has no connection or query timeout: node-redis v2 waits up to an hour to connect and commands have no timeout',
      },
    ],
  },
  {
    name: 'database drivers: pg Pool from a config variable, mongoose.connect with options lacking timeouts',
    filename: 'src/db.js',
    code: `
const pg = require('pg');
const mongoose = require('mongoose');
const config = { connectionString: process.env.DATABASE_URL, max: 5 };
const pool = new pg.Pool(config);
mongoose.connect(process.env.MONGO_URL, { useNewUrlParser: true });`,
    errors: [
      {
        messageId: 'clientWithoutTimeout',
        line: 4,
        column: 14,
        message: 'new pg.Pool() (pool) has no connection or query timeout: no connection or query timeout by default',
      },
      {
        messageId: 'clientWithoutTimeout',
        line: 5,
        column: 1,
        message: 'mongoose.connect() has no connection or query timeout: the MongoDB socket has no timeout by default',
      },
    ],
  },
  {
    name: 'nodemailer transport and vendor SDKs: stripe required and called in place, OpenAI, Slack',
    filename: 'src/vendors.js',
    code: `
const nodemailer = require('nodemailer');
const OpenAI = require('openai');
const { WebClient } = require('@slack/web-api');
const transport = nodemailer.createTransport({ host: 'smtp.example.com', port: 587 });
exports.pay = (key) => {
  const stripe = require('stripe')(key);
  return stripe.events.retrieve('evt_1');
};
const ai = new OpenAI({ apiKey: process.env.OPENAI_KEY });
const slack = new WebClient(process.env.SLACK_TOKEN);`,
    errors: [
      {
        messageId: 'clientWithoutTimeout',
        line: 4,
        column: 19,
        message:
          'nodemailer.createTransport() (transport) has no timeout: nodemailer waits 2 minutes to connect and 10 minutes on an idle socket',
      },
      {
        messageId: 'clientWithoutTimeout',
        line: 6,
        column: 18,
        message: "require('stripe')() (stripe) has no timeout: stripe-node waits 80 s by default",
      },
      {
        messageId: 'clientWithoutTimeout',
        line: 9,
        column: 12,
        message: 'new OpenAI() (ai) has no timeout: the OpenAI client waits 10 minutes by default',
      },
      {
        messageId: 'clientWithoutTimeout',
        line: 10,
        column: 15,
        message: 'new WebClient() (slack) has no timeout: the Slack WebClient sets no request timeout by default',
      },
    ],
  },
  {
    name: 'request modules without a timeout: request, request-promise, superagent, needle',
    filename: 'src/legacy.js',
    code: `
const request = require('request');
const rp = require('request-promise');
const superagent = require('superagent');
const needle = require('needle');
exports.a = (cb) => request({ url: 'https://a.example.com/x', json: true }, cb);
exports.b = () => rp.get('https://b.example.com/y');
exports.c = () => superagent.post('https://c.example.com/z').send({ a: 1 });
exports.d = () => needle.get('https://d.example.com/w', { open_timeout: 2000 });`,
    errors: [
      { messageId: 'callWithoutTimeout', line: 5, column: 21, message: 'request() to a.example.com has no timeout' },
      { messageId: 'callWithoutTimeout', line: 6, column: 19, message: 'rp.get() to b.example.com has no timeout' },
      {
        messageId: 'callWithoutTimeout',
        line: 7,
        column: 19,
        message: 'superagent.post() to c.example.com has no timeout',
      },
      { messageId: 'callWithoutTimeout', line: 8, column: 19, message: 'needle.get() to d.example.com has no timeout' },
    ],
  },
  {
    name: 'a spread of a local object or function that holds no timeout',
    code: `
import { S3 } from 'aws-sdk';
const base = { region: 'eu-west-1' };
function opts() { return { maxRetries: 2 }; }
export const a = new S3({ ...base });
export const b = new S3({ ...opts(), signatureVersion: 'v4' });`,
    errors: [
      {
        messageId: 'clientWithoutTimeout',
        line: 4,
        column: 18,
        message: `new S3() (a) has no request or connection timeout: ${V2}`,
      },
      {
        messageId: 'clientWithoutTimeout',
        line: 5,
        column: 18,
        message: `new S3() (b) has no request or connection timeout: ${V2}`,
      },
    ],
  },
];

const valid: DetectorTestCase[] = [
  {
    name: 'SDK v2 with httpOptions timeouts, per client or through AWS.config.update',
    filename: 'src/ok.js',
    code: `
const AWS = require('aws-sdk');
const s3 = new AWS.S3({ httpOptions: { connectTimeout: 1000, timeout: 5000 } });
const lambdaAws = require('aws-sdk');
lambdaAws.config.update({ region: 'eu-west-1', httpOptions: { timeout: 3000 } });
const sqs = new lambdaAws.SQS();
module.exports = { s3, sqs };`,
  },
  {
    name: 'SDK v2 timeouts through a spread of a local object or a local function',
    code: `
import { DynamoDB, SQS } from 'aws-sdk';
const clientOptions = { httpOptions: { timeout: 2000, connectTimeout: 500 } };
const tuned = () => ({ region: 'eu-west-1', httpOptions: { timeout: 2000 } });
export const ddb = new DynamoDB.DocumentClient({ ...clientOptions });
export const sqs = new SQS({ ...tuned() });`,
  },
  {
    name: 'AWS credentials, config and endpoint objects are not clients',
    filename: 'src/creds.js',
    code: `
const AWS = require('aws-sdk');
const creds = new AWS.SharedIniFileCredentials({ profile: 'x' });
const cfg = new AWS.Config({ region: 'eu-west-1' });
const ep = new AWS.Endpoint('http://localhost:4566');
module.exports = { creds, cfg, ep };`,
  },
  {
    name: 'a presign-only S3 client (v2 getSignedUrl, v3 s3-request-presigner) sends no request',
    code: `
import AWS from 'aws-sdk';
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
const s3 = new AWS.S3({ signatureVersion: 'v4' });
const s3v3 = new S3Client({});
export const url = (key: string) => s3.getSignedUrl('getObject', { Bucket: 'b', Key: key });
export const url3 = (key: string) => getSignedUrl(s3v3, new GetObjectCommand({ Bucket: 'b', Key: key }));`,
  },
  {
    name: 'clients with their timeouts: redis, pg, mongoose (options and URL), nodemailer, stripe, OpenAI',
    filename: 'src/fine.js',
    code: `
const redis = require('redis');
const { Pool } = require('pg');
const mongoose = require('mongoose');
const nodemailer = require('nodemailer');
const Stripe = require('stripe');
const OpenAI = require('openai');
const a = redis.createClient({ socket: { connectTimeout: 2000 } });
const b = redis.createClient(6379, 'h', { connect_timeout: 2000 });
const pool = new Pool({ connectionTimeoutMillis: 2000, query_timeout: 5000 });
mongoose.connect('mongodb://h/db?serverSelectionTimeoutMS=2000');
mongoose.connect(process.env.URL, { serverSelectionTimeoutMS: 2000, socketTimeoutMS: 5000 });
const mail = nodemailer.createTransport({ host: 'smtp', connectionTimeout: 2000, socketTimeout: 5000 });
const stripe = new Stripe(process.env.KEY, { timeout: 5000 });
const stripe2 = require('stripe')(process.env.KEY, { timeout: 5000 });
const ai = new OpenAI({ timeout: 20000 });
module.exports = { a, b, pool, mail, stripe, stripe2, ai };`,
  },
  {
    name: 'request modules with their timeouts: option, chained .timeout(), needle response_timeout',
    filename: 'src/legacy-ok.js',
    code: `
const request = require('request');
const superagent = require('superagent');
const needle = require('needle');
exports.a = (cb) => request({ url: 'https://a.example.com/x', timeout: 3000 }, cb);
exports.b = (cb) => request.get('https://a.example.com/y', { timeout: 3000 }, cb);
exports.c = () => superagent.get('https://c.example.com/z').set('A', 'b').timeout({ response: 3000 });
exports.d = () => needle.post('https://d.example.com/w', { a: 1 }, { response_timeout: 3000 });`,
  },
  {
    name: 'Prisma takes its timeouts from the datasource URL; a local class named S3 is not the SDK',
    code: `
import { PrismaClient } from '@prisma/client';
class S3 { constructor(public bucket: string) {} }
export const prisma = new PrismaClient();
export const mine = new S3('b');`,
  },
];

testDetector('no-timeout on table clients', detector, { valid, invalid });
