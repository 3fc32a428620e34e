import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../config/config-schema';
import { fixIacFile } from '../fix-iac';
import { scanIac } from '../scan-iac';
import type { IacInputFile } from '../../types';

const sam = (body: string): IacInputFile => ({
  path: 'template.yaml',
  absPath: '/virtual/template.yaml',
  text: `AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n${body}`,
});
const rules = (files: IacInputFile[], ruleId: string): string[] =>
  scanIac(files, { root: '/virtual', config: defaultConfig(), repoFiles: [] })
    .findings.filter((f) => f.ruleId === ruleId)
    .map((f) => `${f.file}:${f.line}`);

const apiFunction = (timeout: number, apiTimeout?: number): string => `  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Timeout: ${timeout}
      Events:
        Get:
          Type: Api
          Properties:
            Path: /orders
            Method: get${apiTimeout ? `\n            TimeoutInMillis: ${apiTimeout}` : ''}
`;

describe('lambda-timeout-exceeds-api', () => {
  it.each([
    ['a 30 s function behind the 29 s default', apiFunction(30)],
    ['a 60 s function', apiFunction(60)],
  ])('reports %s', (_name, body) => {
    expect(rules([sam(body)], 'lambda-timeout-exceeds-api')).toHaveLength(1);
  });
  it.each([
    ['a 10 s function', apiFunction(10)],
    ['the 3 s SAM default', apiFunction(3).replace('      Timeout: 3\n', '')],
    [
      'a function with no API event',
      '  Worker:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: nodejs20.x\n      Timeout: 900\n',
    ],
  ])('stays silent on %s', (_name, body) => {
    expect(rules([sam(body)], 'lambda-timeout-exceeds-api')).toEqual([]);
  });
});

const table = (id: string, ttl: boolean): string => `  ${id}:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH${ttl ? '\n      TimeToLiveSpecification:\n        AttributeName: expiration\n        Enabled: true' : ''}
`;

describe('idempotency-table-without-ttl', () => {
  it('reports an idempotency table without TTL at its logical id', () => {
    expect(rules([sam(table('IdempotencyTable', false))], 'idempotency-table-without-ttl')).toEqual([
      'template.yaml:4',
    ]);
  });
  it.each([
    ['an idempotency table with TTL', table('IdempotencyTable', true)],
    ['an orders table without TTL (not an idempotency store)', table('OrdersTable', false)],
  ])('stays silent on %s', (_name, body) => {
    expect(rules([sam(body)], 'idempotency-table-without-ttl')).toEqual([]);
  });
  it('the fix turns TTL on, keeps every original line, and then the rule is silent', () => {
    const file = sam(`  # where processed messages are remembered\n${table('IdempotencyTable', false)}`);
    const findings = scanIac([file], { root: '/virtual', config: defaultConfig(), repoFiles: [] }).findings.filter(
      (f) => f.ruleId === 'idempotency-table-without-ttl',
    );
    const fixed = fixIacFile(file, findings, defaultConfig());
    expect(fixed.fixed).toHaveLength(1);
    expect(fixed.after).toContain('TimeToLiveSpecification:');
    expect(fixed.after).toContain('AttributeName: expiration');
    for (const line of file.text.split('\n')) expect(fixed.after.split('\n')).toContain(line);
    expect(rules([{ ...file, text: fixed.after }], 'idempotency-table-without-ttl')).toEqual([]);
  });
});
