import type { Collection, JSCodeshift } from 'jscodeshift';
import { isFunctionNode } from './catch-helpers';

// recast hands out loosely typed Babel nodes; shapes are checked at runtime
type AnyNode = any;

/** An exported SQS handler whose whole body is `for (const <record> of <event>.Records) { ... }`. */
export interface BatchLoopHandler {
  /** the top-level statement holding the handler (export, or `exports.x = ...`) */
  statement: AnyNode;
  /** the handler function (arrow, function expression or declaration) */
  fn: AnyNode;
  loop: AnyNode;
  eventName: string;
  /** the const is annotated (`: SQSHandler`), so an added context parameter is typed by it */
  contextuallyTyped: boolean;
  line: number;
  /** the name the handler is exported as (what the IaC's `handler` names) */
  exportName: string;
}

export type BatchLoopMatch =
  { kind: 'match'; handler: BatchLoopHandler } | { kind: 'skip'; line: number; reason: string };

const SHAPE_REASON =
  'the handler is not a single `for (const record of event.Records) { ... }` loop: wrap the record processing with processPartialResponse and makeIdempotent by hand';

/** Exported handler functions: `export const h = async (...) =>`, `export async function h`, `exports.h = async ...`. */
function exportedHandlers(
  j: JSCodeshift,
  root: Collection,
): Array<{ statement: AnyNode; fn: AnyNode; annotated: boolean; line: number; exportName: string }> {
  const out: Array<{ statement: AnyNode; fn: AnyNode; annotated: boolean; line: number; exportName: string }> = [];
  const program = root.find(j.Program).get().node as { body: AnyNode[] };
  for (const s of program.body) {
    const d = s.type === 'ExportNamedDeclaration' ? s.declaration : null;
    if (d?.type === 'FunctionDeclaration')
      out.push({
        statement: s,
        fn: d,
        annotated: false,
        line: s.loc?.start.line ?? 0,
        exportName: d.id?.name ?? 'handler',
      });
    if (d?.type === 'VariableDeclaration' && d.declarations.length === 1) {
      const v = d.declarations[0];
      if (v.init && (v.init.type === 'ArrowFunctionExpression' || v.init.type === 'FunctionExpression')) {
        out.push({
          statement: s,
          fn: v.init,
          annotated: Boolean(v.id.typeAnnotation),
          line: s.loc?.start.line ?? 0,
          exportName: v.id.name ?? 'handler',
        });
      }
    }
    const e = s.type === 'ExpressionStatement' ? s.expression : null;
    if (
      e?.type === 'AssignmentExpression' &&
      e.left.type === 'MemberExpression' &&
      (e.right.type === 'ArrowFunctionExpression' || e.right.type === 'FunctionExpression')
    ) {
      const obj = e.left.object;
      const isExports =
        (obj.type === 'Identifier' && obj.name === 'exports') ||
        (obj.type === 'MemberExpression' && obj.object.name === 'module' && obj.property.name === 'exports');
      if (isExports)
        out.push({
          statement: s,
          fn: e.right,
          annotated: false,
          line: s.loc?.start.line ?? 0,
          exportName: e.left.property?.name ?? e.left.property?.value ?? 'handler',
        });
    }
  }
  return out;
}

/** Statements that would leave or skip the loop, or need the handler's own scope, outside nested functions. */
function blocker(node: AnyNode, eventName: string, depth = { loops: 0 }): string | null {
  if (!node || typeof node.type !== 'string') return null;
  if (isFunctionNode(node)) {
    // an arrow still sees the handler's `this` and `arguments`; its own jumps stay inside it
    return node.type === 'ArrowFunctionExpression' ? blockerIn(node.body, eventName, { loops: 0 }, true) : null;
  }
  return blockerIn(node, eventName, depth, false);
}

