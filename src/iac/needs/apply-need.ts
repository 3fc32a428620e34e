import type { ResolvedConfig } from '../../config/config-schema';
import type { DeployFunction } from '../deploy-units';
import type { IacInputFile } from '../../types';
import { cdkNeed } from './cdk-needs';
import type { InfraNeed, NeedOutcome } from './infra-needs';
import { jsonNeed } from './json-needs';
import { serverlessNeed } from './serverless-needs';
import { templateNeed } from './template-needs';

/** Meets an infrastructure need for one function in its own IaC format, or says why it cannot. */
export function applyInfraNeed(
  file: IacInputFile,
  fn: DeployFunction,
  need: InfraNeed,
  config: ResolvedConfig,
): NeedOutcome & { dependencies?: string[] } {
  const json = /\.json$/i.test(file.path);
  if (fn.format === 'cdk') return cdkNeed(file, fn.id, need, config);
  if (fn.format === 'serverless') {
    if (!/\.ya?ml$/i.test(file.path) && !json)
      return {
        error: `${file.path}: a Serverless configuration written as a module (serverless.ts) is read, not edited: add it by hand`,
      };
    if (json || fn.path[0] !== 'functions')
      return {
        error: `${file.path}: only functions under \`functions:\` of a serverless.yml are completed automatically`,
      };
    return serverlessNeed(file.text, fn.id, need);
  }
  return json ? jsonNeed(file.text, fn.id, need) : templateNeed(file.text, fn.id, need);
}
