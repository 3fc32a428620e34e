import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import type { Finding } from '../../src/types';
import { fix as addTimeout } from '../add-timeout';
import { recastParserFor } from '../lib/recast-parser';
import { createFixContext, printOptionsFor } from '../lib/transform-api';
import type { ServiceState } from '../../src/api/fix-context';

/** add-timeout on the finding lines only, as the engine runs it, on clients of the client table. */
function run(source: string, lines: number[], file = '/virtual/src/app.js') {
  const j = jscodeshift.withParser(recastParserFor(file));
  const root = j(source);
  const state: ServiceState = { modules: new Map(), dependencies: new Map(), skipped: [] };
  const findings = lines.map(
    (line) =>
      ({
        ruleId: 'no-timeout',
        line,
        severity: 'high',
        file: 'src/app.js',
        column: 1,
        endLine: line,
        endColumn: 1,
        message: '',
        fixable: true,
      }) as Finding,
  );
  const ctx = createFixContext(j, root, file, defaultConfig(), state, findings);
  const changed = addTimeout(ctx);
  return { changed, output: root.toSource(printOptionsFor(source)).split('\n'), state };
}

describe('add-timeout on table clients', () => {
  const source = [
    "const AWS = require('aws-sdk');", // 1
    "const redis = require('redis');", // 2
    "const nodemailer = require('nodemailer');", // 3
    "const mongoose = require('mongoose');", // 4
    'const s3 = new AWS.S3(options());', // 5
    "const cache = redis.createClient(6379, 'h', { no_ready_check: true });", // 6
    "const mail = nodemailer.createTransport({ host: 'smtp' });", // 7
    'mongoose.connect(process.env.MONGO_URL);', // 8
    'const ddb = new AWS.DynamoDB({ httpOptions: agentOptions });', // 9
  ].join('\n');

  it.each([
    {
      lines: [8],
      changed: ['mongoose.connect(process.env.MONGO_URL, { serverSelectionTimeoutMS: 5000, socketTimeoutMS: 5000 });'],
      skipped: [],
    },
    {
      lines: [5],
      changed: [],
      skipped: [{ line: 5, reason: 'the AWS SDK v2 client options are not an object literal here' }],
    },
    {
      lines: [9],
      changed: [],
      skipped: [{ line: 9, reason: "the client's `httpOptions` is not an object literal here" }],
    },
    {
      lines: [6],
      changed: [],
      skipped: [
        {
          line: 6,
          reason:
            'node-redis options differ between v2 (`connect_timeout`) and v4 (`socket.connectTimeout`); set the one of the installed version by hand',
        },
      ],
    },
    {
      lines: [7],
      changed: [],
      skipped: [
        {
          line: 7,
          reason: 'a transport may be a URL string or a plugin; set `connectionTimeout` and `socketTimeout` by hand',
        },
      ],
    },
  ])('line $lines', ({ lines, changed, skipped }) => {
    const result = run(source, lines);
    expect(result.changed).toBe(changed.length > 0);
    for (const line of changed) expect(result.output).toContain(line);
    expect(result.state.skipped).toEqual(skipped);
    // nothing else moves
    source.split('\n').forEach((l, i) => {
      if (!lines.includes(i + 1)) expect(result.output[i]).toBe(l);
    });
  });
});
