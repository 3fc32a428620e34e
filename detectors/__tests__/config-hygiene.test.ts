import { describe, expect, it } from 'vitest';
import configHygiene from '../config-hygiene';
import { detect } from '../../test/helpers/detect';
import { testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';

const invalid: InvalidCase[] = [
  {
    name: 'env read in several handlers',
    code: `
export async function handler() {
  const table = process.env.TABLE_NAME;
  await publish(process.env.TOPIC_ARN, table);
}`,
    errors: [{ ruleId: 'scattered-env-config', messageId: 'scatteredEnvReads', line: 2, column: 17 }],
  },
  {
    name: 'destructured inside a function',
    filename: 'src/handlers/pay.js',
    code: `
exports.handler = async () => {
  const { PAYMENTS_URL, API_TIMEOUT } = process.env;
  return call(PAYMENTS_URL, API_TIMEOUT);
};`,
    errors: [{ ruleId: 'scattered-env-config', messageId: 'scatteredEnvReads', line: 2, column: 11 }],
  },
  {
    name: 'env in a class method and an arrow function',
    code: `
const limit = () => Number(process.env.MAX_ITEMS);
class Repo {
  table() { return process.env['ORDERS_TABLE']; }
}`,
    errors: [{ ruleId: 'scattered-env-config', messageId: 'scatteredEnvReads', line: 1, column: 28 }],
  },
  {
    name: 'hard-coded base URL on an axios client: a host of one environment',
    code: `
import axios from 'axios';
export const payments = axios.create({ baseURL: 'https://payments.staging.acme-corp.io/v2', timeout: 5000 });`,
    errors: [{ ruleId: 'hardcoded-url', messageId: 'hardCodedUrl', line: 2, column: 49 }],
  },
  {
    name: 'a quoted URL with a JS-style placeholder is still a constant host',
    code: `
const ORDER_URL = 'https://orders.prod.acme.net/v1/orders/\${orderId}';
export const get = () => fetch(ORDER_URL);`,
    errors: [{ ruleId: 'hardcoded-url', messageId: 'hardCodedUrl', line: 1, column: 19 }],
  },
  {
    name: 'fetch with a literal URL template of an internal service',
    code: `
export const rates = (ccy: string) => fetch(\`https://rates.corp.acme-corp.io/latest?base=\${ccy}\`, { signal: AbortSignal.timeout(3000) });`,
    errors: [{ ruleId: 'hardcoded-url', messageId: 'hardCodedUrl', line: 1, column: 45 }],
  },
  {
    name: "a third party's API with a stage in its host (a sandbox is not production)",
    code: `
import axios from 'axios';
export const paypal = axios.create({ baseURL: 'https://api.sandbox.paypal.com/v2', timeout: 5000 });`,
    errors: [{ ruleId: 'hardcoded-url', messageId: 'hardCodedUrl', line: 2, column: 47 }],
  },
  {
    name: "the service's own environment: a generated cloud host, a bare name, a private address",
    code: `
export const a = () => fetch('https://k3x9.execute-api.eu-west-1.amazonaws.com/prod/orders');
export const b = () => fetch('http://link-to-app/verify');
export const c = () => fetch('http://10.0.3.7:8080/stock');
export const d = () => fetch('https://orders-api.herokuapp.com/orders');`,
    errors: [
      { ruleId: 'hardcoded-url', messageId: 'hardCodedUrl', line: 1, column: 30 },
      { ruleId: 'hardcoded-url', messageId: 'hardCodedUrl', line: 2, column: 30 },
      { ruleId: 'hardcoded-url', messageId: 'hardCodedUrl', line: 3, column: 30 },
      { ruleId: 'hardcoded-url', messageId: 'hardCodedUrl', line: 4, column: 30 },
    ],
  },
  {
    name: 'a machine name on a private network, and a bracketed address',
    code: `
import axios from 'axios';
export const ledger = axios.create({ baseURL: 'http://ledger.intranet/api' });
export const cache = () => fetch('http://[fd00::12]/warm');`,
    errors: [
      { ruleId: 'hardcoded-url', messageId: 'hardCodedUrl', line: 2, column: 47 },
      { ruleId: 'hardcoded-url', messageId: 'hardCodedUrl', line: 3, column: 34 },
    ],
  },
  {
    name: "another environment's host as the default of a setting",
    code: `
const BFF_API_URL = process.env.BFF_API_URL ?? 'http://shop-bff-development.us-east-1.elasticbeanstalk.com';
export const p = () => fetch(\`\${BFF_API_URL}/x\`);`,
    errors: [
      {
        ruleId: 'hardcoded-url',
        messageId: 'hardCodedUrl',
        line: 1,
        column: 48,
        message:
          'BFF_API_URL (default of BFF_API_URL) uses the hard-coded URL http://shop-bff-development.us-east-1.elasticbeanstalk.com',
      },
    ],
  },
  {
    name: 'endpoint constant and config key',
    filename: 'src/clients/search.js',
    code: `
const SEARCH_ENDPOINT = 'https://search.internal.acme.net/query';
const client = new SearchClient({ endpoint: 'https://search-eu.acme.net:9243' });
module.exports = { SEARCH_ENDPOINT, client };`,
    errors: [
      { ruleId: 'hardcoded-url', messageId: 'hardCodedUrl', line: 1, column: 25 },
      { ruleId: 'hardcoded-url', messageId: 'hardCodedUrl', line: 2, column: 45 },
    ],
  },
  {
    name: 'axios.get with a literal',
    code: `
import axios from 'axios';
export async function stock() { return axios.get('http://inventory.prod.acme.net:8080/stock', { timeout: 1000 }); }`,
    errors: [{ ruleId: 'hardcoded-url', messageId: 'hardCodedUrl', line: 2, column: 50 }],
  },
];

const builtPathInvalid: InvalidCase[] = [
  {
    name: 'two settings read in a handler of a service whose folder mentions config',
    filename: '2-config-service/code/configChanged.js',
    code: `exports.handler = async (event) => {\n  await eventbridge.putEvents({ Entries: [{ EventBusName: process.env.EventBusName, Source: process.env.Source }] }).promise();\n};`,
    errors: [{ ruleId: 'scattered-env-config', messageId: 'scatteredEnvReads', line: 2, column: 59 }],
  },
  {
    name: 'a fixed host with a path built at run time',
    code: `export async function get(id: string) {\n  const ordersUrl = \`https://orders.prod.acme.net/orders/\${id}\`;\n  return fetch(ordersUrl);\n}`,
    errors: [{ ruleId: 'hardcoded-url', messageId: 'hardCodedUrl', line: 2, column: 21 }],
  },
];

const valid: DetectorTestCase[] = [
  {
    name: 'a Serverless configuration module: the URL is filled in per environment by deploy-time variables',
    filename: 'serverless.ts',
    code: `export default {\n  provider: {\n    environment: {\n      QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/\${aws:accountId}/\${sls:stage}-updates.fifo',\n    },\n  },\n};`,
  },
  {
    name: 'module-scope env constants',
    code: `const TABLE = process.env.TABLE_NAME!;\nconst TOPIC = process.env.TOPIC_ARN;\nexport const handler = async () => put(TABLE, TOPIC);`,
  },
  {
    name: 'one read inside a function',
    code: `async function bootstrap() {\n  await app.listen(process.env.PORT ?? 3000);\n}`,
  },
  {
    name: 'platform variables',
    code: `export function log() {\n  if (process.env.NODE_ENV === 'test') return;\n  emit(process.env.AWS_REGION, process.env.AWS_LAMBDA_FUNCTION_NAME);\n}`,
  },
  {
    name: 'a config module',
    filename: 'src/config/index.ts',
    code: `export function load() {\n  return { table: process.env.TABLE, topic: process.env.TOPIC, url: 'https://payments.acme-corp.io' };\n}`,
  },
  {
    name: 'a CDK stack reading its deploy inputs in its constructor',
    filename: 'lib/shop-stack.ts',
    code: `import { Stack } from 'aws-cdk-lib';\nimport { Subscription } from 'aws-cdk-lib/aws-sns';\nexport class ShopStack extends Stack {\n  constructor(scope, id) {\n    super(scope, id);\n    new Subscription(this, 'A', { endpoint: process.env.ALERT_EMAIL ?? '', protocol: 'email', topic });\n    new Subscription(this, 'B', { endpoint: process.env.EXPENSIVE_EMAIL ?? '', protocol: 'email', topic });\n  }\n}`,
  },
  {
    name: 'a settings module and a config folder',
    filename: 'src/config/aws.ts',
    code: `export function load() {\n  return { table: process.env.TABLE, topic: process.env.TOPIC };\n}`,
  },
  {
    name: 'a module named for its configuration',
    filename: 'src/db-config.js',
    code: `module.exports = () => ({ host: process.env.DB_HOST, port: process.env.DB_PORT });`,
  },
  {
    name: 'writes in a test setup',
    filename: 'src/setup.ts',
    code: `export function setup() {\n  process.env.TABLE = 't';\n  process.env.TOPIC = 'x';\n  delete process.env.OTHER;\n}`,
  },
  {
    name: 'localhost, example and schema URLs',
    code: `import axios from 'axios';\nexport const a = axios.create({ baseURL: 'http://localhost:4000' });\nexport const b = fetch('https://api.example.com/x');\nconst schema = { $schema: 'http://json-schema.org/draft-07/schema#' };\nconst ns = { xmlns: 'http://www.w3.org/2000/svg' };\nconst apiUrl = 'https://sandbox.payments.example.org';`,
  },
  {
    name: "a third party's public API base URL (the same in every environment)",
    code: `
import axios from 'axios';
export const heroku = axios.create({ baseURL: 'https://api.heroku.com', timeout: 5000 });
export const weather = () => axios.get(\`https://api.openweathermap.org/data/2.5/weather?q=x&appid=\${process.env.KEY}\`, { timeout: 2000 });
export const slack = () => fetch('https://hooks.slack.com/services/T000/B000/XXXX', { signal: AbortSignal.timeout(3000) });
export const sheets = () => fetch('https://sheets.googleapis.com/v4/spreadsheets/1', { signal: AbortSignal.timeout(3000) });`,
  },
  {
    name: 'public hosts with no environment, network or port in them: the same endpoint in every environment',
    code: `
import axios from 'axios';
const baseURL = 'https://jsonfaker.example-vendor.com';
export const posts = () => axios.get(\`\${baseURL}/posts\`, { timeout: 2000 });
export const countries = axios.create({ baseURL: 'https://restcountries.com/v3.1', timeout: 2000 });
export const stories = () => fetch('https://news.ycombinator.com/rss', { signal: AbortSignal.timeout(3000) });
export const wiki = () => fetch('https://en.wikipedia.org:443/w/api.php?action=query', { signal: AbortSignal.timeout(3000) });`,
  },
  {
    name: 'a service-discovery name as the default of a setting (it resolves inside each environment)',
    code: `const INVENTORY_URL = process.env.INVENTORY_URL ?? 'http://inventory.internal:8080';\nexport const p = () => fetch(\`\${INVENTORY_URL}/stock\`);`,
  },
  {
    name: 'a local default of a setting',
    code: `const API_URL = process.env.API_URL || 'http://localhost:3000';\nexport const p = () => fetch(API_URL);`,
  },
  {
    name: 'URL from the environment with a fallback',
    code: `const PAYMENTS_URL = process.env.PAYMENTS_URL ?? 'https://payments.acme-corp.io';\nexport const p = () => fetch(\`\${PAYMENTS_URL}/x\`);`,
  },
  {
    name: 'a licence link in an API description, a README link',
    code: `const swaggerDef = {\n  info: { license: { name: 'MIT', url: 'https://github.com/acme/orders/blob/master/LICENSE' } },\n};\nconst readmeUrl = 'https://git.acme-corp.io/orders/README.md';`,
  },
  {
    name: 'a URL whose host is built at run time',
    code: `export async function send(region: string, account: string) {\n  const queueUrl = \`https://sqs.\${region}.amazonaws.com/\${account}/receiver\`;\n  return sqs.sendMessage({ QueueUrl: queueUrl, MessageBody: 'x' }).promise();\n}`,
  },
  {
    name: 'URLs that are not endpoints',
    code: `throw new Error('see https://docs.acme-corp.io/errors/42');\nconst docs = { link: 'https://docs.acme-corp.io' };\nres.redirect('https://www.acme-corp.io/login');`,
  },
];

testDetector('config-hygiene detector', configHygiene, { valid, invalid: [...invalid, ...builtPathInvalid] });

describe('config-hygiene detector', () => {
  it('counts the reads and names the variables', () => {
    const [f] = detect(
      configHygiene,
      `export function h() {\n  return [process.env.A, process.env.B, process.env.A];\n}`,
    );
    expect(f?.message).toBe(
      'process.env is read 3 times inside functions (A, B) instead of once in a validated config module',
    );
  });
  it('shows only the scheme and host of a URL', () => {
    const [f] = detect(configHygiene, `export const c = fetch('https://user:pw@orders.dev.acme-corp.io/v1/x?key=1');`);
    expect(f?.message).toBe('fetch() uses the hard-coded URL https://orders.dev.acme-corp.io');
    expect(JSON.stringify(f)).not.toContain('pw@');
  });
});
