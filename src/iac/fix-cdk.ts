import jscodeshift, {
  type ASTPath,
  type Collection,
  type JSCodeshift,
  type NewExpression,
  type ObjectExpression,
} from 'jscodeshift';
import { preferredQuote } from '../../transforms/lib/imports';
import { recastParserFor } from '../../transforms/lib/recast-parser';
import type { ResolvedConfig } from '../config/config-schema';
import { MIN_RETENTION_DAYS } from './checks/event-replay';
import { alarmTopicInput, noFixReason, type FixOutcome } from './fix-yaml';
import type { IacFinding, IacInputFile } from '../types';

export class CdkFixError extends Error {}

/** The two CDK generations: v2 is one package, v1 one package per service. */
export interface CdkFlavour {
  v1: boolean;
  /** module of `Duration`, `Stack`: aws-cdk-lib / @aws-cdk/core */
  core: string;
  /** module of a service: aws-cdk-lib/aws-sns / @aws-cdk/aws-sns */
  service(name: string): string;
}

export interface CdkCtx {
  j: JSCodeshift;
  root: Collection;
  file: string;
  config: ResolvedConfig;
  flavour: CdkFlavour;
  deployInputs: string[];
  reservedAdded: number;
  /** v1 packages the new code imports (added to the app's package.json at the core's version) */
  imported: Set<string>;
}

const DLQ_RETENTION_DAYS = 14;

/** v1 when the stack imports `@aws-cdk/core` or service packages and nothing from aws-cdk-lib (v2 apps also import `@aws-cdk/*-alpha`) */
function flavourOf(j: JSCodeshift, root: Collection): CdkFlavour {
  let v1Imports = false;
  let v2Imports = false;
  root.find(j.Literal).forEach((p) => {
    const v = (p.node as { value?: unknown }).value;
    if (typeof v !== 'string') return;
    if (/^aws-cdk-lib(\/|$)/.test(v)) v2Imports = true;
    else if (/^@aws-cdk\/(core|aws-[\w-]+)$/.test(v) && !v.endsWith('-alpha')) v1Imports = true;
  });
  const v1 = v1Imports && !v2Imports;
  return v1
    ? { v1, core: '@aws-cdk/core', service: (name) => `@aws-cdk/${name}` }
    : { v1, core: 'aws-cdk-lib', service: (name) => `aws-cdk-lib/${name}` };
}

function newAt(ctx: CdkCtx, f: IacFinding): ASTPath<NewExpression> {
  const found = ctx.root
    .find(ctx.j.NewExpression)
    .filter((p) => p.node.loc?.start.line === f.line && p.node.loc.start.column + 1 === f.column);
  if (found.length !== 1) throw new CdkFixError('construct not found at the reported position');
  return found.paths()[0]!;
}

/** the props object of `new X(scope, id, props)` (argument `index`), added when missing */
export function propsOf(ctx: CdkCtx, node: NewExpression, index: number): ObjectExpression {
  const arg = node.arguments[index];
  if (arg === undefined && node.arguments.length === index) {
    const obj = ctx.j.objectExpression([]);
    node.arguments.push(obj);
    return obj;
  }
  if (arg?.type !== 'ObjectExpression') throw new CdkFixError('props are not an object literal');
  return arg;
}

export function addProp(ctx: CdkCtx, obj: ObjectExpression, name: string, code: string): void {
  obj.properties.push(
    ctx.j.objectProperty(ctx.j.identifier(name), ctx.j.template.expression([code] as unknown as TemplateStringsArray)),
  );
}

/** the source text of a node */
export function textOf(ctx: CdkCtx, node: unknown): string {
  return ctx.j(node as never).toSource();
}

/** `q` for `const q = new X(...)`, `this.q` for `this.q = new X(...)` */
export function variableOf(p: ASTPath): string | null {
  const parent = p.parent?.node as
    | {
        type: string;
        id?: { type: string; name?: string };
        left?: { type: string; object?: { type: string }; property?: { type: string; name?: string } };
      }
    | undefined;
  if (parent?.type === 'VariableDeclarator' && parent.id?.type === 'Identifier' && parent.id.name)
    return parent.id.name;
  const left = parent?.type === 'AssignmentExpression' ? parent.left : undefined;
  if (
    left?.type === 'MemberExpression' &&
    left.object?.type === 'ThisExpression' &&
    left.property?.type === 'Identifier'
  )
    return `this.${left.property.name}`;
  return null;
}

