import { ensureNamedImports, isTopLevelName, parseStatement } from './lib/imports';
import { matchBatchLoop, type BatchLoopHandler } from './lib/sqs-batch-loop';
import { ensureTypeImports } from './lib/type-imports';
import { toJscodeshiftTransform } from './lib/transform-api';
import type { FixContext, FixStep } from '../src/api/fix-context';
import type { FixStepMeta } from '../src/api/step-metadata';

/**
 * Idempotent SQS consumer (catalog rule no-idempotency, spec phase 4.3). A handler whose body
 * is one loop over `event.Records` becomes a Powertools batch handler: the loop body moves into
 * `recordHandler`, made idempotent with `makeIdempotent` (DynamoDB persistence, keyed on the
 * message id), and the handler returns `processPartialResponse(...)`, so that only the failed
 * records are retried. A catch in the loop that logged and went on now rethrows: the batch
 * processor reports that record as failed instead of deleting it. The function needs
 * ReportBatchItemFailures on its SQS event source, an idempotency table with TTL, its name in
 * IDEMPOTENCY_TABLE and access to it: declared with `needInfra`, so the engine adds them to the
 * function's IaC in every format (src/iac/needs/) or does not make this fix.
 * Other shapes are left with the reason.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime
type AnyNode = any;

const NAMES = ['processor', 'idempotencyConfig', 'persistenceStore', 'recordHandler'];
/** the environment variable that names the idempotency table */
const TABLE_ENV = 'IDEMPOTENCY_TABLE';

function isTerminal(statement: AnyNode): boolean {
  return statement?.type === 'ThrowStatement' || statement?.type === 'ReturnStatement';
}

/** `catch (err) { log(err); }` directly in the loop body → `catch (err) { log(err); throw err; }`. */
function rethrowCatches(ctx: FixContext, block: AnyNode): void {
  const { j } = ctx;
  for (const s of block.body) {
    const handler = s.type === 'TryStatement' ? s.handler : null;
    if (!handler || isTerminal(handler.body.body[handler.body.body.length - 1])) continue;
    if (handler.param && handler.param.type !== 'Identifier') continue;
    if (!handler.param) handler.param = j.identifier('error');
    handler.body.body.push(j.throwStatement(j.identifier(handler.param.name)));
  }
}

function rewrite(ctx: FixContext, h: BatchLoopHandler): void {
  const { j, root, file } = ctx;
  const ts = /\.[cm]?tsx?$/.test(file);
  const batch = ensureNamedImports(j, root, file, '@aws-lambda-powertools/batch', [
    'BatchProcessor',
    'EventType',
    'processPartialResponse',
  ]);
  const idem = ensureNamedImports(j, root, file, '@aws-lambda-powertools/idempotency', [
    'IdempotencyConfig',
    'makeIdempotent',
  ]);
  const dynamo = ensureNamedImports(j, root, file, '@aws-lambda-powertools/idempotency/dynamodb', [
    'DynamoDBPersistenceLayer',
  ]);
  const types = ts
    ? ensureTypeImports(j, root, 'aws-lambda', h.contextuallyTyped ? ['SQSRecord'] : ['SQSRecord', 'Context'])
    : {};
  ctx.addDependency('@aws-lambda-powertools/batch', '^2.0.0');
  ctx.addDependency('@aws-lambda-powertools/idempotency', '^2.0.0');
  ctx.addDependency('@aws-sdk/client-dynamodb', '^3.0.0');
  // the DynamoDB persistence layer loads @aws-sdk/util-dynamodb through lib-dynamodb (a peer dependency of Powertools idempotency)
  ctx.addDependency('@aws-sdk/lib-dynamodb', '^3.0.0');
  // the engine adds the table, its TTL, the grant, the variable and ReportBatchItemFailures to the function's IaC, or drops this fix
  ctx.needInfra({ kind: 'idempotency-table', exportName: h.exportName, envVar: TABLE_ENV });

  const table = `process.env.${TABLE_ENV}${ts ? '!' : ''}`;
  const setup = [
    `const processor = new ${batch.BatchProcessor}(${batch.EventType}.SQS);`,
    `const idempotencyConfig = new ${idem.IdempotencyConfig}({ eventKeyJmesPath: 'messageId' });`,
    `const persistenceStore = new ${dynamo.DynamoDBPersistenceLayer}({ tableName: ${table} });`,
  ].map((code) => parseStatement(j, code));
  setup[1].comments = [
    j.commentLine(' keyed on the SQS message id: a redelivered message is processed once', true, false),
  ];

  const record = h.loop.left.declarations[0].id;
  if (ts) record.typeAnnotation = j.tsTypeAnnotation(j.tsTypeReference(j.identifier(types.SQSRecord!)));
  const recordHandler = parseStatement(
    j,
    `const recordHandler = ${idem.makeIdempotent}(async () => {}, { persistenceStore, config: idempotencyConfig });`,
  );
  const worker = recordHandler.declarations[0].init.arguments[0];
  worker.params = [record];
  worker.body = h.loop.body;
  rethrowCatches(ctx, h.loop.body);
  recordHandler.comments = [
    ...(h.loop.comments ?? []).filter((c: AnyNode) => c.leading),
    j.commentLine(
      ' one record at a time: a record that throws is reported back to SQS as a batch item failure',
      true,
      false,
    ),
  ];

  const context = j.identifier('context');
  if (ts && !h.contextuallyTyped)
    context.typeAnnotation = j.tsTypeAnnotation(j.tsTypeReference(j.identifier(types.Context!)));
  h.fn.params.push(context);
  // it now answers the batch item failures (`Promise<void>` would no longer hold)
  if (h.fn.returnType) h.fn.returnType = null;
  h.fn.body.body = [
    parseStatement(j, 'idempotencyConfig.registerLambdaContext(context);'),
    parseStatement(j, `return ${batch.processPartialResponse}(${h.eventName}, recordHandler, processor, { context });`),
  ];

  const program = root.find(j.Program).get().node as { body: AnyNode[] };
  const at = program.body.indexOf(h.statement);
  program.body.splice(at, 0, ...setup, recordHandler);
}

export const step: FixStepMeta = {
  name: 'idempotent-handler',
  phase: '4.3',
  fixes: ['no-idempotency'],
  requires: [],
  // after the call rewrites: it moves the SQS loop body, with what they rewrote in it, into the record handler
  runsAfter: ['add-timeout'],
};

export const fix: FixStep = (ctx) => {
  const { j, root } = ctx;
  const sqsFinding = ctx.findings?.some((f) => f.data?.trigger === 'sqs');
  const selected = (line: number): boolean => !ctx.findings || ctx.findings.some((f) => f.line === line);
  const matches = matchBatchLoop(j, root, selected, ctx.findings ? sqsFinding : undefined);
  const handlers: BatchLoopHandler[] = [];
  for (const m of matches) {
    if (m.kind === 'skip') ctx.skip(m.line, m.reason);
    else handlers.push(m.handler);
  }
  if (!handlers.length) return false;
  if (handlers.length > 1) {
    for (const h of handlers)
      ctx.skip(
        h.line,
        'several batch handlers in one file: they would share one idempotency table and processor; split them by hand',
      );
    return false;
  }
  const taken = NAMES.find((n) => isTopLevelName(j, root, n));
  if (taken) {
    ctx.skip(handlers[0]!.line, `the name ${taken} is already used in this file: wrap the record processing by hand`);
    return false;
  }
  rewrite(ctx, handlers[0]!);
  return true;
};

export default toJscodeshiftTransform(fix);
