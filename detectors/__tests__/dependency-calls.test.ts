import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import type { CodeDetector } from '../../src/detect/detector-api';
import { detectFile } from '../../src/detect/detect-file';
import { languageOf } from '../../src/parse/parse-options';
import { projectFacts } from '../../test/helpers/detect';
import { analyzeDependencies, type DependencyAnalysis } from '../lib/dependency-calls';
import { useDependencyModel } from '../lib/dependency-model';
import { mergeVisitors } from '../../src/parse/merge-visitors';

/** Runs the recognisers over a snippet; one line per call site and per client made. */
function analyze(
  code: string,
  options: { path?: string; internalHosts?: string[] } = {},
): { calls: string[]; instances: string[] } {
  let result: DependencyAnalysis | null = null;
  const probe: CodeDetector = {
    name: 'probe',
    ruleIds: [],
    triggers: [],
    create(ctx) {
      const { model, visitors } = useDependencyModel(ctx);
      return mergeVisitors(visitors, {
        'Program:exit': () => {
          result = analyzeDependencies(model);
        },
      });
    },
  };
  const path = options.path ?? 'src/example.ts';
  const text = code.replace(/^\n/, '');
  const config = { ...defaultConfig(), internalHosts: options.internalHosts ?? [] };
  detectFile({ path, absPath: `/project/${path}`, text, lang: languageOf(path)! }, [probe], projectFacts({ config }));
  const r = result as DependencyAnalysis | null;
  if (!r) throw new Error('not analysed');
  const line = (n: { loc?: { start: { line: number } } | null }) => n.loc?.start.line ?? 0;
  return {
    calls: r.calls.map(
      (c) => `${line(c.node)} ${c.client} ${c.callee} -> ${c.dependency.name} (${c.dependency.category})`,
    ),
    instances: r.instances.map(
      (i) => `${line(i.node)} ${i.client} ${i.key ?? '-'} -> ${i.dependency.name} (${i.dependency.category})`,
    ),
  };
}