function statementOf(p: ASTPath): ASTPath {
  let cur: ASTPath | null = p;
  while (cur && !/Statement|Declaration$/.test((cur.node as { type: string }).type)) cur = cur.parent as ASTPath | null;
  // a statement in a block or program can take siblings; a class property cannot
  const holder = cur?.parent?.node as { type?: string } | undefined;
  if (!cur || !holder || !['BlockStatement', 'Program', 'StaticBlock'].includes(holder.type ?? ''))
    throw new CdkFixError('no statement to insert beside');
  return cur;
}

function statements(ctx: CdkCtx, code: string): unknown[] {
  const body = (ctx.j(code).find(ctx.j.Program).get().node as { body: Array<Record<string, unknown>> }).body;
  for (const s of body) {
    delete s.loc;
    delete s.start;
    delete s.end;
  }
  return body;
}

export function insertAfterStatement(ctx: CdkCtx, p: ASTPath, code: string): void {
  const at = statementOf(p);
  for (const s of statements(ctx, code).reverse()) at.insertAfter(s);
}

export function insertBeforeStatement(ctx: CdkCtx, p: ASTPath, code: string): void {
  const at = statementOf(p);
  for (const s of statements(ctx, code)) at.insertBefore(s);
}

/** A name no binding of the file uses yet. */
export function freshName(ctx: CdkCtx, base: string): string {
  const used = new Set<string>();
  ctx.root.find(ctx.j.Identifier).forEach((p) => {
    used.add(p.node.name);
  });
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}${i}`;
  return name;
}

/**
 * A reference to a CDK module's exports: the namespace the file already imports it as
 * (`sns.`), else a namespace import added in the file's own module style. `''` when the names
 * come through named imports of the core module (`Duration`, `Stack`).
 */
export function moduleRef(ctx: CdkCtx, source: string, preferred: string): string {
  const { j, root } = ctx;
  const ns = root
    .find(j.ImportNamespaceSpecifier)
    .filter((p) => (p.parent.node as { source: { value: string } }).source.value === source);
  if (ns.length > 0) return `${ns.paths()[0]!.node.local!.name}.`;
  // v2's `import { aws_sns as sns } from 'aws-cdk-lib'`
  const service = /^aws-cdk-lib\/(aws-[\w-]+)$/.exec(source)?.[1]?.replace(/-/g, '_');
  if (service) {
    const named = root
      .find(j.ImportSpecifier)
      .filter(
        (p) =>
          (p.parent.node as { source: { value: string } }).source.value === 'aws-cdk-lib' &&
          p.node.imported.name === service,
      );
    if (named.length > 0) return `${(named.paths()[0]!.node.local ?? named.paths()[0]!.node.imported).name}.`;
  }
  // `import sns = require('@aws-cdk/aws-sns')`
  const importEquals = root.find(j.TSImportEqualsDeclaration).filter((p) => {
    const ref = p.node.moduleReference as { type: string; expression?: { value?: unknown } };
    return ref.type === 'TSExternalModuleReference' && ref.expression?.value === source;
  });
  if (importEquals.length > 0) return `${(importEquals.paths()[0]!.node.id as { name: string }).name}.`;
  const required = root.find(j.VariableDeclarator).filter((p) => {
    const init = p.node.init as {
      type?: string;
      callee?: { name?: string };
      arguments?: Array<{ value?: unknown }>;
    } | null;
    return (
      p.node.id.type === 'Identifier' &&
      init?.type === 'CallExpression' &&
      init.callee?.name === 'require' &&
      init.arguments?.[0]?.value === source
    );
  });
  if (required.length > 0) return `${(required.paths()[0]!.node.id as { name: string }).name}.`;
  const local = freshName(ctx, preferred);
  const program = root.find(j.Program).paths()[0]!.node;
  const esm = program.body.some((s) => s.type === 'ImportDeclaration');
  const quote = preferredQuote(j, root);
  const [decl] = statements(
    ctx,
    esm
      ? `import * as ${local} from ${quote}${source}${quote};`
      : `const ${local} = require(${quote}${source}${quote});`,
  );
  const lastImport = program.body
    .map((s, i) => ({ s, i }))
    .filter(
      ({ s }) =>
        s.type === 'ImportDeclaration' || (s.type === 'VariableDeclaration' && /require\(/.test(textOf(ctx, s))),
    )
    .pop();
  program.body.splice(lastImport ? lastImport.i + 1 : 0, 0, decl as never);
  if (ctx.flavour.v1 && source.startsWith('@aws-cdk/')) ctx.imported.add(source);
  return `${local}.`;
}

/** `Duration`/`Stack` of the core module: through its namespace import, a named import, or a new named import */
function coreRef(ctx: CdkCtx, names: string[]): string {
  const { j, root, flavour } = ctx;
  const ns = root
    .find(j.ImportNamespaceSpecifier)
    .filter((p) => (p.parent.node as { source: { value: string } }).source.value === flavour.core);
  if (ns.length > 0) return `${ns.paths()[0]!.node.local!.name}.`;
  const decl = root
    .find(j.ImportDeclaration, { source: { value: flavour.core } })
    .filter((p) => p.node.importKind !== 'type');
  if (decl.length === 0) return moduleRef(ctx, flavour.core, 'cdk');
  const node = decl.paths()[0]!.node;
  const imported = (n: string) =>
    decl
      .paths()
      .some((p) => p.node.specifiers?.some((s) => s.type === 'ImportSpecifier' && (s.local ?? s.imported).name === n));
  for (const n of names) {
    if (!imported(n)) node.specifiers = [...(node.specifiers ?? []), j.importSpecifier(j.identifier(n))];
  }
  return '';
}

/**
 * A depth alarm on a queue, with its action wired to the SNS topic given at deploy time
 * (`cdk deploy -c alarmTopicArn=…`): without one the stack deploys as before and the alarm only
 * changes state.
 */
function alarmCode(ctx: CdkCtx, queueVar: string, resource: string, scope: string): string {
  const alarm = freshName(ctx, `${lowerFirst(queueVar.replace(/^this\./, ''))}DepthAlarm`);
  const actions = moduleRef(ctx, ctx.flavour.service('aws-cloudwatch-actions'), 'cloudwatch_actions');
  const sns = moduleRef(ctx, ctx.flavour.service('aws-sns'), 'sns');
  if (!ctx.deployInputs.length) ctx.deployInputs.push(alarmTopicInput(ctx.file, 'cdk'));
  // threshold 1 with the default >= comparison: alarms as soon as one message is visible
  return [
    `const ${alarm} = ${queueVar}.metricApproximateNumberOfMessagesVisible().createAlarm(${scope}, '${resource}DepthAlarm', { threshold: 1, evaluationPeriods: 1 });`,
    `if (${scope}.node.tryGetContext('alarmTopicArn')) {`,
    '  // the SNS topic that pages on-call, given at deploy time: cdk deploy -c alarmTopicArn=arn:aws:sns:…',
    `  ${alarm}.addAlarmAction(new ${actions}SnsAction(${sns}Topic.fromTopicArn(${scope}, '${resource}AlarmTopic', ${scope}.node.tryGetContext('alarmTopicArn'))));`,
    '}',
  ].join('\n');
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function dataNumber(f: IacFinding, key: string): number {
  const v = f.data?.[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new CdkFixError(`the finding carries no ${key}`);
  return v;
}

const FIXES: Record<string, (ctx: CdkCtx, f: IacFinding, p: ASTPath<NewExpression>) => void> = {
  'add-reserved': (ctx, f, p) => {
    const n = dataNumber(f, 'reserved');
    addProp(ctx, propsOf(ctx, p.node, 2), 'reservedConcurrentExecutions', String(n));
    ctx.reservedAdded += n;
  },
  'add-max-concurrency': (ctx, f, p) =>
    addProp(ctx, propsOf(ctx, p.node, 1), 'maxConcurrency', String(dataNumber(f, 'maximumConcurrency'))),
  // a DLQ of its own (14 days' retention, like the YAML ones) with its alarm, declared before the queue
  'add-dlq': (ctx, f, p) => {
    statementOf(p);
    const props = propsOf(ctx, p.node, 2);
    const scope = textOf(ctx, p.node.arguments[0]);
    const resource = `${String(f.data?.resource)}DLQ`;
    const fifo = /\bfifo:\s*true\b/.test(textOf(ctx, props)) ? 'fifo: true, ' : '';
    const dlq = freshName(ctx, lowerFirst(String(f.data?.resource)).replace(/[^A-Za-z0-9_$]/g, '') + 'Dlq');
    const core = coreRef(ctx, ['Duration']);
    insertBeforeStatement(
      ctx,
      p,
      [
        `const ${dlq} = new ${textOf(ctx, p.node.callee)}(${scope}, '${resource}', { ${fifo}retentionPeriod: ${core}Duration.days(${DLQ_RETENTION_DAYS}) });`,
        alarmCode(ctx, dlq, resource, scope),
      ].join('\n'),
    );
    addProp(ctx, props, 'deadLetterQueue', `{ queue: ${dlq}, maxReceiveCount: ${dataNumber(f, 'maxReceiveCount')} }`);
  },
  'lower-max-receive': (ctx, f, p) => {
    const lit = ctx
      .j(p)
      .find(ctx.j.ObjectProperty, { key: { name: 'maxReceiveCount' } })
      .find(ctx.j.NumericLiteral);
    if (lit.length !== 1) throw new CdkFixError('maxReceiveCount is not a number literal');
    lit.paths()[0]!.node.value = dataNumber(f, 'maxReceiveCount');
  },
  'add-alarm': (ctx, f, p) => {
    const queue = variableOf(p);
    if (!queue) throw new CdkFixError('the queue is not assigned to a variable');
    statementOf(p);
    insertAfterStatement(ctx, p, alarmCode(ctx, queue, String(f.data?.resource), textOf(ctx, p.node.arguments[0])));
  },
  'add-archive': (ctx, f, p) => {
    const bus = variableOf(p);
    if (!bus) throw new CdkFixError('the bus is not assigned to a variable');
    const cdk = coreRef(ctx, ['Duration', 'Stack']);
    insertAfterStatement(
      ctx,
      p,
      `${bus}.archive('${String(f.data?.resource)}Archive', { eventPattern: { account: [${cdk}Stack.of(this).account] }, retention: ${cdk}Duration.days(${MIN_RETENTION_DAYS}) });`,
    );
  },
};

/** Parses a CDK file for rewriting, with the context the fixes share. */
export function openCdk(file: IacInputFile, config: ResolvedConfig): CdkCtx | { error: string } {
  const j = jscodeshift.withParser(recastParserFor(file.path));
  let root: Collection;
  try {
    root = j(file.text);
  } catch (err) {
    return { error: `the file does not parse: ${(err as Error).message}` };
  }
  return {
    j,
    root,
    file: file.path,
    config,
    flavour: flavourOf(j, root),
    deployInputs: [],
    reservedAdded: 0,
    imported: new Set(),
  };
}

/** Prints the rewritten stack in the file's own quote and trailing-comma style. */
export function printCdk(ctx: CdkCtx, original: string): string {
  const trailingComma = /,\s*\n\s*[}\]]/.test(original);
  const quote = /'/.test(original.replace(/"[^"\n]*"/g, '')) ? 'single' : 'double';
  return ctx.root.toSource({ quote, trailingComma });
}

/** CDK stacks: props added to the construct's object literal through recast, so the rest keeps its formatting. */
export function fixCdk(file: IacInputFile, findings: IacFinding[], config: ResolvedConfig): FixOutcome {
  const opened = openCdk(file, config);
  if ('error' in opened)
    return { after: file.text, fixed: [], skipped: findings.map((finding) => ({ finding, reason: opened.error })) };
  const ctx = opened;
  const fixed: IacFinding[] = [];
  const skipped: FixOutcome['skipped'] = [];
  // bottom-up, so positions of findings not yet fixed stay valid
  for (const f of [...findings].sort((a, b) => b.line - a.line || b.column - a.column)) {
    const apply = FIXES[String(f.data?.fix ?? '')];
    if (!apply) {
      skipped.push({
        finding: f,
        reason:
          f.data?.fix === 'redrive-workflow'
            ? 'fixed by the generated dlq-redrive workflow of the service'
            : noFixReason(f, 'no automatic fix'),
      });
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
  return {
    after: printCdk(ctx, file.text),
    fixed,
    skipped,
    deployInputs: ctx.deployInputs,
    reservedAdded: ctx.reservedAdded,
    dependencies: [...ctx.imported],
  };
}
