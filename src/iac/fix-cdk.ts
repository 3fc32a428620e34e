import jscodeshift, { type ASTPath, type Collection, type JSCodeshift, type NewExpression, type ObjectExpression } from 'jscodeshift';
import { recastParserFor } from '../../transforms/lib/recast-parser';
import type { ResolvedConfig } from '../config/config-schema';
import { MIN_RETENTION_DAYS } from './checks/event-replay';
import { MAX_RECEIVE_COUNT } from './checks/no-dlq';
import type { FixOutcome } from './fix-yaml';
import type { IacFinding, IacInputFile } from './scan-iac';

class CdkFixError extends Error {}

interface Ctx {
  j: JSCodeshift;
  root: Collection;
  config: ResolvedConfig;
  /** `cdk.` when aws-cdk-lib is imported as a namespace, '' when Duration/Stack are named imports */
  cdkPrefix: () => string;
}

function newAt(ctx: Ctx, f: IacFinding): ASTPath<NewExpression> {
  const found = ctx.root.find(ctx.j.NewExpression).filter((p) => p.node.loc?.start.line === f.line && p.node.loc.start.column + 1 === f.column);
  if (found.length !== 1) throw new CdkFixError('construct not found at the reported position');
  return found.paths()[0]!;
}

/** the props object of `new X(scope, id, props)` (argument `index`), added when missing */
function propsOf(ctx: Ctx, node: NewExpression, index: number): ObjectExpression {
  const arg = node.arguments[index];
  if (arg === undefined && node.arguments.length === index) {
    const obj = ctx.j.objectExpression([]);
    node.arguments.push(obj);
    return obj;
  }
  if (arg?.type !== 'ObjectExpression') throw new CdkFixError('props are not an object literal');
  return arg;
}

function addProp(ctx: Ctx, obj: ObjectExpression, name: string, code: string): void {
  obj.properties.push(ctx.j.objectProperty(ctx.j.identifier(name), ctx.j.template.expression([code] as unknown as TemplateStringsArray)));
}

function calleeText(ctx: Ctx, node: NewExpression): string {
  return ctx.j(node.callee as never).toSource();
}

function variableOf(ctx: Ctx, p: ASTPath<NewExpression>): string {
  const parent = p.parent?.node as { type: string; id?: { type: string; name?: string } } | undefined;
  if (parent?.type === 'VariableDeclarator' && parent.id?.type === 'Identifier' && parent.id.name) return parent.id.name;
  throw new CdkFixError('the construct is not assigned to a variable');
}

function insertAfterStatement(ctx: Ctx, p: ASTPath, code: string): void {
  let cur: ASTPath | null = p;
  while (cur && !/Statement|Declaration$/.test((cur.node as { type: string }).type)) cur = cur.parent as ASTPath | null;
  if (!cur) throw new CdkFixError('no statement to insert after');
  cur.insertAfter(ctx.j.template.statement([code] as unknown as TemplateStringsArray));
}

/** `Duration`/`Stack` from aws-cdk-lib: through the namespace import, or added to the named import */
function cdkNames(ctx: Ctx, names: string[]): string {
  const prefix = ctx.cdkPrefix();
  if (prefix) return prefix;
  const { j, root } = ctx;
  const decl = root.find(j.ImportDeclaration, { source: { value: 'aws-cdk-lib' } }).filter((p) => p.node.importKind !== 'type');
  if (decl.length > 0) {
    const node = decl.paths()[0]!.node;
    for (const n of names) {
      if (!node.specifiers?.some((s) => s.type === 'ImportSpecifier' && s.local?.name === n)) node.specifiers = [...(node.specifiers ?? []), j.importSpecifier(j.identifier(n))];
    }
  } else {
    root.find(j.Program).paths()[0]!.node.body.unshift(j.importDeclaration(names.map((n) => j.importSpecifier(j.identifier(n))), j.literal('aws-cdk-lib')));
  }
  return '';
}