function blockerIn(node: AnyNode, eventName: string, depth: { loops: number }, insideArrow: boolean): string | null {
  if (!node || typeof node.type !== 'string') return null;
  if (!insideArrow) {
    if (node.type === 'ReturnStatement') return 'the loop body returns from the handler';
    if ((node.type === 'BreakStatement' || node.type === 'ContinueStatement') && (node.label || depth.loops === 0))
      return 'the loop body breaks out of or continues the loop';
  }
  if (node.type === 'ThisExpression' || (node.type === 'Identifier' && node.name === 'arguments'))
    return 'the loop body uses `this` or `arguments`';
  if (node.type === 'Identifier' && node.name === eventName)
    return `the loop body uses \`${eventName}\` beyond its records`;
  const nested = /^(For|ForIn|ForOf|While|DoWhile|Switch)Statement$/.test(node.type)
    ? { loops: depth.loops + 1 }
    : depth;
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'comments' || key === 'tokens' || key === 'typeAnnotation') continue;
    if (node.type === 'MemberExpression' && key === 'property' && !node.computed) continue;
    if ((node.type === 'ObjectProperty' || node.type === 'Property') && key === 'key' && !node.computed) continue;
    const value = node[key];
    for (const child of Array.isArray(value) ? value : [value]) {
      if (!child || typeof child.type !== 'string') continue;
      const found = isFunctionNode(child)
        ? blocker(child, eventName)
        : blockerIn(child, eventName, nested, insideArrow);
      if (found) return found;
    }
  }
  return null;
}

/** Whether the loop reads SQS record fields (standalone JavaScript has no type to go by). */
function readsSqsFields(loop: AnyNode, recordName: string | null): boolean {
  const src = JSON.stringify(loop, (k, v) => (k === 'loc' || k === 'tokens' || k === 'comments' ? undefined : v));
  if (/"name":"(Sns|kinesis|dynamodb|EventSource|eventSource)"/.test(src)) return false;
  return recordName !== null && /"name":"(body|messageId|receiptHandle|messageAttributes)"/.test(src);
}

/**
 * The exported handler to rewrite, when it has exactly the safe shape. `isSqs` says whether the
 * trigger is known to be SQS (from the finding); else the event's type or the fields read decide.
 */
export function matchBatchLoop(
  j: JSCodeshift,
  root: Collection,
  selected: (line: number) => boolean,
  isSqs: boolean | undefined,
): BatchLoopMatch[] {
  const out: BatchLoopMatch[] = [];
  for (const { statement, fn, annotated, line, exportName } of exportedHandlers(j, root)) {
    if (!selected(line)) continue;
    const skip = (reason: string): void => void out.push({ kind: 'skip', line, reason });
    const [event, extra, ...rest] = fn.params;
    const body = fn.body?.type === 'BlockStatement' ? fn.body.body : null;
    const loop = body?.length === 1 ? body[0] : null;
    if (
      !fn.async ||
      fn.generator ||
      !event ||
      event.type !== 'Identifier' ||
      extra ||
      rest.length ||
      !loop ||
      loop.type !== 'ForOfStatement' ||
      loop.await
    ) {
      if (selectedShapeLooksLikeBatch(fn)) skip(SHAPE_REASON);
      continue;
    }
    const right = loop.right;
    const decl = loop.left;
    const recordsOfEvent =
      right.type === 'MemberExpression' &&
      !right.computed &&
      right.object.type === 'Identifier' &&
      right.object.name === event.name &&
      right.property.name === 'Records';
    if (
      !recordsOfEvent ||
      decl.type !== 'VariableDeclaration' ||
      decl.declarations.length !== 1 ||
      loop.body.type !== 'BlockStatement'
    ) {
      skip(SHAPE_REASON);
      continue;
    }
    const typeName = event.typeAnnotation?.typeAnnotation?.typeName?.name as string | undefined;
    const declaredType = (statement.declaration?.declarations?.[0]?.id.typeAnnotation?.typeAnnotation?.typeName?.name ??
      typeName) as string | undefined;
    const recordId = decl.declarations[0].id;
    const sqs =
      isSqs ??
      (declaredType
        ? /^SQS(Event|Handler)$/.test(declaredType)
        : readsSqsFields(loop.body, recordId.type === 'Identifier' ? recordId.name : 'pattern'));
    if (!sqs) {
      skip('not an SQS batch: only SQS records are wrapped with the batch processor and idempotency');
      continue;
    }
    const why = blocker(loop.body, event.name);
    if (why) {
      skip(`${why}: wrap the record processing by hand`);
      continue;
    }
    out.push({
      kind: 'match',
      handler: { statement, fn, loop, eventName: event.name, contextuallyTyped: annotated, line, exportName },
    });
  }
  return out;
}

function selectedShapeLooksLikeBatch(fn: AnyNode): boolean {
  return JSON.stringify(fn.body ?? {}, (k, v) => (k === 'loc' || k === 'tokens' ? undefined : v)).includes(
    '"name":"Records"',
  );
}
