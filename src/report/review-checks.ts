import { loadCatalog } from '../catalog/catalog';
import { at, type ReliabilityFacts } from '../iac/reliability/facts-types';
import type { Finding, ScanResult } from '../types';

/** The readiness checklist's judgements: each item's status comes from findings and IaC facts. */

export type Status = 'PASS' | 'FAIL' | 'PARTIAL' | 'CANNOT DETERMINE';

export interface Check {
  status: Status;
  note: string;
  evidence: string[];
  /** rule ids (or IaC gaps) behind a FAIL/PARTIAL, for the recommendations */
  rules: string[];
}

export interface ReviewContext {
  result: ScanResult;
  facts: ReliabilityFacts;
  /** a rule the catalog has (or that reported anyway): its silence means something */
  known(ruleId: string): boolean;
  hits(...ruleIds: string[]): Finding[];
  server: boolean;
  lambda: boolean;
}

const SERVER_FRAMEWORKS = new Set(['express', 'fastify', 'koa', 'nestjs', 'hono', 'http']);
const READY_PATH = /(^|\/)(ready|readyz|readiness)(\/|$)/i;

export function reviewContext(result: ScanResult, facts: ReliabilityFacts): ReviewContext {
  const catalog = loadCatalog();
  const reported = new Set(result.findings.map((f) => f.ruleId));
  const frameworks = result.discovery.frameworks;
  return {
    result,
    facts,
    known: (id) => catalog.byId.has(id) || reported.has(id),
    hits: (...ids) => result.findings.filter((f) => ids.includes(f.ruleId)),
    server: frameworks.some((f) => SERVER_FRAMEWORKS.has(f)),
    lambda: result.discovery.lambdaHandlers.length > 0 || frameworks.includes('lambda') || facts.functions.length > 0,
  };
}

const spots = (fs: Finding[]) => fs.map((f) => `${f.file}:${f.line}`);
/** "2 call(s) without a timeout": counts the places the evidence lists, each once */
const counted = (fs: Finding[], what: string): string => `${new Set(spots(fs)).size} ${what}`;
/** the notes of a check, each counting its own part of the evidence, in the evidence's order */
const parts = (...items: Array<string | false>): string => items.filter(Boolean).join('; ');
const ids = (fs: Finding[]) => [...new Set(fs.map((f) => f.ruleId))];
const check = (status: Status, note: string, evidence: string[] = [], rules: string[] = []): Check => ({
  status,
  note,
  evidence,
  rules,
});

