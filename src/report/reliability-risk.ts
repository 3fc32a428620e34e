import type { Severity } from '../types';

/** Impact × likelihood (seed 003, step 8) and how each rule is placed on it. */

export type Impact = 'Severe' | 'Moderate' | 'Minor';
export type Likelihood = 'High' | 'Medium' | 'Low';
export type RiskLevel = 'Critical' | 'High' | 'Medium' | 'Low';
export const RISK_LEVELS: readonly RiskLevel[] = ['Critical', 'High', 'Medium', 'Low'];

export const DOMAINS = [
  'Fault Tolerance',
  'Recovery & Backup',
  'Scaling & Capacity',
  'Resilience Patterns',
  'Change Management',
  'Testing & Validation',
] as const;
export type Domain = (typeof DOMAINS)[number];
export type Horizon = 'Quick Win' | 'Foundation' | 'Strategic';

export const RISK_MATRIX: Record<Impact, Record<Likelihood, RiskLevel>> = {
  Severe: { High: 'Critical', Medium: 'High', Low: 'High' },
  Moderate: { High: 'High', Medium: 'Medium', Low: 'Medium' },
  Minor: { High: 'Medium', Medium: 'Low', Low: 'Low' },
};

export function riskLevel(impact: Impact, likelihood: Likelihood): RiskLevel {
  return RISK_MATRIX[impact][likelihood];
}

export interface RiskProfile {
  impact: Impact;
  likelihood: Likelihood;
  domain: Domain;
  /** Well-Architected REL questions the item answers to */
  rel: number[];
  effort: 'S (< 1 day)' | 'M (1-5 days)' | 'L (1-3 weeks)';
  horizon: Horizon;
  services: string[];
  /** why this impact and likelihood: the documented reasoning */
  why: string;
}

const p = (
  impact: Impact,
  likelihood: Likelihood,
  domain: Domain,
  rel: number[],
  effort: RiskProfile['effort'],
  horizon: Horizon,
  services: string[],
  why: string,
): RiskProfile => ({ impact, likelihood, domain, rel, effort, horizon, services, why });
const S = 'S (< 1 day)' as const;
const M = 'M (1-5 days)' as const;

/**
 * Rules of the catalog (code, IaC and readiness rules; a rule that is not here falls back to its
 * severity). Each profile's impact × likelihood gives the rule's catalog severity, so the plan
 * rates a finding as the scan does (a test holds every row to it).
 */
