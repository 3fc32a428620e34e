import { loadCatalog } from '../catalog/catalog';
import type { ReliabilityFacts } from '../iac/reliability/facts-types';
import type { ScanResult } from '../types';
import { joinSections, mergeSections, type Section } from './playbook-merge';
import { evidenceList } from './reliability-plan-tables';
import {
  circuitBreakers,
  configValidated,
  externalTimeouts,
  gracefulShutdown,
  healthEndpoint,
  metricsExposed,
  noHardcodedSecretsOrUrls,
  notVisible,
  orchestratorHealthChecks,
  readinessEndpoint,
  resourceLimits,
  retriesWithBackoff,
  reviewContext,
  rollbackReady,
  structuredLogs,
  type Check,
  type ReviewContext,
} from './review-checks';
import { alertsActionable, autoScalingWithLimits, livenessAndReadiness, secretsInVault } from './review-ops';

type Item = [label: string, judge: (ctx: ReviewContext) => Check];

/** Seed 001's "Production Readiness Review" template, section by section. */
const CHECKLIST: Array<[section: string, heading: string, items: Item[]]> = [
  [
    'health-observability',
    'Health & Observability',
    [
      ['/health endpoint exists and returns 200', healthEndpoint],
      ['/ready endpoint checks dependencies', readinessEndpoint],
      ['Logs are JSON with correlation IDs', structuredLogs],
      ['Metrics are exposed (Prometheus/CloudWatch)', metricsExposed],
    ],
  ],
  [
    'reliability',
    'Reliability',
    [
      ['SIGTERM handled with graceful shutdown', gracefulShutdown],
      ['All HTTP calls have timeouts (< 30s)', externalTimeouts],
      ['Retries use exponential backoff', retriesWithBackoff],
      ['Resource limits set (CPU, memory)', resourceLimits],
    ],
  ],
  [
    'configuration',
    'Configuration',
    [
      ['No hardcoded secrets or URLs', noHardcodedSecretsOrUrls],
      ['Config validated at startup', configValidated],
      ['Environment variables documented', () => notVisible('Documentation of environment variables')],
    ],
  ],
  [
    'deployment',
    'Deployment',
    [
      ['Rollback tested and documented', rollbackReady],
      ['Health checks configured in orchestrator', orchestratorHealthChecks],
      ['Runbook exists for common issues', () => notVisible('A runbook')],
    ],
  ],
];

/** Seed 002's operations checklist (the □ list). */
const OPERATIONS: Item[] = [
  ['All external calls have timeouts', externalTimeouts],
  ['Circuit breakers on critical paths', circuitBreakers],
  ['Structured logging with correlation IDs', structuredLogs],
  ['RED metrics exposed', metricsExposed],
  ['Alerts are actionable (not noisy)', alertsActionable],
  ['Auto-scaling configured with limits', autoScalingWithLimits],
  ['Graceful shutdown implemented', gracefulShutdown],
  ['Health checks (liveness + readiness)', livenessAndReadiness],
  ['Secrets in vault', secretsInVault],
  ['Runbook exists', () => notVisible('A runbook')],
  ['Rollback tested', rollbackReady],
];

/** Advice for the review's gaps that are not catalog rules (nothing finds them at one place). */
const EXTRA_ADVICE: Record<string, string> = {
  'resource-limits': 'Set MemorySize on every function (and Cpu/Memory on every ECS task) from measured peaks.',
  'no-alarms': 'Alarm on errors, throttles, latency p99 and DLQ depth for every function and queue.',
  'ecs-health-check':
    'Add a container HealthCheck to the task definition and a health check on the target group in front of the service.',
};

interface Judged {
  label: string;
  check: Check;
}

function line(j: Judged, box: (passed: boolean) => string): string {
  const evidence = j.check.evidence.length ? ` Evidence: ${evidenceList(j.check.evidence, 5)}` : '';
  return `${box(j.check.status === 'PASS')} ${j.label} — **${j.check.status}**: ${j.check.note}.${evidence}`;
}

