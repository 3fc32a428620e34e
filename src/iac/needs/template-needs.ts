import type { Node } from 'yaml';
import { referencedIds } from '../intrinsics';
import { FixError, YamlEditor } from '../yaml-editor';
import { emitLines, type EmitMap, type Emittable } from '../yaml-emit';
import { YamlReader } from '../yaml-nodes';
import { parseYaml } from '../yaml-tags';
import {
  IDEMPOTENCY_TABLE,
  parameterPattern,
  SSM_PARAMETER_ACTIONS,
  type InfraNeed,
  type NeedOutcome,
} from './infra-needs';

/**
 * SAM / CloudFormation YAML: what a code fix needs for one function, as minimal text edits.
 * Idempotency: an `AWS::DynamoDB::Table` with TimeToLiveSpecification (shared by the template's
 * functions), `Environment.Variables`, access (a `DynamoDBCrudPolicy` in a SAM function's
 * Policies, else an `AWS::IAM::Policy` on the function's role) and `FunctionResponseTypes:
 * [ReportBatchItemFailures]` on each of its SQS event sources (SAM events or event source
 * mappings). SSM parameters: an IAM statement the same way.
 */

interface Ctx {
  ed: YamlEditor;
  r: YamlReader;
  fnId: string;
  short: boolean;
  added: string[];
  ids: Set<string>;
}

const ref = (ctx: Ctx, id: string): Emittable => (ctx.short ? `!Ref ${id}` : { Ref: id });
const getAtt = (ctx: Ctx, id: string, attr: string): Emittable =>
  ctx.short ? `!GetAtt ${id}.${attr}` : { 'Fn::GetAtt': `[${id}, ${attr}]` };

function uniqueId(ctx: Ctx, base: string): string {
  let id = base;
  for (let i = 2; ctx.ids.has(id); i++) id = `${base}${i}`;
  ctx.ids.add(id);
  return id;
}

function resources(ctx: Ctx): Array<{ key: string; value: Node | undefined }> {
  return ctx.r.entries(ctx.r.get(ctx.r.doc.contents, 'Resources'));
}

function typeOf(ctx: Ctx, value: Node | undefined): string {
  return ctx.r.str(ctx.r.get(value, 'Type')) ?? '';
}

/** Appends an item to the block list at `path`, or creates the list under its map. */
function appendToSeq(ctx: Ctx, path: string[], item: Emittable): void {
  const { ed } = ctx;
  const node = ed.at(path);
  const seq = ed.r.seq(node);
  if (!seq) {
    if (node !== undefined) throw new FixError(`${path.join('.')} is not a list`);
    ed.addUnder(path.slice(0, -1), { [path[path.length - 1]!]: [item] as EmitMap[] });
    return;
  }
  const first = seq.items[0] as Node | undefined;
  if (seq.flow || !first?.range) throw new FixError(`${path.join('.')} is not a block list`);
  const dash = ed.text.lastIndexOf('-', first.range[0]);
  const indent = dash - (ed.text.lastIndexOf('\n', dash) + 1);
  const parent = ed.r.pair(ed.at(path.slice(0, -1)), path[path.length - 1]!);
  const lines = typeof item === 'object' && !Array.isArray(item) ? emitLines(item, ed.unit) : [String(item)];
  ed.insertLines(ed.offsetAfter(parent!), indent, [`- ${lines[0]}`, ...lines.slice(1).map((l) => `  ${l}`)]);
}

/** The function's SQS event sources: SAM `Events` of type SQS, and event source mappings on a queue. */
function reportBatchFailures(ctx: Ctx): void {
  const { r, ed, fnId } = ctx;
  const all = resources(ctx);
  const queues = new Set(all.filter((x) => typeOf(ctx, x.value) === 'AWS::SQS::Queue').map((x) => x.key));
  const fnPath = ['Resources', fnId];
  let sources = 0;
  const add = (path: string[], props: Node | undefined, where: string) => {
    sources++;
    const types = r.items(r.get(props, 'FunctionResponseTypes')).map((t) => r.str(t));
    if (types.includes('ReportBatchItemFailures')) return;
    if (r.get(props, 'FunctionResponseTypes') !== undefined)
      throw new FixError(`${where} has FunctionResponseTypes without ReportBatchItemFailures: add it by hand`);
    ed.addUnder(path, { FunctionResponseTypes: ['ReportBatchItemFailures'] });
    ctx.added.push(`${where}: reports partial batch failures`);
  };
  for (const { key, value } of r.entries(r.get(r.doc.contents, ...fnPath, 'Properties', 'Events'))) {
    if (r.str(r.get(value, 'Type')) !== 'SQS') continue;
    add(
      [...fnPath, 'Properties', 'Events', key, 'Properties'],
      r.get(value, 'Properties'),
      `${fnId}'s SQS event ${key}`,
    );
  }
  for (const { key, value } of all) {
    if (typeOf(ctx, value) !== 'AWS::Lambda::EventSourceMapping') continue;
    const p = r.get(value, 'Properties');
    if (!referencedIds(r, r.get(p, 'FunctionName')).includes(fnId)) continue;
    const source = r.get(p, 'EventSourceArn');
    const onQueue = referencedIds(r, source).some((id) => queues.has(id)) || (r.str(source) ?? '').includes(':sqs:');
    if (onQueue) add(['Resources', key, 'Properties'], p, `event source mapping ${key}`);
  }
  if (sources === 0)
    throw new FixError(
      `the SQS event source of ${fnId} is not in this template: partial batch failures cannot be turned on`,
    );
}