export const RULE_RISK: Record<string, RiskProfile> = {
  'no-timeout': p(
    'Severe',
    'High',
    'Resilience Patterns',
    [4, 5],
    S,
    'Quick Win',
    ['Lambda'],
    'a slow dependency is an everyday event; with no timeout it holds every request until the platform kills it',
  ),
  'no-retry': p(
    'Severe',
    'High',
    'Resilience Patterns',
    [4],
    M,
    'Foundation',
    ['Lambda'],
    'transient errors and throttling happen daily; each becomes a user-visible failure',
  ),
  'retry-without-jitter': p(
    'Severe',
    'Low',
    'Resilience Patterns',
    [4],
    S,
    'Quick Win',
    [],
    'synchronised retries only hurt when a dependency is already degraded',
  ),
  'retry-without-max': p(
    'Severe',
    'Low',
    'Resilience Patterns',
    [4],
    S,
    'Quick Win',
    [],
    'unbounded retries amplify an outage of one dependency',
  ),
  'no-circuit-breaker': p(
    'Severe',
    'Medium',
    'Resilience Patterns',
    [5],
    M,
    'Foundation',
    ['Systems Manager Parameter Store'],
    'one dependency outage cascades into callers that keep waiting on it',
  ),
  'silent-error-swallow': p(
    'Severe',
    'High',
    'Resilience Patterns',
    [5],
    M,
    'Foundation',
    [],
    'any failure is turned into wrong data that nobody is alerted to',
  ),
  'wrong-status-on-infra-failure': p(
    'Severe',
    'High',
    'Resilience Patterns',
    [5],
    S,
    'Quick Win',
    ['API Gateway'],
    'every dependency blip reaches clients as a non-retryable 4xx',
  ),
  'unhandled-route-rejection': p(
    'Severe',
    'Medium',
    'Fault Tolerance',
    [5],
    S,
    'Quick Win',
    ['ECS'],
    'one failing dependency call stops the whole process and drops every request in flight',
  ),
  'no-dlq': p(
    'Severe',
    'Medium',
    'Fault Tolerance',
    [4, 11],
    S,
    'Quick Win',
    ['SQS', 'EventBridge', 'Lambda'],
    'a poison message or consumer bug loses messages for good',
  ),
  'dlq-without-alarm': p(
    'Moderate',
    'Medium',
    'Fault Tolerance',
    [6],
    S,
    'Quick Win',
    ['CloudWatch'],
    'failed work piles up unnoticed until a customer reports it',
  ),
  'dlq-without-redrive': p(
    'Moderate',
    'Low',
    'Recovery & Backup',
    [9],
    M,
    'Foundation',
    ['SQS'],
    'recovery is manual; needed only after a DLQ fills',
  ),
  'no-idempotency': p(
    'Severe',
    'Medium',
    'Resilience Patterns',
    [4],
    M,
    'Foundation',
    ['DynamoDB', 'Lambda Powertools'],
    'at-least-once delivery duplicates side effects (double charges)',
  ),
  'lambda-timeout-exceeds-api': p(
    'Moderate',
    'High',
    'Resilience Patterns',
    [4, 5],
    S,
    'Quick Win',
    ['Lambda', 'API Gateway'],
    'every slow request ends in a 504 while the function keeps running and a client retry runs it twice',
  ),
  'idempotency-table-without-ttl': p(
    'Moderate',
    'Low',
    'Scaling & Capacity',
    [3, 9],
    S,
    'Quick Win',
    ['DynamoDB'],
    'the table grows without bound; nothing breaks until cost or a stale key bites',
  ),
  'no-event-replay': p(
    'Moderate',
    'Low',
    'Recovery & Backup',
    [9, 13],
    S,
    'Quick Win',
    ['EventBridge'],
    'lost events cannot be replayed after a consumer fix',
  ),
  'unbounded-concurrency': p(
    'Moderate',
    'Medium',
    'Scaling & Capacity',
    [1, 3],
    S,
    'Quick Win',
    ['Lambda', 'SQS'],
    'a burst exhausts downstream connections and the account concurrency',
  ),
  'unstructured-logging': p(
    'Minor',
    'High',
    'Testing & Validation',
    [6],
    M,
    'Foundation',
    ['CloudWatch Logs'],
    'every incident is slower to diagnose, without causing one',
  ),
  'no-health-probes': p(
    'Moderate',
    'Medium',
    'Fault Tolerance',
    [6, 11],
    S,
    'Quick Win',
    ['Elastic Load Balancing', 'ECS'],
    'a hung instance keeps receiving traffic',
  ),
  'shared-mutable-state': p(
    'Moderate',
    'High',
    'Resilience Patterns',
    [5],
    M,
    'Foundation',
    ['Systems Manager Parameter Store'],
    'breaker state lost on cold starts never protects the dependency',
  ),
  'no-graceful-shutdown': p(
    'Moderate',
    'High',
    'Change Management',
    [8],
    S,
    'Quick Win',
    ['ECS'],
    'every deploy or scale-in drops in-flight requests',
  ),
  'timeout-too-long': p(
    'Moderate',
    'Medium',
    'Resilience Patterns',
    [5],
    S,
    'Quick Win',
    [],
    'a slow dependency holds callers past their own deadline',
  ),
  'scattered-env-config': p(
    'Minor',
    'Medium',
    'Change Management',
    [8],
    M,
    'Foundation',
    ['AppConfig', 'Systems Manager Parameter Store'],
    'a missing variable fails late, in one code path',
  ),
  'hardcoded-secret': p(
    'Severe',
    'High',
    'Change Management',
    [8],
    S,
    'Quick Win',
    ['Secrets Manager'],
    'a leaked or rotated credential takes the service down or exposes data',
  ),
  'hardcoded-url': p(
    'Minor',
    'Medium',
    'Change Management',
    [8],
    S,
    'Quick Win',
    ['Systems Manager Parameter Store'],
    'an endpoint change needs a code deploy',
  ),
  'log-without-correlation-id': p(
    'Minor',
    'High',
    'Testing & Validation',
    [6],
    S,
    'Quick Win',
    ['X-Ray', 'CloudWatch Logs'],
    'requests cannot be followed across services during an incident',
  ),
  'unbounded-in-memory-queue': p(
    'Severe',
    'Medium',
    'Scaling & Capacity',
    [3, 5],
    M,
    'Foundation',
    ['SQS'],
    'under load the process runs out of memory and loses the queued work',
  ),
  'no-rate-limit': p(
    'Moderate',
    'Medium',
    'Scaling & Capacity',
    [1, 5],
    M,
    'Foundation',
    ['API Gateway', 'AWS WAF'],
    'one noisy client or a retry storm overloads the service',
  ),
  // the infrastructure's reliability rules (seed 003 steps 2-6 "MUST flag")
  'single-az-database': p(
    'Severe',
    'Medium',
    'Fault Tolerance',
    [10, 11],
    S,
    'Quick Win',
    ['RDS'],
    'an AZ or instance failure takes the database down with no standby',
  ),
  'short-backup-retention': p(
    'Severe',
    'Medium',
    'Recovery & Backup',
    [9],
    S,
    'Quick Win',
    ['RDS', 'AWS Backup'],
    'data older than the retention cannot be restored (CloudFormation default: 1 day)',
  ),
  'no-deletion-protection': p(
    'Moderate',
    'Low',
    'Recovery & Backup',
    [9],
    S,
    'Quick Win',
    ['RDS'],
    'a stack change or mistake can delete the database',
  ),
  'table-without-pitr': p(
    'Severe',
    'Medium',
    'Recovery & Backup',
    [9],
    S,
    'Quick Win',
    ['DynamoDB'],
    'a bad write or delete cannot be rolled back',
  ),
  'bucket-without-versioning': p(
    'Moderate',
    'Low',
    'Recovery & Backup',
    [9],
    S,
    'Quick Win',
    ['S3'],
    'an overwrite or delete is permanent',
  ),
  'cache-without-failover': p(
    'Severe',
    'Medium',
    'Fault Tolerance',
    [11],
    M,
    'Foundation',
    ['ElastiCache'],
    'a node failure loses the cache (and any state in it) with no replica to promote',
  ),
  'fixed-size-asg': p(
    'Moderate',
    'High',
    'Scaling & Capacity',
    [3, 7],
    M,
    'Foundation',
    ['EC2 Auto Scaling'],
    'MinSize = MaxSize: a normal traffic peak has no headroom',
  ),
  'asg-without-scaling-policy': p(
    'Moderate',
    'High',
    'Scaling & Capacity',
    [3, 7],
    M,
    'Foundation',
    ['EC2 Auto Scaling'],
    'capacity only changes by hand, whatever the load (seed 003: compute without auto-scaling is high risk)',
  ),
  'single-task-service': p(
    'Severe',
    'Medium',
    'Fault Tolerance',
    [10, 11],
    S,
    'Quick Win',
    ['ECS'],
    'one task: its failure or replacement is an outage',
  ),
  'ecs-without-circuit-breaker': p(
    'Moderate',
    'High',
    'Change Management',
    [8],
    S,
    'Quick Win',
    ['ECS'],
    'a bad deploy keeps replacing healthy tasks with no automatic rollback',
  ),
  'single-nat-gateway': p(
    'Severe',
    'Medium',
    'Fault Tolerance',
    [2, 10],
    M,
    'Foundation',
    ['VPC'],
    'one NAT gateway serves several AZs; its AZ failing cuts all private egress',
  ),
  'all-at-once-deployment': p(
    'Moderate',
    'High',
    'Change Management',
    [8],
    M,
    'Foundation',
    ['CodeDeploy', 'Lambda'],
    'every deploy shifts all traffic at once with no alarm-based rollback',
  ),
  'deployment-without-alarms': p(
    'Moderate',
    'High',
    'Change Management',
    [8],
    S,
    'Quick Win',
    ['CodeDeploy', 'CloudWatch'],
    'a gradual deployment with no alarms never rolls back by itself (seed 003: no automated rollback is high risk)',
  ),
};

const BY_SEVERITY: Record<Severity, [Impact, Likelihood]> = {
  critical: ['Severe', 'High'],
  high: ['Severe', 'Medium'],
  medium: ['Moderate', 'Medium'],
  low: ['Minor', 'Medium'],
};

export const RISK_OF_SEVERITY: Record<Severity, RiskLevel> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/**
 * A finding's profile at the severity the scan gave it: the rule's own when it rates the same,
 * else placed by that severity (a rule not in the table, or a severity the config overrides).
 */
export function ruleRisk(ruleId: string, severity: Severity): RiskProfile {
  const known = RULE_RISK[ruleId];
  const [impact, likelihood] = BY_SEVERITY[severity];
  if (known && riskLevel(known.impact, known.likelihood) === RISK_OF_SEVERITY[severity]) return known;
  if (known) return { ...known, impact, likelihood, why: `${known.why} (rated ${severity} by the configuration)` };
  return p(
    impact,
    likelihood,
    'Resilience Patterns',
    [5],
    M,
    'Foundation',
    [],
    `placed by its catalog severity (${severity})`,
  );
}
