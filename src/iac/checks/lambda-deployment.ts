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
  // one finding per template or stack file: the fix is one setting for all its functions (SAM
  // Globals, the canary plugin's defaults), and a finding per function would drown the others
  const allAtOnce = new Map<string, Array<(typeof facts.functions)[number]>>();
  for (const fn of facts.functions) {
    if (fn.customResource) continue;
    const { deployment, rollbackAlarms } = fn.settings;
    if (deployment === null || ALL_AT_ONCE.test(deployment)) {
      const key = fn.configFile ?? fn.file;
      allAtOnce.set(key, [...(allAtOnce.get(key) ?? []), fn]);
    } else if (rollbackAlarms === 0) {
      const at = { file: fn.file, line: fn.span.line, column: fn.span.column, id: fn.id, format: fn.format };
      out.push(
        factFinding('deployment-without-alarms', at, {
          component: `Lambda ${fn.id}`,
          detail: `${deployment} with no rollback alarms`,
        }),
      );
    }
  }
  for (const fns of allAtOnce.values()) {
    const sorted = [...fns].sort(
      (a, b) => a.file.localeCompare(b.file) || a.span.line - b.span.line || a.span.column - b.span.column,
    );
    const first = sorted[0]!;
    const at = {
      file: first.file,
      line: first.span.line,
      column: first.span.column,
      id: first.id,
      format: first.format,
    };
    const types = [...new Set(sorted.map((f) => f.settings.deployment))];
    const detail =
      types.length === 1 && types[0]
        ? `deployment type ${types[0]}`
        : types.every((t) => t === null)
          ? 'no DeploymentPreference / deploymentSettings'
          : 'no gradual DeploymentPreference / deploymentSettings';
    const component =
      sorted.length === 1
        ? `Lambda ${first.id}`
        : `${sorted.length} Lambda functions (${sorted.map((f) => f.id).join(', ')})`;
    out.push(factFinding('all-at-once-deployment', at, { component, detail }));
  }
  return out;
}

export default {
  ruleIds: ['all-at-once-deployment', 'deployment-without-alarms'],
  run: checkLambdaDeployment,
} satisfies IacCheck;