/** Grants the function a statement: in a SAM function's Policies list, else as an AWS::IAM::Policy on its role. */
function grant(ctx: Ctx, policyBase: string, samTemplate: EmitMap | null, statement: EmitMap): void {
  const { r, fnId } = ctx;
  const res = r.get(r.doc.contents, 'Resources', fnId);
  const props = r.get(res, 'Properties');
  const sam = typeOf(ctx, res) === 'AWS::Serverless::Function';
  const role = r.get(props, 'Role');
  const policies = r.get(props, 'Policies');
  if (sam && role === undefined && (policies === undefined || (r.seq(policies) && !r.seq(policies)!.flow))) {
    appendToSeq(ctx, ['Resources', fnId, 'Properties', 'Policies'], samTemplate ?? { Statement: [statement] });
    return;
  }
  // SAM names the role it creates <FunctionId>Role; a template role is referenced by !GetAtt/!Ref
  const roleId =
    role === undefined
      ? sam
        ? `${fnId}Role`
        : null
      : (referencedIds(r, role).find(
          (id) => typeOf(ctx, r.get(r.doc.contents, 'Resources', id)) === 'AWS::IAM::Role',
        ) ?? null);
  if (!roleId) throw new FixError(`${fnId} runs with a role this template does not declare: grant it access by hand`);
  const id = uniqueId(ctx, `${fnId}${policyBase}`);
  ctx.ed.addAfter(['Resources'], fnId, {
    [id]: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: id,
        Roles: [ref(ctx, roleId) as string],
        PolicyDocument: { Version: "'2012-10-17'", Statement: [statement] },
      },
    },
  });
}

/** The template's idempotency table (a Powertools-shaped one already there, else a new one after the function). */
function ensureTable(ctx: Ctx): string {
  const { r } = ctx;
  const existing = resources(ctx).find(
    ({ key, value }) =>
      key.startsWith(IDEMPOTENCY_TABLE.id) &&
      typeOf(ctx, value) === 'AWS::DynamoDB::Table' &&
      r.str(r.get(r.get(value, 'Properties'), 'TimeToLiveSpecification', 'AttributeName')) ===
        IDEMPOTENCY_TABLE.ttlAttribute,
  );
  if (existing) return existing.key;
  const id = uniqueId(ctx, IDEMPOTENCY_TABLE.id);
  ctx.ed.addAfter(['Resources'], ctx.fnId, {
    [id]: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_TABLE.key, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE.key, KeyType: 'HASH' }],
        '#': 'Powertools writes the expiry time of each record here; DynamoDB deletes expired records',
        TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_TABLE.ttlAttribute, Enabled: true },
      },
    },
  });
  ctx.added.push(`${id}: a DynamoDB table with TTL on ${IDEMPOTENCY_TABLE.ttlAttribute}`);
  return id;
}

function addIdempotency(ctx: Ctx, envVar: string): void {
  const { r, fnId } = ctx;
  reportBatchFailures(ctx);
  const table = ensureTable(ctx);
  const props = r.get(r.doc.contents, 'Resources', fnId, 'Properties');
  if (!r.get(props, 'Environment', 'Variables', envVar)) {
    ctx.ed.addUnder(['Resources', fnId, 'Properties', 'Environment', 'Variables'], { [envVar]: ref(ctx, table) });
    ctx.added.push(`${fnId}: ${envVar} names the table`);
  }
  grant(
    ctx,
    'IdempotencyAccess',
    { DynamoDBCrudPolicy: { TableName: ref(ctx, table) } },
    { Effect: 'Allow', Action: [...IDEMPOTENCY_TABLE.actions], Resource: getAtt(ctx, table, 'Arn') },
  );
  ctx.added.push(`${fnId}: may read and write ${table}`);
}

function addSsmAccess(ctx: Ctx, pathPrefix: string): void {
  const resource = `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${parameterPattern(pathPrefix)}`;
  const sub: Emittable = ctx.short ? `!Sub '${resource}'` : { 'Fn::Sub': `'${resource}'` };
  grant(ctx, 'ParameterAccess', null, { Effect: 'Allow', Action: [...SSM_PARAMETER_ACTIONS], Resource: sub });
  ctx.added.push(`${ctx.fnId}: may read and write the SSM parameters under ${pathPrefix}`);
}

export function templateNeed(text: string, fnId: string, need: InfraNeed): NeedOutcome {
  const parsed = parseYaml(text);
  if (!parsed.ok) return { error: `the template does not parse: ${parsed.message}` };
  const r = new YamlReader(parsed.parsed.doc, parsed.parsed.lines);
  const type = r.str(r.get(r.doc.contents, 'Resources', fnId, 'Type'));
  if (type !== 'AWS::Serverless::Function' && type !== 'AWS::Lambda::Function')
    return { error: `function ${fnId} is not in this template` };
  const ed = new YamlEditor(text, r);
  const short = /!(GetAtt|Ref|Sub)\b/.test(text) || !/Fn::GetAtt|\bRef:/.test(text);
  const ctx: Ctx = {
    ed,
    r,
    fnId,
    short,
    added: [],
    ids: new Set(r.entries(r.get(r.doc.contents, 'Resources')).map((e) => e.key)),
  };
  try {
    if (need.kind === 'idempotency-table') addIdempotency(ctx, need.envVar);
    else addSsmAccess(ctx, need.pathPrefix);
  } catch (err) {
    if (!(err instanceof FixError)) throw err;
    return { error: err.message };
  }
  const after = ed.result();
  if (after !== text && !parseYaml(after).ok) return { error: 'the edited template did not re-parse' };
  return { after, added: ctx.added };
}
