import type { JSCodeshift } from 'jscodeshift';

/*
 * Recast prints every new object literal over several lines and drops trailing commas. To keep
 * a one-line `{ headers }` on one line, new code is written as text in the file's own layout and
 * parsed with the file's parser: recast then reuses that text as written.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

/** An expression parsed from code; recast prints it exactly as written. */
export function parseExpression(j: JSCodeshift, code: string): AnyNode {
  const file = j(`x = ${code};`).paths()[0]!.node as AnyNode;
  return file.program.body[0].expression.right;
}

/** The code of a node as the file has it (tail lines relative to its first line's indentation). */
export function sourceOf(j: JSCodeshift, node: AnyNode): string {
  return j(node).toSource();
}

/** The parse of `code`, or null when it does not parse alone (`yield` or `super` inside). */
function tryParseExpression(j: JSCodeshift, code: string): AnyNode | null {
  try {
    return parseExpression(j, code);
  } catch {
    return null;
  }
}

/**
 * Replaces a node in place (same object, so references to it stay valid) by the parse of
 * `code`, keeping the node's own comments. False when the code does not parse alone.
 */
export function replaceInPlace(j: JSCodeshift, node: AnyNode, code: string): boolean {
  const fresh = tryParseExpression(j, code);
  if (!fresh) return false;
  const comments = node.comments;
  for (const key of Object.keys(node)) delete node[key];
  Object.assign(node, fresh);
  // recast keeps the parsed node as a non-enumerable `original`; it is what lets it reuse the text
  node.original = fresh.original;
  if (comments) node.comments = comments;
  return true;
}

/** Whether a comment follows the node (recast attaches it as a trailing comment). */
const hasTrailingComment = (node: AnyNode): boolean => (node?.comments ?? []).some((c: AnyNode) => c.trailing);

/**
 * The code of an object literal with `entry` (`name: value`) added first or last, in the
 * object's own layout (one line, or one property per line with or without trailing commas).
 * Null when a comment sits where the entry goes, so the caller falls back to recast.
 */
export function objectCodeWith(j: JSCodeshift, obj: AnyNode, entry: string, position: 'first' | 'last'): string | null {
  const text = sourceOf(j, obj);
  if (!text.startsWith('{') || !text.endsWith('}')) return null;
  if (obj.properties.length === 0) return `{ ${entry} }`;
  const inner = text.slice(1, -1);
  const multiline = inner.includes('\n');
  if (position === 'first') {
    if (!multiline) return `{ ${entry}, ${inner.trimStart()}}`;
    const indent = /\n([ \t]*)\S/.exec(inner)?.[1] ?? '  ';
    return `{\n${indent}${entry},${inner.startsWith('\n') ? '' : '\n'}${inner}}`;
  }
  // comments after the last property stay after it: the entry goes below them
  const last = obj.properties[obj.properties.length - 1];
  let body = inner.trimEnd();
  let comments = '';
  for (const c of [...(last?.comments ?? [])].filter((c: AnyNode) => c.trailing).reverse()) {
    const text = /Line$/.test(c.type) ? `//${c.value}` : `/*${c.value}*/`;
    if (!body.endsWith(text)) return null;
    const rest = body.slice(0, -text.length).trimEnd();
    comments = body.slice(rest.length) + comments;
    body = rest;
  }
  const trailingComma = body.endsWith(',');
  if (!multiline) return `{${body}${trailingComma ? '' : ','}${comments} ${entry} }`;
  const indent = /\n([ \t]*)\S/.exec(inner)?.[1] ?? '  ';
  const closing = /\n([ \t]*)$/.exec(inner)?.[1] ?? '';
  return `{${body}${trailingComma ? '' : ','}${comments}\n${indent}${entry}${trailingComma ? ',' : ''}\n${closing}}`;
}

/**
 * Adds arguments to a call or `new` in its own layout: appended before the closing
 * parenthesis, or inserted right after the argument before `index` when it ends on the call's
 * first line. Falls back to recast's layout otherwise.
 */
export function insertArgumentCode(j: JSCodeshift, call: AnyNode, index: number, codes: string[]): void {
  const args: AnyNode[] = call.arguments;
  const text = sourceOf(j, call);
  let code: string | null = null;
  if (index >= args.length && text.endsWith(')')) {
    const head = text.slice(0, -1);
    const body = head.trimEnd();
    if (!head.slice(body.length).includes('\n') && !hasTrailingComment(args[args.length - 1])) {
      const sep = args.length === 0 ? '' : body.endsWith(',') ? ' ' : ', ';
      code = `${body}${sep}${codes.join(', ')})`;
    }
  } else if (index > 0 && index < args.length) {
    const before = args[index - 1];
    if (before.loc && call.loc && before.loc.end.line === call.loc.start.line) {
      const at = before.loc.end.column - call.loc.start.column;
      code = `${text.slice(0, at)}, ${codes.join(', ')}${text.slice(at)}`;
    }
  }
  if (code !== null && replaceInPlace(j, call, code)) return;
  args.splice(index, 0, ...codes.map((c) => parseExpression(j, c)));
}
