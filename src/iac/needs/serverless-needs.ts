import type { Node } from 'yaml';
import { FixError, YamlEditor } from '../yaml-editor';
import { emitLines, type EmitMap } from '../yaml-emit';
import { YamlReader } from '../yaml-nodes';
import { parseYaml } from '../yaml-tags';
import { referencedIds } from '../intrinsics';
import {
  IDEMPOTENCY_TABLE,
  parameterPattern,
  SSM_PARAMETER_ACTIONS,
  type InfraNeed,
  type NeedOutcome,
} from './infra-needs';

/**
 * serverless.yml: what a code fix needs for the function `fnKey`, as minimal text edits.
 * Idempotency: `functionResponseType: ReportBatchItemFailures` on its SQS events, the table
 * (TTL on `expiration`) under `resources.Resources`, its name in the function's environment and
 * an IAM statement; SSM: an IAM statement on the parameter path. Permissions go where the
 * service keeps them: the per-function `iamRoleStatements` (serverless-iam-roles-per-function),
 * `provider.iamRoleStatements` (v2) or `provider.iam.role.statements`; a function or service
 * with a role of its own cannot be granted here.
 */

function tableResource(): EmitMap {
  return {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_TABLE.key, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE.key, KeyType: 'HASH' }],
      '#': 'Powertools writes the expiry time of each record here; DynamoDB deletes expired records',
      TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_TABLE.ttlAttribute, Enabled: true },
    },
  };
}

/** Appends one item to the block sequence at `path`, or creates the sequence under its parent map. */
function appendToSeq(ed: YamlEditor, path: string[], item: EmitMap): void {
  const seq = ed.r.seq(ed.at(path));
  if (!seq) {
    if (ed.at(path) !== undefined) throw new FixError(`${path.join('.')} is not a list`);
    ed.addUnder(path.slice(0, -1), { [path[path.length - 1]!]: [item] });
    return;
  }
  const first = seq.items[0] as Node | undefined;
  if (seq.flow || !first?.range) throw new FixError(`${path.join('.')} is not a block list`);
  const dash = ed.text.lastIndexOf('-', first.range[0]);
  const indent = dash - (ed.text.lastIndexOf('\n', dash) + 1);
  const parent = ed.r.pair(ed.at(path.slice(0, -1)), path[path.length - 1]!);
  const lines = emitLines(item, ed.unit);
  ed.insertLines(ed.offsetAfter(parent!), indent, [`- ${lines[0]}`, ...lines.slice(1).map((l) => `  ${l}`)]);
}

/** Where this function's IAM statements live, or why there is no such place. */
function statementsPath(r: YamlReader, fnKey: string): string[] {
  const root = r.doc.contents;
  const fn = r.get(root, 'functions', fnKey);
  if (r.get(fn, 'role') !== undefined)
    throw new FixError(`function ${fnKey} runs with a role of its own (role:): grant it access by hand`);
  if (r.get(fn, 'iamRoleStatements') !== undefined) return ['functions', fnKey, 'iamRoleStatements'];
  if (r.get(root, 'provider', 'iamRoleStatements') !== undefined) return ['provider', 'iamRoleStatements'];
  const role = r.get(root, 'provider', 'iam', 'role');
  if (role !== undefined && !r.map(role))
    throw new FixError('the service runs with an existing role (provider.iam.role): grant it access by hand');
  return ['provider', 'iam', 'role', 'statements'];
}

function hasStatementOn(r: YamlReader, path: string[], resourceRef: string): boolean {
  let cur: unknown = r.doc.contents;
  for (const seg of path) cur = r.get(cur, seg);
  return r
    .items(cur)
    .some(
      (s) =>
        referencedIds(r, r.get(s, 'Resource')).includes(resourceRef) || r.str(r.get(s, 'Resource')) === resourceRef,
    );
}

function addIdempotency(ed: YamlEditor, fnKey: string, envVar: string, added: string[]): void {
  const { r } = ed;
  const root = r.doc.contents;
  const fn = r.get(root, 'functions', fnKey);
  const events = r.items(r.get(fn, 'events'));
  const sqs = events.map((e, i) => ({ value: r.get(e, 'sqs'), i })).filter((e) => e.value !== undefined);
  if (sqs.length === 0)
    throw new FixError(
      `function ${fnKey} has no sqs event in serverless.yml: its event source cannot report partial batch failures`,
    );
  for (const { value, i } of sqs) {
    if (!r.map(value))
      throw new FixError(
        `the sqs event of ${fnKey} is a bare ARN: write it as a map and add functionResponseType: ReportBatchItemFailures`,
      );
    if (r.get(value, 'functionResponseType')) continue;
    ed.addUnder(['functions', fnKey, 'events', String(i), 'sqs'], { functionResponseType: 'ReportBatchItemFailures' });
    added.push(`${fnKey}: its SQS event reports partial batch failures`);
  }
  const statements = statementsPath(r, fnKey);
  const resources = r.get(root, 'resources');
  if (r.seq(resources)) throw new FixError('resources is a list of files or blocks: add the idempotency table by hand');
  const table = IDEMPOTENCY_TABLE.id;
  if (!r.get(resources, 'Resources', table)) {
    ed.addUnder(['resources', 'Resources'], { [table]: tableResource() });
    added.push(`${table}: a DynamoDB table with TTL on ${IDEMPOTENCY_TABLE.ttlAttribute}`);
  }
  if (!r.get(fn, 'environment', envVar) && !r.get(root, 'provider', 'environment', envVar)) {
    ed.addUnder(['functions', fnKey, 'environment'], { [envVar]: `!Ref ${table}` });
    added.push(`${fnKey}: ${envVar} names the table`);
  }
  if (!hasStatementOn(r, statements, table)) {
    appendToSeq(ed, statements, {
      Effect: 'Allow',
      Action: [...IDEMPOTENCY_TABLE.actions],
      Resource: `!GetAtt ${table}.Arn`,
    });
    added.push(`${fnKey}: may read and write ${table}`);
  }
}

function addSsmAccess(ed: YamlEditor, fnKey: string, pathPrefix: string, added: string[]): void {
  const resource = `arn:aws:ssm:\${aws:region}:\${aws:accountId}:parameter/${parameterPattern(pathPrefix)}`;
  const statements = statementsPath(ed.r, fnKey);
  if (hasStatementOn(ed.r, statements, resource)) return;
  appendToSeq(ed, statements, { Effect: 'Allow', Action: [...SSM_PARAMETER_ACTIONS], Resource: resource });
  added.push(`${fnKey}: may read and write the SSM parameters under ${pathPrefix}`);
}

export function serverlessNeed(text: string, fnKey: string, need: InfraNeed): NeedOutcome {
  const parsed = parseYaml(text);
  if (!parsed.ok) return { error: `serverless.yml does not parse: ${parsed.message}` };
  const r = new YamlReader(parsed.parsed.doc, parsed.parsed.lines);
  if (!r.get(r.doc.contents, 'functions', fnKey)) return { error: `function ${fnKey} is not in this serverless.yml` };
  const ed = new YamlEditor(text, r);
  const added: string[] = [];
  try {
    if (need.kind === 'idempotency-table') addIdempotency(ed, fnKey, need.envVar, added);
    else addSsmAccess(ed, fnKey, need.pathPrefix, added);
  } catch (err) {
    if (!(err instanceof FixError)) throw err;
    return { error: err.message };
  }
  const after = ed.result();
  if (after !== text && !parseYaml(after).ok) return { error: 'the edited serverless.yml did not re-parse' };
  return { after, added };
}
