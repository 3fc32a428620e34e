import type { ASTPath, NewExpression } from 'jscodeshift';
import type { ResolvedConfig } from '../../config/config-schema';
import { ctorName, stringValue } from '../cdk-ast';
import {
  addProp,
  CdkFixError,
  freshName,
  insertAfterStatement,
  moduleRef,
  openCdk,
  printCdk,
  propsOf,
  textOf,
  variableOf,
  type CdkCtx,
} from '../fix-cdk';
import type { IacInputFile } from '../../types';
import {
  IDEMPOTENCY_TABLE,
  parameterPattern,
  SSM_PARAMETER_ACTIONS,
  type InfraNeed,
  type NeedOutcome,
} from './infra-needs';

/**
 * A CDK stack: what a code fix needs for one function construct, in the stack's own code.
 * Idempotency: `reportBatchItemFailures: true` on each SqsEventSource attached to the function,
 * and right after it a `dynamodb.Table` (partition key `id`, `timeToLiveAttribute:
 * 'expiration'`), `grantReadWriteData(fn)` and `fn.addEnvironment(...)`. SSM parameters:
 * `fn.addToRolePolicy(...)`. The function must be assigned to a variable.
 */

const FUNCTION_CTORS = new Set(['Function', 'NodejsFunction']);

type AnyNode = { type: string; [k: string]: unknown };

function functionConstruct(ctx: CdkCtx, fnId: string): ASTPath<NewExpression> {
  const found = ctx.root
    .find(ctx.j.NewExpression)
    .filter(
      (p) =>
        FUNCTION_CTORS.has(ctorName(p.node.callee as never) ?? '') &&
        stringValue(p.node.arguments[1] as never) === fnId,
    );
  if (found.length !== 1) throw new CdkFixError(`function ${fnId} is not constructed in this file`);
  return found.paths()[0]!;
}

/** The SqsEventSource constructs attached to the function: `fn.addEventSource(new SqsEventSource(...))` or its `events` prop. */
function sqsSourcesOf(ctx: CdkCtx, fn: ASTPath<NewExpression>, fnVar: string): NewExpression[] {
  const out: NewExpression[] = [];
  ctx.root.find(ctx.j.NewExpression).forEach((p) => {
    if (ctorName(p.node.callee as never) !== 'SqsEventSource') return;
    for (let a: ASTPath | null = p.parent as ASTPath | null; a; a = a.parent as ASTPath | null) {
      const n = a.node as AnyNode;
      if ((n as unknown) === fn.node) {
        out.push(p.node);
        return;
      }
      if (n.type === 'CallExpression') {
        const callee = n.callee as AnyNode;
        if (
          callee.type === 'MemberExpression' &&
          (callee.property as AnyNode).type === 'Identifier' &&
          (callee.property as { name: string }).name === 'addEventSource'
        ) {
          if (textOf(ctx, callee.object) === fnVar) out.push(p.node);
          return;
        }
      }
    }
  });
  return out;
}

function hasEnv(ctx: CdkCtx, fn: NewExpression, envVar: string): boolean {
  const props = fn.arguments[2];
  return props?.type === 'ObjectExpression' && new RegExp(`\\b${envVar}\\b`).test(textOf(ctx, props));
}

