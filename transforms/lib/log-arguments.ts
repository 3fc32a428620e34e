import type { JSCodeshift } from 'jscodeshift';
import { sourceOf } from './code-splice';

/*
 * Maps console arguments to a structured logger call: a message string plus one attributes
 * object, e.g. console.log(`Order ${order.id} failed`, err) -> ('Order failed', { orderId: order.id, error: err }).
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

export interface LogArgumentOptions {
  /** the file's quote character for new string literals */
  quote: "'" | '"';
  /** `as Error` for a value TypeScript types as unknown (an unannotated catch parameter) */
  errorCast(node: AnyNode): string;
}

/** The argument codes of the logger call, or why the call is left alone. */
export type MappedArguments = { args: string[] } | { skip: string };

const ERROR_NAME = /^(err|error|e|ex|exc|exception|cause)$|(Error|Err)$/;
const MESSAGE_NAME = /^(msg|message|text|line|label)$|Message$/i;

export function isErrorLike(node: AnyNode): boolean {
  if (node?.type === 'Identifier') return ERROR_NAME.test(node.name);
  return node?.type === 'NewExpression' && node.callee.type === 'Identifier' && /Error$/.test(node.callee.name);
}

/** Owners that only contain (`req.params.id`, `process.env.X`, `ctx.request.ip`): they add nothing to a name. */
const CONTAINER =
  /^(params|query|body|headers|data|env|props|payload|item|Item|attributes|fields|this|self|req|request|res|response|ctx|context|args|options|config|process)$/;
const CONSTANT = /^[A-Z0-9_]+$/;

const camel = (owner: string, prop: string): string =>
  owner.charAt(0).toLowerCase() + owner.slice(1) + prop.charAt(0).toUpperCase() + prop.slice(1);

/** `JSON.stringify(x)` (with or without its replacer and indent) logs x: the logger serialises it anyway. */
export function unwrapStringify(node: AnyNode): AnyNode {
  const callee = node?.type === 'CallExpression' ? node.callee : null;
  const isStringify =
    callee?.type === 'MemberExpression' &&
    !callee.computed &&
    callee.object.type === 'Identifier' &&
    callee.object.name === 'JSON' &&
    callee.property.type === 'Identifier' &&
    callee.property.name === 'stringify';
  return isStringify && node.arguments.length >= 1 && node.arguments[0].type !== 'SpreadElement'
    ? node.arguments[0]
    : node;
}

/**
 * The attribute name of a logged value, from its last property and that property's owner:
 * `id` -> id, `order.total` -> orderTotal, `event.Records.length` -> recordsLength,
 * `process.env.RDS_SECRET_NAME` -> RDS_SECRET_NAME, `req.params.id` -> id, `record.recordId` ->
 * recordId; null for computed members and calls.
 */
export function attributeKey(node: AnyNode): string | null {
  const n = unwrapStringify(node);
  if (n?.type === 'Identifier') return n.name;
  if (
    (n?.type === 'MemberExpression' || n?.type === 'OptionalMemberExpression') &&
    !n.computed &&
    n.property.type === 'Identifier'
  ) {
    const prop = n.property.name as string;
    const o = n.object;
    const owner =
      o.type === 'Identifier'
        ? o.name
        : (o.type === 'MemberExpression' || o.type === 'OptionalMemberExpression') &&
            !o.computed &&
            o.property.type === 'Identifier'
          ? (o.property.name as string)
          : null;
    if (owner === null)
      return o.type === 'ThisExpression' ||
        o.type === 'MemberExpression' ||
        o.type === 'OptionalMemberExpression' ||
        o.type === 'CallExpression'
        ? prop
        : null;
    if (CONTAINER.test(owner) || CONSTANT.test(prop) || prop.toLowerCase().startsWith(owner.toLowerCase())) return prop;
    return camel(owner, prop);
  }
  return null;
}