function gaps(judged: Judged[], result: ScanResult): string {
  // the operations list repeats some review items: a gap is listed once, under its first label
  const seen = new Set<string>();
  const open = judged.filter((j) => {
    const key = `${j.check.status}|${j.check.note}|${j.check.evidence.join(',')}`;
    if (seen.has(key) || (j.check.status !== 'FAIL' && j.check.status !== 'PARTIAL')) return false;
    seen.add(key);
    return true;
  });
  const out = ['### Gaps', ''];
  if (open.length)
    out.push(
      ...open.map(
        (j) =>
          `- **${j.check.status}** ${j.label}: ${j.check.note}${j.check.evidence.length ? ` (${evidenceList(j.check.evidence, 5)})` : ''}`,
      ),
    );
  const covered = new Set(judged.flatMap((j) => j.check.rules));
  const catalog = loadCatalog();
  const other = [...new Set(result.findings.map((f) => f.ruleId))].filter((r) => !covered.has(r));
  for (const rule of other) {
    const fs = result.findings.filter((f) => f.ruleId === rule);
    out.push(
      `- **Finding** ${catalog.byId.get(rule)?.title ?? rule} (\`${rule}\`, ${fs[0]!.severity}): ${evidenceList(
        fs.map((f) => `${f.file}:${f.line}`),
        5,
      )}`,
    );
  }
  if (out.length === 2) out.push('No FAIL or PARTIAL item and no other finding.');
  return out.join('\n');
}

function recommendations(judged: Judged[]): string {
  const catalog = loadCatalog();
  const out = ['### Recommendations', ''];
  const seen = new Set<string>();
  for (const j of judged.filter((x) => x.check.status === 'FAIL' || x.check.status === 'PARTIAL')) {
    for (const rule of j.check.rules) {
      const advice = catalog.byId.get(rule)?.fix ?? EXTRA_ADVICE[rule];
      if (!advice || seen.has(rule)) continue;
      seen.add(rule);
      // only catalog rules are named by id (the ids --only and suppressions accept); the others by their advice
      out.push(catalog.byId.has(rule) ? `- ${j.label} (\`${rule}\`): ${advice}` : `- ${j.label}: ${advice}`);
    }
  }
  if (out.length === 2) out.push('- Nothing to fix from the code and IaC.');
  const manual = [...new Set(judged.filter((j) => j.check.status === 'CANNOT DETERMINE').map((j) => j.label))];
  if (manual.length) out.push('', 'Verify by hand (not visible in code):', '', ...manual.map((m) => `- ${m}`));
  return out.join('\n');
}

function signOff(result: ScanResult): string {
  const critical = result.findings.filter((f) => f.severity === 'critical');
  const catalog = loadCatalog();
  const out = ['### Sign-off', `Ready for production: ${critical.length ? 'NO' : 'YES'}`];
  if (!critical.length) return [...out, 'Blockers: none (no critical finding)'].join('\n');
  out.push('Blockers:');
  for (const rule of [...new Set(critical.map((f) => f.ruleId))]) {
    const fs = critical.filter((f) => f.ruleId === rule);
    out.push(
      `- ${catalog.byId.get(rule)?.title ?? rule} (\`${rule}\`): ${evidenceList(
        fs.map((f) => `${f.file}:${f.line}`),
        10,
      )}`,
    );
  }
  return out.join('\n');
}

export function reviewSections(result: ScanResult, facts: ReliabilityFacts, date: string): Section[] {
  const ctx = reviewContext(result, facts);
  const judge = (items: Item[]): Judged[] => items.map(([label, fn]) => ({ label, check: fn(ctx) }));
  const sections: Section[] = [
    {
      name: 'review-header',
      body: [
        '## Production Readiness Review',
        '',
        `### Service: ${result.discovery.serviceName}`,
        `### Date: ${date}`,
        '### Reviewer: harden-codemod',
      ].join('\n'),
    },
  ];
  const all: Judged[] = [];
  for (const [name, heading, items] of CHECKLIST) {
    const judged = judge(items);
    all.push(...judged);
    sections.push({
      name,
      body: [`### ${heading}`, ...judged.map((j) => line(j, (ok) => (ok ? '- [x]' : '- [ ]')))].join('\n'),
    });
  }
  const ops = judge(OPERATIONS);
  sections.push({
    name: 'operations-checklist',
    body: ['### Operations Checklist', ...ops.map((j) => line(j, (ok) => (ok ? '☑' : '□')))].join('\n'),
  });
  all.push(...ops);
  sections.push({ name: 'gaps', body: gaps(all, result) });
  sections.push({ name: 'recommendations', body: recommendations(all) });
  sections.push({ name: 'sign-off', body: signOff(result) });
  return sections;
}

/**
 * The production-readiness review (seed 001) with the operations checklist (seed 002). Each
 * item is PASS / FAIL / PARTIAL / CANNOT DETERMINE with file:line evidence; generated
 * sections sit between markers so regenerating keeps the reviewer's own notes.
 */
export function readinessReview(
  result: ScanResult,
  facts: ReliabilityFacts,
  options: { date: string; existing?: string },
): string {
  const sections = reviewSections(result, facts, options.date);
  return options.existing === undefined ? joinSections(sections) : mergeSections(options.existing, sections);
}
