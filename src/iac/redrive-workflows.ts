import path from 'node:path';
import { header, q, type GeneratedWorkflow } from './workflows';
import type { IacFinding, IacInputFile } from '../types';
import { parseYaml } from './yaml-tags';
import { YamlReader } from './yaml-nodes';
import { iacFileKind } from './iac-files';
import { serverlessScriptYaml } from './serverless-script';

/**
 * One DLQ redrive workflow per service, in the repository's `.github/workflows` (where GitHub
 * runs them), named after the service. Each queue is found the way it deploys: its name with
 * the service and stage resolved (the stage is a workflow input), or, when CloudFormation names
 * it, the physical id of its logical id in the service's stack.
 */

/** How the workflow finds the deployed stack. */
type StackName =
  | { kind: 'serverless'; expression: string; defaultStage: string }
  | { kind: 'fixed'; name: string }
  | { kind: 'input' };

export interface RedriveService {
  /** the service's name, for the file and the title */
  name: string;
  /** the directory the service is declared in (posix, relative to the root): one workflow each */
  dir: string;
  stack: StackName;
  /** CDK logical ids carry a hash suffix: match by prefix */
  cdk: boolean;
  queues: Array<{
    id: string;
    /** a shell word with $STAGE/$STACK/$AWS_REGION, or null: look the id up in the stack */ name: string | null;
  }>;
  fixes: IacFinding[];
}

const SAFE_NAME = /^[A-Za-z0-9._${}-]+$/;

/** `${self:service}-dlq-${sls:stage}` → `orders-dlq-${STAGE}`; null when a variable cannot be known before deploy. */
export function serverlessQueueName(raw: string, service: string): string | null {
  const resolved = raw
    .replace(/\$\{self:service(\.name)?\}/g, service)
    .replace(/\$\{(sls:stage|self:provider\.stage|opt:stage[^}]*)\}/g, '${STAGE}')
    .replace(/\$\{aws:region\}/g, '${AWS_REGION}');
  const rest = resolved.replace(/\$\{(STAGE|AWS_REGION)\}/g, '');
  return rest.includes('${') || !SAFE_NAME.test(resolved) ? null : resolved;
}

/** `!Sub '${AWS::StackName}-dlq'` → `${STACK}-dlq`; null when it names parameters or resources. */
export function subQueueName(template: string): string | null {
  const resolved = template.replace(/\$\{AWS::StackName\}/g, '${STACK}').replace(/\$\{AWS::Region\}/g, '${AWS_REGION}');
  const rest = resolved.replace(/\$\{(STACK|AWS_REGION)\}/g, '');
  return rest.includes('${') || !SAFE_NAME.test(resolved) ? null : resolved;
}

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'service'
  );
}