const FIXES: Record<string, (ctx: Ctx, f: IacFinding, p: ASTPath<NewExpression>) => void> = {
  'add-reserved': (ctx, _f, p) => addProp(ctx, propsOf(ctx, p.node, 2), 'reservedConcurrentExecutions', String(ctx.config.concurrency.reserved)),
  'add-max-concurrency': (ctx, _f, p) => addProp(ctx, propsOf(ctx, p.node, 1), 'maxConcurrency', String(ctx.config.concurrency.sqsMaximum)),
  'add-dlq': (ctx, f, p) => {
    const props = propsOf(ctx, p.node, 2);
    const scope = ctx.j(p.node.arguments[0] as never).toSource();
    const fifo = /\bfifo:\s*true\b/.test(ctx.j(props as never).toSource()) ? ', { fifo: true }' : '';
    addProp(ctx, props, 'deadLetterQueue', `{ queue: new ${calleeText(ctx, p.node)}(${scope}, '${String(f.data?.resource)}DLQ'${fifo}), maxReceiveCount: ${MAX_RECEIVE_COUNT} }`);
  },
  'lower-max-receive': (ctx, _f, p) => {
    const lit = ctx.j(p).find(ctx.j.ObjectProperty, { key: { name: 'maxReceiveCount' } }).find(ctx.j.NumericLiteral);
    if (lit.length !== 1) throw new CdkFixError('maxReceiveCount is not a number literal');
    lit.paths()[0]!.node.value = MAX_RECEIVE_COUNT;
  },
  'add-alarm': (ctx, f, p) => {
    // threshold 1 with the default >= comparison: alarms as soon as one message is visible
    insertAfterStatement(ctx, p, `${variableOf(ctx, p)}.metricApproximateNumberOfMessagesVisible().createAlarm(this, '${String(f.data?.resource)}DepthAlarm', { threshold: 1, evaluationPeriods: 1 });`);
  },
  'add-archive': (ctx, f, p) => {
    const bus = variableOf(ctx, p);
    const cdk = cdkNames(ctx, ['Duration', 'Stack']);
    insertAfterStatement(ctx, p, `${bus}.archive('${String(f.data?.resource)}Archive', { eventPattern: { account: [${cdk}Stack.of(this).account] }, retention: ${cdk}Duration.days(${MIN_RETENTION_DAYS}) });`);
  },
};

/** CDK stacks: props added to the construct's object literal through recast, so the rest keeps its formatting. */
export function fixCdk(file: IacInputFile, findings: IacFinding[], config: ResolvedConfig): FixOutcome {
  const j = jscodeshift.withParser(recastParserFor(file.path));
  let root: Collection;
  try {
    root = j(file.text);
  } catch (err) {
    return { after: file.text, fixed: [], skipped: findings.map((finding) => ({ finding, reason: `the file does not parse: ${(err as Error).message}` })) };
  }
  const ns = root.find(j.ImportNamespaceSpecifier).filter((p) => (p.parent.node as { source: { value: string } }).source.value === 'aws-cdk-lib');
  const ctx: Ctx = { j, root, config, cdkPrefix: () => (ns.length > 0 ? `${ns.paths()[0]!.node.local!.name}.` : '') };
  const fixed: IacFinding[] = [];
  const skipped: FixOutcome['skipped'] = [];
  // bottom-up, so positions of findings not yet fixed stay valid
  for (const f of [...findings].sort((a, b) => b.line - a.line || b.column - a.column)) {
    const apply = FIXES[String(f.data?.fix ?? '')];
    if (!apply) {
      skipped.push({ finding: f, reason: f.data?.fix === 'redrive-workflow' ? 'fixed by the generated .github/workflows/dlq-redrive.yml' : 'no automatic fix' });
      continue;
    }
    try {
      apply(ctx, f, newAt(ctx, f));
      fixed.push(f);
    } catch (err) {
      if (!(err instanceof CdkFixError)) throw err;
      skipped.push({ finding: f, reason: err.message });
    }
  }
  if (fixed.length === 0) return { after: file.text, fixed, skipped };
  const trailingComma = /,\s*\n\s*[}\]]/.test(file.text);
  const quote = /'/.test(file.text.replace(/"[^"\n]*"/g, '')) ? 'single' : 'double';
  return { after: root.toSource({ quote, trailingComma }), fixed, skipped };
}
