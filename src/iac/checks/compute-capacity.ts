import type { IacFinding } from '../../types';
import { factFinding, type CheckInput, type IacCheck } from './check-context';

/**
 * Compute that cannot absorb a failure or a peak (seed 003 steps 2, 4 and 6): an Auto Scaling
 * group with MinSize = MaxSize or no scaling policy, an ECS service with a single task and no
 * auto scaling, an ECS service without a deployment circuit breaker, one NAT gateway for
 * subnets in several AZs.
 */
function checkComputeCapacity({ facts }: CheckInput): IacFinding[] {
  const out: IacFinding[] = [];
  for (const a of facts.asgs) {
    const component = `Auto Scaling group ${a.id}`;
    if (a.fixedSize)
      out.push(
        factFinding('fixed-size-asg', a, {
          component,
          detail: `MinSize = MaxSize = ${a.min}`,
          mitigation: a.subnets >= 2 ? `spread over ${a.subnets} subnets` : 'None',
        }),
      );
    // CDK scaling is a method call on the group (scaleOnCpuUtilization), not a construct the facts list
    else if (a.scalingPolicies === 0 && a.format !== 'cdk')
      out.push(factFinding('asg-without-scaling-policy', a, { component, detail: 'no scaling policy refers to it' }));
  }
  for (const s of facts.ecsServices) {
    const component = `ECS service ${s.id}`;
    if ((s.desiredCount ?? 1) <= 1 && !s.autoScaling)
      out.push(
        factFinding('single-task-service', s, {
          component,
          detail: `DesiredCount ${s.desiredCount ?? '1 (default)'}`,
          mitigation: s.circuitBreaker ? 'deployment circuit breaker' : 'None',
        }),
      );
    if (!s.circuitBreaker)
      out.push(factFinding('ecs-without-circuit-breaker', s, { component, detail: 'no DeploymentCircuitBreaker' }));
  }
  const { natGateways: nats, azs, vpcs } = facts.network;
  if (nats.length === 1 && azs >= 2)
    out.push(
      factFinding('single-nat-gateway', nats[0]!, {
        component: `NAT gateway ${nats[0]!.id}`,
        detail: `1 NAT gateway, subnets in ${azs} AZs`,
      }),
    );
  for (const v of vpcs.filter((x) => x.natGateways === 1 && (x.maxAzs ?? 2) >= 2))
    out.push(
      factFinding('single-nat-gateway', v, {
        component: `VPC ${v.id} NAT gateway`,
        detail: `natGateways: 1 for maxAzs ${v.maxAzs ?? '2 (default)'}`,
      }),
    );
  return out;
}

export default {
  ruleIds: [
    'fixed-size-asg',
    'asg-without-scaling-policy',
    'single-task-service',
    'ecs-without-circuit-breaker',
    'single-nat-gateway',
  ],
  run: checkComputeCapacity,
} satisfies IacCheck;
