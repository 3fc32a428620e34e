import { at } from '../iac/reliability/facts-types';
import { healthEndpoint, readinessEndpoint, type Check, type ReviewContext } from './review-checks';

/** The operations checklist items (seed 002) that the readiness review does not already judge. */

export function alertsActionable(ctx: ReviewContext): Check {
  const unalarmed = ctx.hits('dlq-without-alarm');
  const alarms = ctx.facts.alarms;
  if (unalarmed.length) {
    return {
      status: 'PARTIAL',
      note: 'dead-letter queues without an alarm',
      evidence: [...unalarmed.map((f) => `${f.file}:${f.line}`), ...alarms.map(at)],
      rules: ['dlq-without-alarm'],
    };
  }
  if (alarms.length)
    return {
      status: 'CANNOT DETERMINE',
      note: `${alarms.length} alarm(s) declared; whether they are actionable (not noisy) is not visible in code`,
      evidence: alarms.map(at),
      rules: [],
    };
  if (ctx.facts.files.length)
    return {
      status: 'FAIL',
      note: 'no CloudWatch alarm in the IaC read',
      evidence: ctx.facts.files,
      rules: ['no-alarms'],
    };
  return { status: 'CANNOT DETERMINE', note: 'no IaC was found to hold alarms', evidence: [], rules: [] };
}

export function autoScalingWithLimits(ctx: ReviewContext): Check {
  const f = ctx.facts;
  const fixed = ctx.hits('fixed-size-asg');
  const unbounded = ctx.hits('unbounded-concurrency', 'no-rate-limit', 'unbounded-in-memory-queue');
  const spots = unbounded.map((x) => `${x.file}:${x.line}`);
  const rules = [...new Set(unbounded.map((x) => x.ruleId))];
  if (fixed.length)
    return {
      status: 'FAIL',
      note: 'Auto Scaling group with MinSize = MaxSize',
      evidence: [...fixed.map((x) => `${x.file}:${x.line}`), ...spots],
      rules: ['fixed-size-asg', ...rules],
    };
  const scaling = [
    ...f.asgs.filter((a) => a.scalingPolicies > 0),
    ...f.ecsServices.filter((s) => s.autoScaling),
    ...f.functions.filter((x) => x.reservedConcurrency),
    ...f.throttling,
  ];
  if (unbounded.length)
    return {
      status: 'PARTIAL',
      note: 'scaling without limits: unbounded concurrency, no rate limit or unbounded in-memory queues',
      evidence: [...spots, ...scaling.map(at)],
      rules,
    };
  const noCap = f.functions.filter((x) => !x.reservedConcurrency);
  if (scaling.length && !noCap.length)
    return {
      status: 'PASS',
      note: 'scaling policies, reserved concurrency or throttling declared',
      evidence: scaling.map(at),
      rules: [],
    };
  if (noCap.length)
    return {
      status: 'PARTIAL',
      note: 'Lambda scales on demand but has no reserved concurrency cap',
      evidence: noCap.map(at),
      rules: ['unbounded-concurrency'],
    };
  return { status: 'CANNOT DETERMINE', note: 'no scalable compute in the IaC read', evidence: [], rules: [] };
}

/** Liveness and readiness together: the weaker of the two, except that a missing readiness check alone is partial. */
export function livenessAndReadiness(ctx: ReviewContext): Check {
  const live = healthEndpoint(ctx);
  const ready = readinessEndpoint(ctx);
  if (live.status === 'FAIL' || ready.status === 'FAIL') return live.status === 'FAIL' ? live : ready;
  if (live.status === 'PASS') {
    return {
      status: 'PARTIAL',
      note: `liveness: ${live.note}; readiness: ${ready.note}`,
      evidence: [...live.evidence, ...ready.evidence],
      rules: [],
    };
  }
  if (ready.status === 'PARTIAL') return ready;
  return live;
}

export function secretsInVault(ctx: ReviewContext): Check {
  const found = ctx.hits('hardcoded-secret');
  if (found.length)
    return {
      status: 'FAIL',
      note: 'secrets written in code',
      evidence: found.map((x) => `${x.file}:${x.line}`),
      rules: ['hardcoded-secret'],
    };
  return {
    status: 'CANNOT DETERMINE',
    note: ctx.known('hardcoded-secret')
      ? 'no secret in code; whether environment variables carry secrets instead of a vault is not visible'
      : 'secrets are not checked by the catalog',
    evidence: [],
    rules: [],
  };
}
