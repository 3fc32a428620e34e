import { readCfnResources } from './cfn-model';
import { emptyModel, type IacModel } from './iac-model';
import type { YamlReader } from './yaml-nodes';

export interface TemplateReadContext {
  r: YamlReader;
  file: string;
  dir: string;
  repoFiles: ReadonlySet<string>;
}

/** true when the template's Transform names the SAM transform (string or list) */
export function isSamTemplate(r: YamlReader): boolean {
  const t = r.get(r.doc.contents, 'Transform');
  const values = t === undefined ? [] : r.seq(t) ? r.items(t).map((i) => r.str(i)) : [r.str(t)];
  return values.some((v) => v?.startsWith('AWS::Serverless'));
}

/** A SAM or plain CloudFormation template (YAML or JSON). */
export function readTemplate(ctx: TemplateReadContext): IacModel {
  const { r } = ctx;
  const sam = isSamTemplate(r);
  const model = emptyModel(ctx.file, sam ? 'sam' : 'cloudformation');
  readCfnResources(
    {
      r,
      file: ctx.file,
      dir: ctx.dir,
      format: model.kind === 'sam' ? 'sam' : 'cloudformation',
      repoFiles: ctx.repoFiles,
      resourcesPath: ['Resources'],
      globals: sam ? r.get(r.doc.contents, 'Globals', 'Function') : undefined,
    },
    r.get(r.doc.contents, 'Resources'),
    model,
  );
  return model;
}
