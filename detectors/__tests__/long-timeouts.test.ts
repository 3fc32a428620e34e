import { describe, expect, it } from 'vitest';
import longTimeouts from '../long-timeouts';
import { detect } from '../../test/helpers/detect';
import { testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';

const invalid: InvalidCase[] = [
  {
    name: 'axios.create with a 60 s timeout',
    code: `
import axios from 'axios';
export const api = axios.create({
  baseURL: process.env.API_URL,
  timeout: 60000,
});`,
    errors: [{ messageId: 'timeoutAboveCeiling', line: 4, column: 12 }],
  },
  {
    name: 'axios call option written as a product',
    code: `
import axios from 'axios';
export const get = (id: string) => axios.get(\`/x/\${id}\`, { timeout: 2 * 60 * 1000 });`,
    errors: [{ messageId: 'timeoutAboveCeiling', line: 2, column: 69 }],
  },
  {
    name: 'AbortSignal.timeout through a constant',
    code: `
const REPORT_TIMEOUT_MS = 120_000;
export async function report() {
  return fetch(process.env.REPORTS_URL!, { signal: AbortSignal.timeout(REPORT_TIMEOUT_MS) });
}`,
    errors: [{ messageId: 'timeoutAboveCeiling', line: 3, column: 72 }],
  },
  {
    name: 'AWS SDK requestHandler shorthand',
    code: `
import { S3Client } from '@aws-sdk/client-s3';
const s3 = new S3Client({
  requestHandler: { requestTimeout: 45_000, connectionTimeout: 1000 },
});`,
    errors: [{ messageId: 'timeoutAboveCeiling', line: 3, column: 37 }],
  },
  {
    name: 'got timeout.request',
    filename: 'src/client.js',
    code: `
const got = require('got');
const client = got.extend({ timeout: { request: 90000 } });`,
    errors: [{ messageId: 'timeoutAboveCeiling', line: 2, column: 49 }],
  },
  {
    name: 'setTimeout-based abort',
    code: `
export async function load(url: string) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 45000);
  try { return await fetch(url, { signal: controller.signal }); } finally { clearTimeout(timer); }
}`,
    errors: [{ messageId: 'timeoutAboveCeiling', line: 3, column: 54 }],
  },
  {
    name: 'axios defaults',
    code: `
import axios from 'axios';
axios.defaults.timeout = 35000;`,
    errors: [{ messageId: 'timeoutAboveCeiling', line: 2, column: 26 }],
  },
];

const valid: DetectorTestCase[] = [
  {
    name: 'axios at exactly 30 s',
    code: `import axios from 'axios';\nexport const api = axios.create({ timeout: 30000 });`,
  },
  {
    name: 'AbortSignal.timeout(5000)',
    code: `export const f = (u: string) => fetch(u, { signal: AbortSignal.timeout(5000) });`,
  },
  {
    name: 'timeout from config (not a literal)',
    code: `import axios from 'axios';\nexport const api = axios.create({ timeout: Number(process.env.TIMEOUT_MS) });`,
  },
  { name: 'a sleep, not an abort', code: `export const wait = () => new Promise((r) => setTimeout(r, 60000));` },
  {
    name: 'a timeout key on something that is not a client',
    code: `export const job = schedule({ timeout: 600000 });\nexport const cfg = { lambda: { timeout: 900 } };`,
  },
  {
    name: 'AWS connectionTimeout within bounds',
    code: `import { SQSClient } from '@aws-sdk/client-sqs';\nexport const sqs = new SQSClient({ requestHandler: { requestTimeout: 5000 } });`,
  },
  { name: 'a polling interval', code: `export const poll = () => setInterval(() => controller.abort(), 60000);` },
  {
    name: 'DB statement timeout is left to the database rules',
    code: `import { Pool } from 'pg';\nexport const pool = new Pool({ statement_timeout: 120000 });`,
  },
];

testDetector('long-timeouts detector', longTimeouts, { valid, invalid });

describe('long-timeouts detector', () => {
  it('says the value in seconds and milliseconds', () => {
    const [f] = detect(
      longTimeouts,
      `import axios from 'axios';\nexport const api = axios.create({ timeout: 60000 });`,
    );
    expect(f?.message).toBe('axios.create() timeout is 60 s (60000 ms), above the 30 s ceiling');
    expect(f?.data).toEqual({ client: 'axios', option: 'timeout', ms: 60000, limitMs: 30000 });
  });
});