function addIdempotency(ctx: CdkCtx, fnId: string, envVar: string, added: string[]): void {
  const fn = functionConstruct(ctx, fnId);
  const fnVar = variableOf(fn);
  if (!fnVar)
    throw new CdkFixError(`function ${fnId} is not assigned to a variable: the table cannot be granted to it`);
  const sources = sqsSourcesOf(ctx, fn, fnVar);
  if (sources.length === 0)
    throw new CdkFixError(
      `no SqsEventSource is attached to ${fnId} in this file: partial batch failures cannot be turned on`,
    );
  for (const source of sources) {
    const props = propsOf(ctx, source, 1);
    const existing = props.properties.find(
      (p) => p.type === 'ObjectProperty' && (p.key as { name?: string }).name === 'reportBatchItemFailures',
    );
    if (existing) {
      if (textOf(ctx, (existing as { value: unknown }).value) !== 'true')
        throw new CdkFixError(
          `the SqsEventSource of ${fnId} sets reportBatchItemFailures otherwise: set it to true by hand`,
        );
      continue;
    }
    addProp(ctx, props, 'reportBatchItemFailures', 'true');
    added.push(`${fnId}: its SqsEventSource reports partial batch failures`);
  }
  const dynamodb = moduleRef(ctx, ctx.flavour.service('aws-dynamodb'), 'dynamodb');
  const scope = textOf(ctx, fn.node.arguments[0]);
  const table = freshName(ctx, `${fnVar.replace(/^this\./, '')}IdempotencyTable`);
  let constructId = `${fnId}IdempotencyTable`;
  const literals = new Set<string>();
  ctx.root.find(ctx.j.StringLiteral).forEach((p) => {
    literals.add(p.node.value);
  });
  for (let i = 2; literals.has(constructId); i++) constructId = `${fnId}IdempotencyTable${i}`;
  insertAfterStatement(
    ctx,
    fn,
    [
      `const ${table} = new ${dynamodb}Table(${scope}, '${constructId}', {`,
      `  partitionKey: { name: '${IDEMPOTENCY_TABLE.key}', type: ${dynamodb}AttributeType.STRING },`,
      `  billingMode: ${dynamodb}BillingMode.PAY_PER_REQUEST,`,
      '  // Powertools writes the expiry time of each record here; DynamoDB deletes expired records',
      `  timeToLiveAttribute: '${IDEMPOTENCY_TABLE.ttlAttribute}',`,
      '});',
      `${table}.grantReadWriteData(${fnVar});`,
      ...(hasEnv(ctx, fn.node, envVar) ? [] : [`${fnVar}.addEnvironment('${envVar}', ${table}.tableName);`]),
    ].join('\n'),
  );
  added.push(
    `${constructId}: a DynamoDB table with TTL on ${IDEMPOTENCY_TABLE.ttlAttribute}, read and written by ${fnId}, named in ${envVar}`,
  );
}

function addSsmAccess(ctx: CdkCtx, fnId: string, pathPrefix: string, added: string[]): void {
  const fn = functionConstruct(ctx, fnId);
  const fnVar = variableOf(fn);
  if (!fnVar)
    throw new CdkFixError(`function ${fnId} is not assigned to a variable: it cannot be granted the parameters`);
  const iam = moduleRef(ctx, ctx.flavour.service('aws-iam'), 'iam');
  const core = moduleRef(ctx, ctx.flavour.core, 'cdk');
  const scope = textOf(ctx, fn.node.arguments[0]);
  insertAfterStatement(
    ctx,
    fn,
    [
      `${fnVar}.addToRolePolicy(new ${iam}PolicyStatement({`,
      `  actions: [${SSM_PARAMETER_ACTIONS.map((a) => `'${a}'`).join(', ')}],`,
      `  resources: [${core}Stack.of(${scope}).formatArn({ service: 'ssm', resource: 'parameter', resourceName: '${parameterPattern(pathPrefix)}' })],`,
      '}));',
    ].join('\n'),
  );
  added.push(`${fnId}: may read and write the SSM parameters under ${pathPrefix}`);
}

export function cdkNeed(
  file: IacInputFile,
  fnId: string,
  need: InfraNeed,
  config: ResolvedConfig,
): NeedOutcome & { dependencies?: string[] } {
  const ctx = openCdk(file, config);
  if ('error' in ctx) return { error: ctx.error };
  const added: string[] = [];
  try {
    if (need.kind === 'idempotency-table') addIdempotency(ctx, fnId, need.envVar, added);
    else addSsmAccess(ctx, fnId, need.pathPrefix, added);
  } catch (err) {
    if (!(err instanceof CdkFixError)) throw err;
    return { error: err.message };
  }
  return { after: printCdk(ctx, file.text), added, dependencies: [...ctx.imported] };
}
