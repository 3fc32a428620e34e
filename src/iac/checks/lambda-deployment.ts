import type { IacFinding } from '../../types';
import { factFinding, type CheckInput, type IacCheck } from './check-context';

const ALL_AT_ONCE = /allatonce/i;

/**
 * How a new Lambda version reaches traffic (seed 003 step 6, "all-at-once deployment to
 * production", "no automated rollback"): no DeploymentPreference / canary plugin setting (or an
 * AllAtOnce type) shifts every request to it at once; a gradual one without alarms never rolls
 * back by itself. A custom resource's handler serves the stack's deploy, not traffic: left alone.
 */
function checkLambdaDeployment({ facts }: CheckInput): IacFinding[] {
  const out: IacFinding[] = [];
  for (const fn of facts.functions) {
    if (fn.customResource) continue;
    const { deployment, rollbackAlarms } = fn.settings;
    const at = { file: fn.file, line: fn.span.line, column: fn.span.column, id: fn.id, format: fn.format };
    const component = `Lambda ${fn.id}`;
    if (deployment === null || ALL_AT_ONCE.test(deployment))
      out.push(
        factFinding('all-at-once-deployment', at, {
          component,
          detail: deployment ? `deployment type ${deployment}` : 'no DeploymentPreference / deploymentSettings',
        }),
      );
    else if (rollbackAlarms === 0)
      out.push(
        factFinding('deployment-without-alarms', at, { component, detail: `${deployment} with no rollback alarms` }),
      );
  }
  return out;
}

export default {
  ruleIds: ['all-at-once-deployment', 'deployment-without-alarms'],
  run: checkLambdaDeployment,
} satisfies IacCheck;
