import type { Node } from 'yaml';
import { splitHandler } from './handler-paths';
import { FixError, YamlEditor } from './yaml-editor';
import { emitLines, type EmitMap } from './yaml-emit';
import { YamlReader } from './yaml-nodes';
import { parseYaml } from './yaml-tags';

/**
 * The serverless.yml side of the idempotent SQS consumer (transforms/idempotent-handler.ts):
 * the function's SQS events report partial batch failures (`functionResponseType:
 * ReportBatchItemFailures`), and an idempotency table with TTL on `expiration` (the attribute
 * Powertools writes) is added, passed as IDEMPOTENCY_TABLE and granted to the functions.
 * Minimal text edits through YamlEditor; everything already there is kept.
 */

export interface IdempotencyIacOutcome {
  after: string;
  /** what was added, or why nothing could be */
  notes: string[];
}

const TABLE_ID = 'IdempotencyTable';

function tableResource(): EmitMap {
  return {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      '#': 'Powertools writes the expiry time of each record here; DynamoDB deletes expired records',
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    },
  };
}

const STATEMENT: EmitMap = {
  Effect: 'Allow',
  Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  Resource: `!GetAtt ${TABLE_ID}.Arn`,
};

/** Appends one item to the block sequence at `path`, or creates the sequence under its parent map. */
function appendToSeq(ed: YamlEditor, path: string[], item: EmitMap): void {
  const seq = ed.r.seq(ed.at(path));
  if (!seq) {
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

/**
 * Adds the infrastructure an idempotent SQS handler needs to a Serverless Framework file.
 * `handlerModule` is the handler's file relative to serverless.yml without extension
 * (`src/handlers/process-payment`), `exportName` its export (`handler`).
 */
export function addIdempotencyInfra(text: string, handlerModule: string, exportName: string): IdempotencyIacOutcome {
  const parsed = parseYaml(text);
  if (!parsed.ok) return { after: text, notes: [`serverless.yml does not parse: ${parsed.message}`] };
  const r = new YamlReader(parsed.parsed.doc, parsed.parsed.lines);
  const ed = new YamlEditor(text, r);
  const notes: string[] = [];
  const fn = r.entries(r.get(r.doc.contents, 'functions')).find((e) => {
    const spec = splitHandler(r.str(r.get(e.value, 'handler')) ?? '');
    return spec?.module.replace(/^\.\//, '') === handlerModule && spec.exportName === exportName;
  });
  if (!fn) return { after: text, notes: [`no function in serverless.yml runs ${handlerModule}.${exportName}: add ReportBatchItemFailures and the idempotency table by hand`] };

  try {
    r.items(r.get(fn.value, 'events')).forEach((event, i) => {
      const sqs = r.get(event, 'sqs');
      if (!sqs) return;
      if (!r.map(sqs)) throw new FixError(`the sqs event of ${fn.key} is a bare ARN: write it as a map and add functionResponseType: ReportBatchItemFailures`);
      if (r.get(sqs, 'functionResponseType')) return;
      ed.addUnder(['functions', fn.key, 'events', String(i), 'sqs'], { functionResponseType: 'ReportBatchItemFailures' });
      notes.push(`${fn.key}: the SQS event reports partial batch failures`);
    });
    if (!r.get(fn.value, 'environment', 'IDEMPOTENCY_TABLE')) ed.addUnder(['functions', fn.key, 'environment'], { IDEMPOTENCY_TABLE: `!Ref ${TABLE_ID}` });
    if (!r.get(r.doc.contents, 'resources', 'Resources', TABLE_ID)) {
      ed.addUnder(['resources', 'Resources'], { [TABLE_ID]: tableResource() });
      appendToSeq(ed, ['provider', 'iam', 'role', 'statements'], STATEMENT);
      notes.push(`${TABLE_ID}: DynamoDB table with TTL on expiration, read and written by the functions`);
    }
  } catch (err) {
    if (!(err instanceof FixError)) throw err;
    return { after: text, notes: [err.message] };
  }
  const after = ed.result();
  if (after !== text && !parseYaml(after).ok) return { after: text, notes: ['the edited serverless.yml did not re-parse; nothing was changed'] };
  return { after, notes };
}
