import path from 'node:path';
import { isServerlessScript } from './serverless-script';

/** `serverless-script`: a serverless.ts / serverless.js module (read, never edited) */
export type IacFileKind = 'serverless' | 'serverless-script' | 'template' | 'cdk' | 'terraform' | 'sst';

const SERVERLESS_FILE = /^serverless(\.[\w-]+)?\.(ya?ml|json)$/;
const TEMPLATE_EXT = /\.(ya?ml|json|template)$/;
const NOT_IAC_PATH =
  /(^|\/)(\.github\/|\.gitlab-ci|\.circleci\/|docker-compose|compose\.ya?ml$|\.?buildkite|bitbucket-pipelines|azure-pipelines|openapi|swagger|helm\/|k8s\/|kubernetes\/|charts\/|node_modules\/|cdk\.out\/|\.aws-sam\/|\.serverless\/)/;
const NOT_IAC_TEXT = /^(openapi|swagger|apiVersion|services|jobs|on|stages|steps|pipeline):/m;
const CFN_TEXT =
  /^\s*["']?AWSTemplateFormatVersion["']?\s*:|"AWSTemplateFormatVersion"\s*:|Transform["']?\s*:\s*(\[\s*)?["']?AWS::Serverless/m;
const RESOURCES_KEY = /^\s*["']?Resources["']?\s*:|[{,]\s*"Resources"\s*:/m;
const AWS_TYPE = /["']?Type["']?\s*:\s*["']?AWS::/;
/** CDK v2 (`aws-cdk-lib`) or v1 (`@aws-cdk/aws-lambda`, one package per service) */
const CDK_IMPORT = /(from\s+|require\(\s*)['"](aws-cdk-lib(\/[\w-]+)?|@aws-cdk\/(core|aws-[\w-]+))['"]/;

const EDITOR_LOCAL_TEMPLATE = /___vsctk___/;

/** Which IaC format a file is, from its name and a cheap look at its text (no parse). */
export function iacFileKind(file: string, text: string): IacFileKind | null {
  const base = path.posix.basename(file);
  if (/\.tf$/.test(base)) return 'terraform';
  if (/^sst\.config\.[cm]?[jt]s$/.test(base)) return 'sst';
  if (/\.d\.[cm]?ts$/.test(base)) return null;
  // the AWS Toolkit for VS Code writes `<handler>___vsctk___template.yaml` for a local invoke: never deployed
  if (EDITOR_LOCAL_TEMPLATE.test(base)) return null;
  if (isServerlessScript(file, text) && !NOT_IAC_PATH.test(file)) return 'serverless-script';
  if (/\.[cm]?[jt]sx?$/.test(base)) return CDK_IMPORT.test(text) ? 'cdk' : null;
  if (SERVERLESS_FILE.test(base) && !NOT_IAC_PATH.test(file)) return 'serverless';
  if (!TEMPLATE_EXT.test(base) || NOT_IAC_PATH.test(file)) return null;
  if (/^(package(-lock)?|tsconfig.*|cdk|\.?eslintrc.*)\.json$/.test(base)) return null;
  if (CFN_TEXT.test(text)) return 'template';
  if (NOT_IAC_TEXT.test(text) && !RESOURCES_KEY.test(text)) return null;
  if (RESOURCES_KEY.test(text) && AWS_TYPE.test(text)) return 'template';
  return null;
}
