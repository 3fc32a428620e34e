import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jscodeshift from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import { fix as addTimeout } from '../add-timeout';
import { handlerShorthandSupport } from '../lib/aws-sdk-versions';
import { createFixContext, printOptionsFor } from '../lib/transform-api';
import type { ServiceState } from '../../src/api/fix-context';
import { recastParserFor } from '../lib/recast-parser';

/*
 * AWS SDK v3 takes a plain-object requestHandler only from client 3.521.0 on: the timeout fix
 * checks the range the package declares and the release installed, and writes
 * `new NodeHttpHandler({...})` wherever an older release may run.
 */

/** A package in a temp dir: its package.json dependencies and, optionally, an installed client release. */
function makePackage(dependencies: Record<string, string>, installed?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-aws-version-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'svc', dependencies }));
  if (installed) {
    const mod = path.join(dir, 'node_modules/@aws-sdk/client-dynamodb');
    fs.mkdirSync(mod, { recursive: true });
    fs.writeFileSync(
      path.join(mod, 'package.json'),
      JSON.stringify({ name: '@aws-sdk/client-dynamodb', version: installed }),
    );
  }
  fs.mkdirSync(path.join(dir, 'src'));
  return dir;
}

describe("whether the package's AWS SDK takes the requestHandler shorthand", () => {
  it.each([
    ['a range from 3.521.0 on, nothing installed', { '@aws-sdk/client-dynamodb': '^3.521.0' }, undefined, 'yes'],
    ['a recent range and a recent install', { '@aws-sdk/client-dynamodb': '^3.600.0' }, '3.700.1', 'yes'],
    ['a range that admits older releases', { '@aws-sdk/client-dynamodb': '^3.300.0' }, undefined, 'no'],
    ['"^3.0.0", common in older services', { '@aws-sdk/client-dynamodb': '^3.0.0' }, '3.800.0', 'no'],
    [
      'a recent range but an older release installed (a lockfile)',
      { '@aws-sdk/client-dynamodb': '>=3.521.0' },
      '3.400.0',
      'no',
    ],
    ["not declared: the Lambda runtime's bundled SDK", {}, undefined, 'unknown'],
    ['a tag instead of a range', { '@aws-sdk/client-dynamodb': 'latest' }, undefined, 'unknown'],
  ] as const)('%s', (_, deps, installed, expected) => {
    const dir = makePackage({ ...deps }, installed);
    expect(handlerShorthandSupport(path.join(dir, 'src/db.ts'), '@aws-sdk/client-dynamodb')).toBe(expected);
  });
});

function runAddTimeout(dir: string, source: string) {
  const file = path.join(dir, 'src/db.ts');
  const j = jscodeshift.withParser(recastParserFor(file));
  const root = j(source);
  const state: ServiceState = { modules: new Map(), dependencies: new Map(), skipped: [] };
  const changed = addTimeout(createFixContext(j, root, file, defaultConfig(), state));
  return { output: changed ? root.toSource(printOptionsFor(source)) : null, state };
}

describe("add-timeout on AWS SDK v3 clients, by the package's SDK release", () => {
  const source =
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const db = new DynamoDBClient({ region: 'eu-west-1' });\n";

  it('writes the shorthand where every allowed release takes it', () => {
    const { output, state } = runAddTimeout(makePackage({ '@aws-sdk/client-dynamodb': '^3.600.0' }), source);
    expect(output).toContain(
      "new DynamoDBClient({ region: 'eu-west-1', requestHandler: { requestTimeout: 5000, connectionTimeout: 1000, throwOnRequestTimeout: true } })",
    );
    expect(state.dependencies.size).toBe(0);
  });

  it('writes new NodeHttpHandler({...}) from @smithy/node-http-handler, added to the package, where an older release may run', () => {
    const { output, state } = runAddTimeout(makePackage({ '@aws-sdk/client-dynamodb': '^3.300.0' }), source);
    expect(output).toBe(
      [
        "import { NodeHttpHandler } from '@smithy/node-http-handler';",
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        "export const db = new DynamoDBClient({ region: 'eu-west-1', requestHandler: new NodeHttpHandler({ requestTimeout: 5000, connectionTimeout: 1000, throwOnRequestTimeout: true }) });",
        '',
      ].join('\n'),
    );
    expect(Object.fromEntries(state.dependencies)).toEqual({ '@smithy/node-http-handler': '^4.4.0' });
  });

  it("turns a shorthand the package's release cannot take into a handler, keeping its settings", () => {
    const input =
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const db = new DynamoDBClient({ requestHandler: { requestTimeout: 2000 } });\n";
    const { output } = runAddTimeout(makePackage({ '@aws-sdk/client-dynamodb': '3.400.0' }), input);
    expect(output).toContain(
      'new DynamoDBClient({ requestHandler: new NodeHttpHandler({ requestTimeout: 2000, connectionTimeout: 1000, throwOnRequestTimeout: true }) })',
    );
  });

  it("keeps a user's own shorthand where the release is not known, completing it", () => {
    const input =
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const db = new DynamoDBClient({ requestHandler: { requestTimeout: 2000 } });\n";
    const { output } = runAddTimeout(makePackage({}), input);
    expect(output).toContain(
      'new DynamoDBClient({ requestHandler: { requestTimeout: 2000, connectionTimeout: 1000, throwOnRequestTimeout: true } })',
    );
  });
});