/** samconfig.toml `stack_name = "x"` beside a template */
function samStackName(dir: string, read: (p: string) => string | null): string | null {
  const text = read(path.posix.join(dir, 'samconfig.toml'));
  const m = text ? /^\s*stack_name\s*=\s*["']([A-Za-z0-9-]+)["']/m.exec(text) : null;
  return m ? m[1]! : null;
}

/** Directory names that say where IaC lives, not which service it is. */
const GENERIC_DIRS = new Set([
  'src',
  'cdk',
  'infra',
  'infrastructure',
  'iac',
  'deploy',
  'deployment',
  'typescript',
  'javascript',
  'python',
  'lib',
  'app',
  'template',
  'templates',
  'cloudformation',
  'sam',
  'stack',
  'stacks',
  'serverless',
]);

/** A service's name from its directory: the directory's own name, or with its parent's when that name is generic. */
export function serviceNameOf(dir: string, rootName: string): string {
  if (dir === '' || dir === '.') return rootName;
  const parts = dir.split('/');
  const last = parts[parts.length - 1]!;
  return GENERIC_DIRS.has(last.toLowerCase()) && parts.length > 1 ? `${parts[parts.length - 2]}-${last}` : last;
}

/** The service an IaC file belongs to, and how its stack is named when deployed. */
export function serviceOf(
  file: IacInputFile,
  rootName: string,
  read: (p: string) => string | null,
  cdkAppDir: string,
): Omit<RedriveService, 'queues' | 'fixes'> {
  const dir = path.posix.dirname(file.path);
  const dirName = serviceNameOf(dir, rootName);
  const kind = iacFileKind(file.path, file.text);
  if (kind === 'cdk')
    return { name: slug(serviceNameOf(cdkAppDir, rootName)), dir: cdkAppDir, stack: { kind: 'input' }, cdk: true };
  if (kind === 'serverless' || kind === 'serverless-script') {
    // a serverless.ts names its service and stage in the same module (no imports to follow)
    const text = kind === 'serverless' ? file.text : (serverlessScriptYaml(file, new Set())?.yaml ?? '');
    const parsed = parseYaml(text);
    const r = parsed.ok ? new YamlReader(parsed.parsed.doc, parsed.parsed.lines) : null;
    const root = r?.doc.contents;
    const service = r?.str(r.get(root, 'service')) ?? r?.str(r.get(root, 'service', 'name'));
    const name = service && !service.includes('${') ? service : dirName;
    const stage = r?.str(r.get(root, 'provider', 'stage')) ?? '';
    const defaultStage = /^[A-Za-z0-9-]+$/.test(stage)
      ? stage
      : (/\$\{opt:stage,\s*['"]?([A-Za-z0-9-]+)['"]?\s*\}/.exec(stage)?.[1] ?? 'dev');
    const stackName = r?.str(r.get(root, 'provider', 'stackName'));
    const expression = stackName ? serverlessQueueName(stackName, name) : `${name}-\${STAGE}`;
    return {
      name: slug(name),
      dir,
      stack: expression ? { kind: 'serverless', expression, defaultStage } : { kind: 'input' },
      cdk: false,
    };
  }
  const stack = samStackName(dir, read);
  return {
    name: slug(stack ?? dirName),
    dir,
    stack: stack ? { kind: 'fixed', name: stack } : { kind: 'input' },
    cdk: false,
  };
}

/** The deployed name of a DLQ from its finding, per format. */
export function queueNameOf(f: IacFinding, service: string, format: string): string | null {
  const literal = typeof f.data?.queueName === 'string' ? f.data.queueName : null;
  const sub = typeof f.data?.queueNameSub === 'string' ? f.data.queueNameSub : null;
  if (literal)
    return format === 'serverless'
      ? serverlessQueueName(literal, service)
      : literal.includes('${') || !SAFE_NAME.test(literal)
        ? null
        : literal;
  return sub ? subQueueName(sub) : null;
}

function stackInputs(svc: RedriveService): string[] {
  if (svc.stack.kind === 'serverless') {
    return [
      '      stage:',
      '        description: Stage the service is deployed as (serverless deploy --stage)',
      '        type: string',
      `        default: ${svc.stack.defaultStage}`,
    ];
  }
  if (svc.stack.kind === 'fixed')
    return [
      '      stack:',
      '        description: CloudFormation stack of the service',
      '        type: string',
      `        default: ${svc.stack.name}`,
    ];
  return [
    '      stack:',
    `        description: CloudFormation stack of the service${svc.cdk ? ' (the CDK stack name)' : ''}`,
    '        type: string',
    '        required: true',
  ];
}

export function redriveWorkflow(svc: RedriveService, dir: string): GeneratedWorkflow {
  const stackLine =
    svc.stack.kind === 'serverless' ? `          STACK="${svc.stack.expression}"` : '          STACK="$STACK_INPUT"';
  const match = svc.cdk ? "starts_with(LogicalResourceId, '$QUEUE')" : "LogicalResourceId=='$QUEUE'";
  const content = [
    ...header(
      `DLQ redrive (${svc.name})`,
      `Moves dead-lettered messages of ${svc.name} back to their source queue (dry run by default).`,
      [
        ...stackInputs(svc),
        '      queue:',
        '        description: Dead-letter queue (its logical id in the template)',
        '        type: choice',
        `        options: [${svc.queues.map((x) => q(x.id)).join(', ')}]`,
        '      max_messages:',
        "        description: Messages moved per second (the move task's rate limit; empty = SQS default)",
        '        type: number',
        '        required: false',
      ],
    ),
    '      - name: Redrive',
    '        env:',
    '          QUEUE: ${{ inputs.queue }}',
    ...(svc.stack.kind === 'serverless'
      ? ['          STAGE: ${{ inputs.stage }}']
      : ['          STACK_INPUT: ${{ inputs.stack }}']),
    '          DRY_RUN: ${{ inputs.dry_run }}',
    '          MAX_MESSAGES: ${{ inputs.max_messages }}',
    '        run: |',
    '          set -euo pipefail',
    ...(svc.stack.kind === 'serverless'
      ? ['          case "$STAGE" in *[!A-Za-z0-9-]*|"") echo "::error::invalid stage"; exit 1;; esac']
      : ['          case "$STACK_INPUT" in *[!A-Za-z0-9-]*|"") echo "::error::invalid stack name"; exit 1;; esac']),
    stackLine,
    "          # the queue as it deploys: its name when the template sets one, else CloudFormation's name for its logical id",
    '          case "$QUEUE" in',
    ...svc.queues.map((x) => `            ${q(x.id)}) name=${x.name ? `"${x.name}"` : '""'} ;;`),
    '            *) echo "::error::unknown queue $QUEUE"; exit 1 ;;',
    '          esac',
    '          if [ -n "$name" ]; then',
    '            url=$(aws sqs get-queue-url --queue-name "$name" --query QueueUrl --output text)',
    '          else',
    `            url=$(aws cloudformation describe-stack-resources --stack-name "$STACK" --query "StackResources[?ResourceType=='AWS::SQS::Queue' && ${match}] | [0].PhysicalResourceId" --output text)`,
    '          fi',
    '          if [ -z "$url" ] || [ "$url" = "None" ]; then echo "::error::queue $QUEUE not found in $STACK"; exit 1; fi',
    '          arn=$(aws sqs get-queue-attributes --queue-url "$url" --attribute-names QueueArn --query Attributes.QueueArn --output text)',
    '          count=$(aws sqs get-queue-attributes --queue-url "$url" --attribute-names ApproximateNumberOfMessages --query Attributes.ApproximateNumberOfMessages --output text)',
    '          echo "$arn holds ~$count message(s)"',
    '          if [ "$DRY_RUN" = "true" ]; then echo "Dry run: nothing moved."; exit 0; fi',
    '          args=(--source-arn "$arn")',
    '          if [ -n "$MAX_MESSAGES" ]; then args+=(--max-number-of-messages-per-second "$MAX_MESSAGES"); fi',
    '          aws sqs start-message-move-task "${args[@]}"',
    '          aws sqs list-message-move-tasks --source-arn "$arn" --max-results 1',
    '',
  ].join('\n');
  return { path: `${dir}/dlq-redrive-${svc.name}.yml`, content, fixes: svc.fixes };
}