function silent(ctx: ReviewContext, ruleIds: string[]): string {
  return `${ruleIds.map((r) => `\`${r}\``).join(', ')}: 0 findings in ${ctx.result.filesScanned} files`;
}

export function healthEndpoint(ctx: ReviewContext): Check {
  const fail = ctx.hits('no-health-probes');
  if (fail.length) return check('FAIL', 'a server listens without a health route', spots(fail), ids(fail));
  const routes = ctx.facts.healthChecks.filter((h) => !h.path || !READY_PATH.test(h.path));
  if (routes.length)
    return check(
      'PASS',
      `health checks declared (${routes.map((h) => `${h.kind}${h.path ? ` ${h.path}` : ''}`).join(', ')})`,
      routes.map(at),
    );
  if (ctx.server && ctx.known('no-health-probes') && ctx.result.filesScanned > 0)
    return check('PASS', `every HTTP server registers a health route (${silent(ctx, ['no-health-probes'])})`);
  return check(
    'CANNOT DETERMINE',
    ctx.lambda
      ? 'Lambda functions have no process to probe and no health route is declared in the IaC'
      : 'no HTTP server or health route was found',
  );
}

export function readinessEndpoint(ctx: ReviewContext): Check {
  const fail = ctx.hits('no-health-probes');
  if (fail.length) return check('FAIL', 'a server listens without a readiness route', spots(fail), ids(fail));
  const ready = ctx.facts.healthChecks.filter((h) => h.path && READY_PATH.test(h.path));
  if (ready.length)
    return check(
      'PARTIAL',
      'a readiness route is declared; whether it checks the dependencies is not visible',
      ready.map(at),
    );
  return check(
    'CANNOT DETERMINE',
    'no readiness route in the IaC; whether a route checks dependencies is not visible in code',
  );
}

export function structuredLogs(ctx: ReviewContext): Check {
  const unstructured = ctx.hits('unstructured-logging');
  const uncorrelated = ctx.hits('log-without-correlation-id');
  if (unstructured.length)
    return check(
      'FAIL',
      'free-text console logging',
      spots([...unstructured, ...uncorrelated]),
      ids([...unstructured, ...uncorrelated]),
    );
  if (uncorrelated.length)
    return check(
      'PARTIAL',
      'structured, but some logs carry no correlation id',
      spots(uncorrelated),
      ids(uncorrelated),
    );
  if (!ctx.known('log-without-correlation-id'))
    return check(
      'CANNOT DETERMINE',
      `JSON logging: ${silent(ctx, ['unstructured-logging'])}; correlation ids are not checked by the catalog`,
    );
  return check('PASS', silent(ctx, ['unstructured-logging', 'log-without-correlation-id']));
}

export function metricsExposed(ctx: ReviewContext): Check {
  if (ctx.facts.alarms.length)
    return check(
      'PASS',
      `${ctx.facts.alarms.length} CloudWatch alarm(s) on published metrics`,
      ctx.facts.alarms.map(at),
    );
  if (ctx.facts.functions.length)
    return check(
      'PARTIAL',
      'Lambda publishes invocations, errors and duration (RED) to CloudWatch, but no alarm watches them',
      ctx.facts.functions.map(at),
    );
  return check('CANNOT DETERMINE', 'no metrics or alarms are declared in the IaC read');
}

export function gracefulShutdown(ctx: ReviewContext): Check {
  const fail = ctx.hits('no-graceful-shutdown');
  if (fail.length)
    return check('FAIL', 'SIGTERM is not handled; in-flight requests are dropped on deploy', spots(fail), ids(fail));
  if (ctx.server && ctx.known('no-graceful-shutdown')) return check('PASS', silent(ctx, ['no-graceful-shutdown']));
  if (ctx.lambda && !ctx.server)
    return check('PASS', 'Lambda: the runtime finishes the in-flight invocation before it stops the environment');
  return check(
    'CANNOT DETERMINE',
    ctx.known('no-graceful-shutdown')
      ? 'no long-running server was found'
      : 'shutdown handling is not checked by the catalog',
  );
}

export function externalTimeouts(ctx: ReviewContext): Check {
  const missing = ctx.hits('no-timeout');
  const long = ctx.hits('timeout-too-long');
  const outlives = ctx.hits('lambda-timeout-exceeds-api');
  const rules = ids([...missing, ...long, ...outlives]);
  const evidence = spots([...missing, ...long, ...outlives]);
  const note = parts(
    missing.length > 0 && counted(missing, 'client(s) or call(s) without a timeout'),
    long.length > 0 && counted(long, 'timeout(s) of 30 s or more'),
    outlives.length > 0 && counted(outlives, 'Lambda function(s) that outlive their API Gateway timeout'),
  );
  if (missing.length) return check('FAIL', note, evidence, rules);
  if (long.length || outlives.length) return check('PARTIAL', `timeouts set, but ${note}`, evidence, rules);
  const deps = ctx.result.discovery.dependencies;
  if (deps.length)
    return check(
      'PASS',
      `timeouts on ${deps.map((d) => d.name).join(', ')}`,
      deps.flatMap((d) => d.files),
    );
  return check('CANNOT DETERMINE', 'no outbound dependency was discovered');
}

export function retriesWithBackoff(ctx: ReviewContext): Check {
  const none = ctx.hits('no-retry');
  const weak = ctx.hits('retry-without-jitter', 'retry-without-max');
  const note = parts(
    none.length > 0 && counted(none, 'call(s) with no retry'),
    weak.length > 0 && counted(weak, 'retry loop(s) without jitter or without a bound'),
  );
  if (none.length) return check('FAIL', note, spots([...none, ...weak]), ids([...none, ...weak]));
  if (weak.length) return check('PARTIAL', note, spots(weak), ids(weak));
  const deps = ctx.result.discovery.dependencies;
  if (deps.length)
    return check(
      'PASS',
      silent(ctx, ['no-retry', 'retry-without-jitter', 'retry-without-max']),
      deps.flatMap((d) => d.files),
    );
  return check('CANNOT DETERMINE', 'no outbound dependency was discovered');
}

export function circuitBreakers(ctx: ReviewContext): Check {
  const none = ctx.hits('no-circuit-breaker');
  const local = ctx.hits('shared-mutable-state');
  const note = parts(
    none.length > 0 && counted(none, 'dependency call(s) with no breaker'),
    local.length > 0 && counted(local, 'breaker(s) kept in Lambda memory, reset on every cold start'),
  );
  if (none.length) return check('FAIL', note, spots([...none, ...local]), ids([...none, ...local]));
  if (local.length) return check('PARTIAL', note, spots(local), ids(local));
  const deps = ctx.result.discovery.dependencies;
  if (deps.length)
    return check(
      'PASS',
      silent(ctx, ['no-circuit-breaker']),
      deps.flatMap((d) => d.files),
    );
  return check('CANNOT DETERMINE', 'no outbound dependency was discovered');
}

export function resourceLimits(ctx: ReviewContext): Check {
  const { functions, taskDefinitions } = ctx.facts;
  const queues = ctx.hits('unbounded-in-memory-queue');
  const set = [
    ...functions.filter((f) => f.settings.memory !== null),
    ...taskDefinitions.filter((t) => t.cpu && t.memory),
  ];
  const unset = [
    ...functions.filter((f) => f.settings.memory === null),
    ...taskDefinitions.filter((t) => !t.cpu || !t.memory),
  ];
  const evidence = [...unset.map(at), ...spots(queues)];
  if (!set.length && !unset.length)
    return queues.length
      ? check('PARTIAL', 'in-memory queues grow without bound', spots(queues), ids(queues))
      : check('CANNOT DETERMINE', 'no Lambda function or ECS task definition in the IaC read');
  if (unset.length || queues.length) {
    const why = [
      unset.length ? `${unset.length} function(s)/task(s) left at the default memory or CPU` : '',
      queues.length ? 'in-memory queues grow without bound' : '',
    ]
      .filter(Boolean)
      .join('; ');
    return check('PARTIAL', why, evidence, [...ids(queues), ...(unset.length ? ['resource-limits'] : [])]);
  }
  return check('PASS', 'memory (and CPU for tasks) set explicitly', set.map(at));
}

export function noHardcodedSecretsOrUrls(ctx: ReviewContext): Check {
  const found = ctx.hits('hardcoded-secret', 'hardcoded-url');
  if (found.length) return check('FAIL', 'secrets or URLs written in code', spots(found), ids(found));
  const rules = ['hardcoded-secret', 'hardcoded-url'];
  if (rules.every((r) => ctx.known(r))) return check('PASS', silent(ctx, rules));
  return check('CANNOT DETERMINE', 'hard-coded secrets and URLs are not checked by the catalog');
}

export function configValidated(ctx: ReviewContext): Check {
  const scattered = ctx.hits('scattered-env-config');
  if (scattered.length)
    return check(
      'FAIL',
      'environment read across the code, not in one validated module',
      spots(scattered),
      ids(scattered),
    );
  return check('CANNOT DETERMINE', 'whether config is validated at start-up is not visible to the scan');
}

export function rollbackReady(ctx: ReviewContext): Check {
  const f = ctx.facts;
  const automatic = [
    ...f.functions.filter((x) => x.settings.rollbackAlarms > 0),
    ...f.ecsServices.filter((s) => s.rollback),
    ...f.deploymentGroups.filter((d) => d.autoRollback),
  ];
  // the IaC checks' findings: a suppressed one is a decision the team made
  const allAtOnce = ctx.hits('all-at-once-deployment', 'ecs-without-circuit-breaker');
  if (!f.functions.length && !f.ecsServices.length)
    return check('CANNOT DETERMINE', 'no deployable compute in the IaC read');
  if (!automatic.length)
    return check(
      'FAIL',
      'no automated rollback: deployments go all at once',
      spots(allAtOnce),
      allAtOnce.length ? ids(allAtOnce) : ['all-at-once-deployment'],
    );
  if (allAtOnce.length)
    return check(
      'PARTIAL',
      `automatic rollback on ${automatic.length}, none on ${allAtOnce.length}; whether rollback is tested is not visible`,
      [...spots(allAtOnce), ...automatic.map(at)],
      ids(allAtOnce),
    );
  return check(
    'PARTIAL',
    'automatic rollback configured everywhere; whether it is tested and documented is not visible',
    automatic.map(at),
  );
}

export function orchestratorHealthChecks(ctx: ReviewContext): Check {
  const probes = ctx.facts.healthChecks.filter((h) => h.kind === 'container' || h.kind === 'target-group');
  if (probes.length)
    return check('PASS', probes.map((h) => `${h.kind}${h.path ? ` ${h.path}` : ''}`).join(', '), probes.map(at));
  if (ctx.facts.ecsServices.length)
    return check(
      'FAIL',
      'ECS services without a container or target-group health check',
      ctx.facts.ecsServices.map(at),
      ['ecs-health-check'],
    );
  return check(
    'CANNOT DETERMINE',
    ctx.lambda
      ? 'Lambda has no orchestrator probe; the platform replaces failed environments'
      : 'no orchestrator configuration in the IaC read',
  );
}

export function notVisible(what: string): Check {
  return check('CANNOT DETERMINE', `${what} is not visible in code`);
}
