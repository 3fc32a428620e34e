import {
  IDEMPOTENCY_TABLE,
  parameterPattern,
  SSM_PARAMETER_ACTIONS,
  type InfraNeed,
  type NeedOutcome,
} from './infra-needs';

/**
 * CloudFormation / SAM JSON templates: the same needs as template-needs.ts, made on the parsed
 * object and written back with the file's own indentation, key order kept and new resources
 * placed right after the function.
 */

type Json = Record<string, unknown>;

class NeedError extends Error {}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function obj(parent: Json, key: string): Json {
  const v = parent[key];
  if (v === undefined) parent[key] = {};
  else if (!isObj(v)) throw new NeedError(`${key} is not an object`);
  return parent[key] as Json;
}

/** logical ids a value refers to (`Ref`, `Fn::GetAtt`, `Fn::Sub`), searched deep */
function refs(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(refs);
  if (!isObj(v)) return [];
  if (typeof v.Ref === 'string') return [v.Ref];
  const att = v['Fn::GetAtt'];
  if (Array.isArray(att) && typeof att[0] === 'string') return [att[0]];
  if (typeof att === 'string') return [att.split('.')[0]!];
  if (typeof v['Fn::Sub'] === 'string')
    return [...(v['Fn::Sub'] as string).matchAll(/\$\{([A-Za-z0-9]+)/g)].map((m) => m[1]!);
  return Object.values(v).flatMap(refs);
}

function insertAfter(map: Json, key: string, entries: Json): void {
  const items = Object.entries(map);
  for (const k of Object.keys(map)) delete map[k];
  for (const [k, v] of items) {
    map[k] = v;
    if (k === key) Object.assign(map, entries);
  }
}

function unique(map: Json, base: string): string {
  let id = base;
  for (let i = 2; id in map; i++) id = `${base}${i}`;
  return id;
}

function reportBatchFailures(resources: Json, fnId: string, added: string[]): void {
  const fn = resources[fnId] as Json;
  let sources = 0;
  const add = (props: Json, where: string) => {
    sources++;
    const types = props.FunctionResponseTypes;
    if (Array.isArray(types) && types.includes('ReportBatchItemFailures')) return;
    if (types !== undefined)
      throw new NeedError(`${where} has FunctionResponseTypes without ReportBatchItemFailures: add it by hand`);
    props.FunctionResponseTypes = ['ReportBatchItemFailures'];
    added.push(`${where}: reports partial batch failures`);
  };
  const events =
    isObj(fn.Properties) && isObj((fn.Properties as Json).Events) ? ((fn.Properties as Json).Events as Json) : {};
  for (const [key, e] of Object.entries(events)) {
    if (isObj(e) && e.Type === 'SQS') add(obj(e, 'Properties'), `${fnId}'s SQS event ${key}`);
  }
  const queues = new Set(
    Object.entries(resources)
      .filter(([, r]) => isObj(r) && r.Type === 'AWS::SQS::Queue')
      .map(([k]) => k),
  );
  for (const [key, r] of Object.entries(resources)) {
    if (!isObj(r) || r.Type !== 'AWS::Lambda::EventSourceMapping' || !isObj(r.Properties)) continue;
    const p = r.Properties;
    if (!refs(p.FunctionName).includes(fnId)) continue;
    if (
      refs(p.EventSourceArn).some((id) => queues.has(id)) ||
      (typeof p.EventSourceArn === 'string' && p.EventSourceArn.includes(':sqs:'))
    )
      add(p, `event source mapping ${key}`);
  }
  if (sources === 0)
    throw new NeedError(
      `the SQS event source of ${fnId} is not in this template: partial batch failures cannot be turned on`,
    );
}

function grant(resources: Json, fnId: string, policyBase: string, samTemplate: Json | null, statement: Json): void {
  const fn = resources[fnId] as Json;
  const props = obj(fn, 'Properties');
  const sam = fn.Type === 'AWS::Serverless::Function';
  if (sam && props.Role === undefined && (props.Policies === undefined || Array.isArray(props.Policies))) {
    props.Policies = [...((props.Policies as unknown[] | undefined) ?? []), samTemplate ?? { Statement: [statement] }];
    return;
  }
  const roleId =
    props.Role === undefined
      ? sam
        ? `${fnId}Role`
        : null
      : (refs(props.Role).find((id) => isObj(resources[id]) && (resources[id] as Json).Type === 'AWS::IAM::Role') ??
        null);
  if (!roleId) throw new NeedError(`${fnId} runs with a role this template does not declare: grant it access by hand`);
  const id = unique(resources, `${fnId}${policyBase}`);
  insertAfter(resources, fnId, {
    [id]: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: id,
        Roles: [{ Ref: roleId }],
        PolicyDocument: { Version: '2012-10-17', Statement: [statement] },
      },
    },
  });
}

