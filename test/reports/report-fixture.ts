import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../../src/catalog/catalog';
import { defaultConfig } from '../../src/config/config-schema';
import type { Discovery } from '../../src/discovery/discovery-types';
import { IAC_CHECKS } from '../../src/iac/checks/iac-checks';
import type { ReliabilityFacts } from '../../src/iac/reliability/facts-types';
import { toFinding } from '../../src/scan/finalize-findings';
import type { DependencyRef, Finding, ScanResult, Severity } from '../../src/types';

/** The hand-built service under test/fixtures/reports/service; the findings below point into it. */
export const FIXTURE_ROOT = path.resolve(__dirname, '../fixtures/reports/service');

const PAYMENTS: DependencyRef = { name: 'payments API (axios instance paymentsClient)', category: 'external-api' };
const DYNAMODB: DependencyRef = { name: 'DynamoDB', category: 'database' };

function finding(
  ruleId: string,
  severity: Severity,
  file: string,
  line: number,
  column: number,
  message: string,
  extra: Partial<Finding> = {},
): Finding {
  return {
    ruleId,
    severity,
    file,
    line,
    column,
    endLine: line,
    endColumn: column + 10,
    message,
    fixable: false,
    ...extra,
  };
}

export function fixtureFindings(): Finding[] {
  return [
    finding('no-timeout', 'critical', 'src/payments.ts', 6, 21, 'paymentsClient.post has no timeout', {
      dependency: PAYMENTS,
      fixable: true,
    }),
    finding('no-retry', 'critical', 'src/payments.ts', 6, 21, 'paymentsClient.post is called once, with no retry', {
      dependency: PAYMENTS,
      fixable: true,
    }),
    finding('no-circuit-breaker', 'high', 'src/payments.ts', 6, 21, 'paymentsClient.post has no circuit breaker', {
      dependency: PAYMENTS,
      fixable: true,
    }),
    finding('silent-error-swallow', 'critical', 'src/payments.ts', 15, 5, 'catch returns null instead of failing', {
      fixable: true,
    }),
    finding('unstructured-logging', 'medium', 'src/payments.ts', 14, 5, 'console.log instead of a structured logger', {
      fixable: true,
    }),
    finding('unstructured-logging', 'medium', 'src/orders.ts', 6, 3, 'console.log instead of a structured logger', {
      fixable: true,
    }),
    finding('no-timeout', 'critical', 'src/orders.ts', 7, 23, 'DynamoDBClient has no request timeout', {
      dependency: DYNAMODB,
      fixable: true,
    }),
    finding('unstructured-logging', 'medium', 'src/orders.ts', 8, 3, 'console.log instead of a structured logger', {
      fixable: true,
    }),
    finding('no-dlq', 'high', 'serverless.yml', 13, 5, 'SQS queue OrdersQueue has no dead-letter queue', {
      fixable: true,
    }),
    finding(
      'no-idempotency',
      'high',
      'src/handler.ts',
      4,
      1,
      'SQS handler main processes records without an idempotency key',
    ),
  ];
}

export function fixtureDiscovery(overrides: Partial<Discovery> = {}): Discovery {
  return {
    serviceName: 'orders-service',
    language: 'typescript',
    moduleSystem: 'commonjs',
    frameworks: [],
    iac: ['serverless'],
    cloud: ['aws'],
    packageManager: 'npm',
    workspaces: [],
    lambdaHandlers: [
      {
        file: 'src/handler.ts',
        exportName: 'main',
        triggers: ['sqs'],
        functionName: 'worker',
        source: 'iac',
        declaredAt: { file: 'serverless.yml', line: 6 },
      },
    ],
    dependencies: [
      {
        name: PAYMENTS.name,
        category: 'external-api',
        module: 'axios',
        files: ['src/payments.ts'],
        callSites: 2,
        protection: { timeout: false, retry: false, breaker: false },
      },
      {
        name: 'DynamoDB',
        category: 'database',
        module: '@aws-sdk/client-dynamodb',
        files: ['src/orders.ts'],
        callSites: 1,
        protection: { timeout: false, retry: true, breaker: false },
      },
    ],
    resilienceLibraries: [],
    ...overrides,
  };
}

export function fixtureResult(overrides: Partial<ScanResult> = {}): ScanResult {
  return {
    root: FIXTURE_ROOT,
    discovery: fixtureDiscovery(),
    findings: fixtureFindings(),
    suppressed: [],
    notes: [],
    filesScanned: 4,
    ...overrides,
  };
}

/** A writable copy of the fixture service, for tests that move lines. */
export function copyFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-reports-'));
  fs.cpSync(FIXTURE_ROOT, dir, { recursive: true });
  return dir;
}

/** Inserts lines at the top of a file in `root` and returns the findings moved to match. */
export function insertLinesAbove(root: string, file: string, lines: string[], findings: Finding[]): Finding[] {
  const abs = path.join(root, file);
  fs.writeFileSync(abs, `${lines.join('\n')}\n${fs.readFileSync(abs, 'utf8')}`);
  return findings.map((f) =>
    f.file === file ? { ...f, line: f.line + lines.length, endLine: f.endLine + lines.length } : f,
  );
}

/** What the IaC checks report on hand-built reliability facts, as the scan reports it (catalog severities). */
export function iacFindingsOf(facts: ReliabilityFacts): Finding[] {
  const config = defaultConfig();
  const input = { models: [], facts, root: '/svc', repoFiles: [], config };
  return IAC_CHECKS.flatMap((c) => c.run(input)).map((f) => toFinding(f, f.file, loadCatalog(), config));
}