function quoted(text: string, quote: "'" | '"'): string {
  const json = JSON.stringify(text);
  return quote === '"' ? json : `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** `key: value`, or the shorthand `key` when the value is that identifier; `JSON.stringify(x)` logs x. */
function entry(j: JSCodeshift, key: string, raw: AnyNode): string {
  const node = unwrapStringify(raw);
  return node.type === 'Identifier' && node.name === key ? key : `${key}: ${sourceOf(j, node)}`;
}

interface Message {
  code: string;
  entries: Array<[string, string]>;
}

/** Text parts and expressions of a template literal or a `'a' + b + 'c'` concatenation. */
function messageParts(node: AnyNode): { texts: string[]; exprs: AnyNode[] } | null {
  if (node.type === 'TemplateLiteral')
    return { texts: node.quasis.map((q: AnyNode) => q.value.cooked ?? q.value.raw), exprs: node.expressions };
  if (node.type !== 'BinaryExpression' || node.operator !== '+') return null;
  const flat: AnyNode[] = [];
  const walk = (n: AnyNode): void => {
    if (n.type === 'BinaryExpression' && n.operator === '+' && !n.extra?.parenthesized) {
      walk(n.left);
      walk(n.right);
    } else flat.push(n);
  };
  walk(node);
  if (!flat.some((n) => n.type === 'StringLiteral')) return null;
  return {
    texts: flat.filter((n) => n.type === 'StringLiteral').map((n) => n.value),
    exprs: flat.filter((n) => n.type !== 'StringLiteral'),
  };
}

/** The message of a first argument; its interpolated names become attributes when they can. */
function messageOf(j: JSCodeshift, node: AnyNode, quote: "'" | '"'): Message | null {
  if (node.type === 'StringLiteral') return { code: sourceOf(j, node), entries: [] };
  if (node.type === 'Identifier' && MESSAGE_NAME.test(node.name)) return { code: node.name, entries: [] };
  const parts = messageParts(node);
  if (!parts) return null;
  const keep: Message = { code: sourceOf(j, node), entries: [] };
  const keys = parts.exprs.map(attributeKey);
  if (parts.exprs.length === 0 || keys.some((k) => k === null) || new Set(keys).size !== keys.length) return keep;
  const text = parts.texts
    .join(' ')
    .replace(/\s+/g, ' ')
    .replace(/[\s:=,-]+$/, '')
    .trim();
  if (!text) return keep;
  return { code: quoted(text, quote), entries: parts.exprs.map((e, i) => [keys[i]!, entry(j, keys[i]!, e)]) };
}

/** Maps the arguments of one console call for `logger.<level>`. */
export function mapLogArguments(j: JSCodeshift, args: AnyNode[], opts: LogArgumentOptions): MappedArguments {
  if (args.length === 0) return { skip: 'no message to log' };
  if (args.some((a) => a.type === 'SpreadElement')) return { skip: 'spread arguments' };
  const [first, ...rest] = args;
  let message = messageOf(j, first, opts.quote);
  if (!message) {
    if (rest.length > 0) return { skip: 'the first argument is not a message' };
    if (isErrorLike(first))
      return { args: [quoted('Unexpected error', opts.quote), sourceOf(j, first) + opts.errorCast(first)] };
    const key = attributeKey(first);
    if (key === null) return { skip: 'the only argument is not a message' };
    message = { code: quoted(key, opts.quote), entries: [[key, entry(j, key, first)]] };
    return { args: [message.code, `{ ${message.entries.map(([, e]) => e).join(', ')} }`] };
  }
  if (first.type === 'StringLiteral' && /%[sdifjoOc]/.test(first.value) && rest.length > 0)
    return { skip: 'printf-style placeholders' };
  if (rest.length === 0 && message.entries.length === 0) return { args: [message.code] };
  // one error alone: the logger formats it (name, message, stack) under `error`
  if (rest.length === 1 && message.entries.length === 0 && isErrorLike(rest[0])) {
    return { args: [message.code, sourceOf(j, rest[0]) + opts.errorCast(rest[0])] };
  }
  // one object literal alone is already the attributes object
  if (rest.length === 1 && message.entries.length === 0 && rest[0].type === 'ObjectExpression')
    return { args: [message.code, sourceOf(j, rest[0])] };

  const entries = [...message.entries];
  const keys = new Set(entries.map(([k]) => k));
  const details: AnyNode[] = [];
  for (const arg of rest) {
    const key = isErrorLike(arg) && !keys.has('error') ? 'error' : attributeKey(arg);
    if (
      arg.type === 'ObjectExpression' &&
      arg.properties.length > 0 &&
      !arg.properties.some((p: AnyNode) => p.type === 'SpreadElement')
    ) {
      for (const p of arg.properties) entries.push(['', sourceOf(j, p)]);
    } else if (key !== null && !keys.has(key)) {
      keys.add(key);
      entries.push([key, entry(j, key, arg)]);
    } else details.push(arg);
  }
  if (details.length === 1) entries.push(['details', `details: ${sourceOf(j, unwrapStringify(details[0]))}`]);
  if (details.length > 1)
    entries.push(['details', `details: [${details.map((d) => sourceOf(j, unwrapStringify(d))).join(', ')}]`]);
  return { args: [message.code, `{ ${entries.map(([, e]) => e).join(', ')} }`] };
}