function ensureTable(resources: Json, fnId: string, added: string[]): string {
  const existing = Object.entries(resources).find(
    ([k, r]) =>
      k.startsWith(IDEMPOTENCY_TABLE.id) &&
      isObj(r) &&
      r.Type === 'AWS::DynamoDB::Table' &&
      isObj(r.Properties) &&
      isObj((r.Properties as Json).TimeToLiveSpecification) &&
      ((r.Properties as Json).TimeToLiveSpecification as Json).AttributeName === IDEMPOTENCY_TABLE.ttlAttribute,
  );
  if (existing) return existing[0];
  const id = unique(resources, IDEMPOTENCY_TABLE.id);
  insertAfter(resources, fnId, {
    [id]: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: IDEMPOTENCY_TABLE.key, AttributeType: 'S' }],
        KeySchema: [{ AttributeName: IDEMPOTENCY_TABLE.key, KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: IDEMPOTENCY_TABLE.ttlAttribute, Enabled: true },
      },
    },
  });
  added.push(`${id}: a DynamoDB table with TTL on ${IDEMPOTENCY_TABLE.ttlAttribute}`);
  return id;
}

export function jsonNeed(text: string, fnId: string, need: InfraNeed): NeedOutcome {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch (err) {
    return { error: `the template does not parse: ${(err as Error).message}` };
  }
  const resources = isObj(root.Resources) ? root.Resources : null;
  const fn = resources?.[fnId];
  if (!resources || !isObj(fn) || (fn.Type !== 'AWS::Serverless::Function' && fn.Type !== 'AWS::Lambda::Function'))
    return { error: `function ${fnId} is not in this template` };
  const added: string[] = [];
  try {
    if (need.kind === 'idempotency-table') {
      reportBatchFailures(resources, fnId, added);
      const table = ensureTable(resources, fnId, added);
      const vars = obj(obj(obj(fn, 'Properties'), 'Environment'), 'Variables');
      if (vars[need.envVar] === undefined) {
        vars[need.envVar] = { Ref: table };
        added.push(`${fnId}: ${need.envVar} names the table`);
      }
      grant(
        resources,
        fnId,
        'IdempotencyAccess',
        { DynamoDBCrudPolicy: { TableName: { Ref: table } } },
        { Effect: 'Allow', Action: [...IDEMPOTENCY_TABLE.actions], Resource: { 'Fn::GetAtt': [table, 'Arn'] } },
      );
      added.push(`${fnId}: may read and write ${table}`);
    } else {
      const resource = {
        'Fn::Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${parameterPattern(need.pathPrefix)}`,
      };
      grant(resources, fnId, 'ParameterAccess', null, {
        Effect: 'Allow',
        Action: [...SSM_PARAMETER_ACTIONS],
        Resource: resource,
      });
      added.push(`${fnId}: may read and write the SSM parameters under ${need.pathPrefix}`);
    }
  } catch (err) {
    if (!(err instanceof NeedError)) throw err;
    return { error: err.message };
  }
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const body = JSON.stringify(root, null, indent).replace(/\n/g, eol);
  return { after: text.endsWith('\n') ? body + eol : body, added };
}