describe('dependency call sites', () => {
  it('recognises axios default calls, instances on variables and on this', () => {
    const r = analyze(`
import axios from 'axios';
const paymentsClient = axios.create({ baseURL: 'https://payments.example.com' });
class Users {
  private usersApi = axios.create({ baseURL: process.env.USERS_SERVICE_URL });
  load() { return this.usersApi.get('/me'); }
}
export const a = () => axios.get('https://api.github.com/repos');
export const b = () => paymentsClient.post('/charges', {});
export const c = () => axios({ url: 'https://x.example.com' });`);
    expect(r.instances).toEqual([
      '2 axios paymentsClient -> payments API (external-api)',
      '4 axios this.usersApi -> users API (internal-api)',
    ]);
    expect(r.calls).toEqual([
      '5 axios this.usersApi.get -> users API (internal-api)',
      '7 axios axios.get -> api.github.com (external-api)',
      '8 axios paymentsClient.post -> payments API (external-api)',
      '9 axios axios -> x.example.com (external-api)',
    ]);
  });

  it('classifies HTTP targets: internal hosts, env vars, auth and ML endpoints', () => {
    const r = analyze(
      `
export async function run(id) {
  await fetch('https://orders.corp.example.com/o/' + id);
  await fetch('http://inventory.internal/items');
  await fetch('http://users.default.svc.cluster.local/u');
  await fetch('http://localhost:3000/health');
  await fetch(\`\${process.env.INTERNAL_BILLING_URL}/b\`);
  await fetch(process.env.SEARCH_SERVICE_URL + '/q');
  await fetch('https://tenant.auth0.com/oauth/token', { method: 'POST' });
  await fetch('https://api.openai.com/v1/chat/completions');
  await fetch('https://api.stripe.com/v1/charges');
}`,
      { path: 'src/run.js', internalHosts: ['orders.corp.example.com'] },
    );
    expect(r.calls).toEqual([
      '2 fetch fetch -> orders.corp.example.com (internal-api)',
      '3 fetch fetch -> inventory.internal (internal-api)',
      '4 fetch fetch -> users.default.svc.cluster.local (internal-api)',
      '5 fetch fetch -> localhost (internal-api)',
      '6 fetch fetch -> billing API (internal-api)',
      '7 fetch fetch -> search API (internal-api)',
      '8 fetch fetch -> tenant.auth0.com (auth-provider)',
      '9 fetch fetch -> api.openai.com (ml-ai)',
      '10 fetch fetch -> api.stripe.com (external-api)',
    ]);
  });

  it('classifies AWS SDK v3 clients and their send calls', () => {
    const r = analyze(`
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sns = new SNSClient({});
const kinesis = new KinesisClient({});
const cognito = new CognitoIdentityProviderClient({});
const bedrock = new BedrockRuntimeClient({});
const sagemaker = new SageMakerRuntimeClient({});
export const put = () => doc.send(new PutCommand({ TableName: 't', Item: {} }));
export const q = (sqs: any) => sqs.send(new SendMessageCommand({ QueueUrl: 'u', MessageBody: 'b' }));`);
    expect(r.instances).toEqual([
      '9 aws-sdk - -> DynamoDB (database)',
      '9 aws-sdk doc -> DynamoDB (database)',
      '10 aws-sdk sns -> SNS (event-bus)',
      '11 aws-sdk kinesis -> Kinesis (event-bus)',
      '12 aws-sdk cognito -> CognitoIdentityProvider (auth-provider)',
      '13 aws-sdk bedrock -> BedrockRuntime (ml-ai)',
      '14 aws-sdk sagemaker -> SageMakerRuntime (ml-ai)',
    ]);
    expect(r.calls).toEqual(['15 aws-sdk doc.send -> DynamoDB (database)', '16 aws-sdk sqs.send -> SQS (event-bus)']);
  });

  it('classifies drivers, brokers and key sets (CommonJS)', () => {
    const r = analyze(
      `
const { Pool } = require('pg');
const mysql = require('mysql2/promise');
const Redis = require('ioredis');
const mongoose = require('mongoose');
const { Kafka } = require('kafkajs');
const { createRemoteJWKSet } = require('jose');
const jwksClient = require('jwks-rsa');
const pool = new Pool();
const conn = mysql.createPool({ host: 'db' });
const redis = new Redis();
mongoose.connect(process.env.MONGO_URI);
const kafka = new Kafka({ brokers: ['b:9092'] });
const jwks = createRemoteJWKSet(new URL('https://login.example.com/.well-known/jwks.json'));
const keys = jwksClient({ jwksUri: 'https://tenant.auth0.com/.well-known/jwks.json' });`,
      { path: 'src/deps.js' },
    );
    expect(r.instances).toEqual([
      '8 pg pool -> PostgreSQL (database)',
      '9 mysql2 conn -> MySQL (database)',
      '10 ioredis redis -> Redis (database)',
      '11 mongoose - -> MongoDB (database)',
      '12 kafkajs kafka -> Kafka (event-bus)',
      '13 jose jwks -> login.example.com (auth-provider)',
      '14 jwks-rsa keys -> tenant.auth0.com (auth-provider)',
    ]);
    expect(r.calls).toEqual([]);
  });

  it('recognises got, ky, undici and node:http, and their instances', () => {
    const r = analyze(`
import got from 'got';
import ky from 'ky';
import { request } from 'undici';
import http from 'node:http';
const github = got.extend({ prefixUrl: 'https://api.github.com' });
const shop = ky.create({ prefixUrl: 'https://shop.internal' });
export async function run() {
  await github.get('repos');
  await shop.post('orders');
  await got('https://a.example.com');
  await request('https://b.example.com');
  http.get('http://c.example.com', () => {});
}`);
    expect(r.instances).toEqual(['5 got github -> github API (external-api)', '6 ky shop -> shop API (internal-api)']);
    expect(r.calls).toEqual([
      '8 got github.get -> github API (external-api)',
      '9 ky shop.post -> shop API (internal-api)',
      '10 got got -> a.example.com (external-api)',
      '11 undici request -> b.example.com (external-api)',
      '12 http http.get -> c.example.com (external-api)',
    ]);
  });

  it('ignores look-alikes: local fetch, member fetch, modules named like clients', () => {
    const r = analyze(`
import { get } from './http';
import api from './axios';
const fetch = (k: string) => store[k];
export function run(cache: any) {
  fetch('k');
  cache.fetch('k');
  get('/x');
  api.get('/y');
  new Map().get('z');
}`);
    expect(r).toEqual({ calls: [], instances: [] });
  });
});
