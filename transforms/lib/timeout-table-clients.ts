import type { ASTPath, JSCodeshift } from 'jscodeshift';
import type { ResolvedConfig } from '../../src/config/config-schema';
import { requireSource, type ImportBinding } from '../../src/parse/imports';
import { memberChain } from '../../detectors/lib/dependency-ast';
import { clientOfModule, tableMake, type ClientSpec } from '../../detectors/lib/client-table';
import { CHANGED, COVERED, skipped, type FixOutcome } from './call-arguments';
import { insertArgumentCode } from './code-splice';
import { clientTimeoutMs } from './client-timeouts';
import { refersToTopLevel } from './module-bindings';
import { addProperty, findProperty, isObjectLiteral } from './object-literals';

/*
 * Timeouts for the clients of the client table (config/clients.yaml): the row's `fix.set` names
 * the option paths to write (`httpOptions.timeout` for AWS SDK v2, `timeout` for Stripe) and which
 * configured timeout each gets. The options object is created when the client has none; a client
 * whose options are out of sight, or whose row has no `fix`, is left with the reason.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

/** A client of the table: its row, and where its options go. */
export interface TableClient {
  spec: ClientSpec;
  /** the argument index of the options, or 'last' */
  slot: number | 'last';
}

/** The table client a `new X(...)` or factory call makes, judged from the file's module bindings. */
export function tableClientAt(path: ASTPath, bindings: ImportBinding[]): TableClient | null {
  const node = path.node as AnyNode;
  let source = requireSource(node.callee);
  let names: string[] = [];
  if (!source) {
    const chain = memberChain(node.callee);
    if (!chain || chain.length > 3) return null;
    const b = bindings.find((x) => x.local === chain[0]);
    if (!b || !refersToTopLevel(path, chain[0]!)) return null;
    source = b.source;
    names = b.imported === 'default' || b.imported === '*' ? chain.slice(1) : [b.imported, ...chain.slice(1)];
  }
  const found = clientOfModule(source);
  const make = found ? tableMake(found.spec, node.type === 'NewExpression', names, found.subPath) : null;
  return found && make ? { spec: found.spec, slot: make.options } : null;
}

/** A call of a request module of the table (`request(opts, cb)`, `superagent.get(url)`): its row. */
export function tableRequestAt(path: ASTPath, bindings: ImportBinding[]): ClientSpec | null {
  const node = path.node as AnyNode;
  const chain = memberChain(node.callee);
  if (!chain || chain.length > 2) return null;
  const b = bindings.find((x) => x.local === chain[0]);
  if (!b || (b.imported !== 'default' && b.imported !== '*') || !refersToTopLevel(path, chain[0]!)) return null;
  const spec = clientOfModule(b.source)?.spec;
  const requests = spec?.requests;
  if (!requests) return null;
  return (chain.length === 1 ? requests.direct : requests.methods.includes(chain[1]!)) ? spec! : null;
}

function valueFor(spec: ClientSpec, which: 'request' | 'connection' | 'database', config: ResolvedConfig): number {
  const t = config.timeouts;
  if (which === 'database') return t.databaseMs;
  if (which === 'connection') return spec.fix?.aws ? t.awsConnectionMs : t.databaseMs;
  return spec.fix?.aws ? t.awsRequestMs : clientTimeoutMs(config);
}

/** The entries to write, grouped by their first key: `httpOptions: { connectTimeout: 1000, timeout: 5000 }`. */
function groups(spec: ClientSpec, config: ResolvedConfig): Map<string, Array<[string, number]>> {
  const out = new Map<string, Array<[string, number]>>();
  for (const [path, which] of Object.entries(spec.fix!.set)) {
    const [head, ...rest] = path.split('.');
    if (rest.length > 1) continue;
    const list = out.get(head!) ?? [];
    list.push([rest[0] ?? '', valueFor(spec, which, config)]);
    out.set(head!, list);
  }
  return out;
}

const code = (entries: Array<[string, number]>): string => {
  const [first] = entries;
  if (entries.length === 1 && first![0] === '') return String(first![1]);
  return `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
};

/** Writes the row's timeouts into the client's options; the options object is added when absent. */
export function fixTableClient(j: JSCodeshift, node: AnyNode, client: TableClient, config: ResolvedConfig): FixOutcome {
  const { spec, slot } = client;
  if (!spec.fix) return skipped(spec.notFixable ?? `${spec.name}: no rewrite is known for this client`);
  if (slot === 'last') return skipped(`${spec.name}: the options argument's place varies; set the timeout by hand`);
  const args: AnyNode[] = node.arguments;
  if (args.slice(0, slot + 1).some((a) => a.type === 'SpreadElement'))
    return skipped('spread arguments hide the client options');
  const wanted = groups(spec, config);
  if (args.length < slot)
    return skipped(`the ${spec.name} client's options go in argument ${slot + 1}, after arguments it does not have`);
  if (args.length === slot) {
    insertArgumentCode(j, node, slot, [
      `{ ${[...wanted].map(([k, entries]) => `${k}: ${code(entries)}`).join(', ')} }`,
    ]);
    return CHANGED;
  }
  const options = args[slot];
  if (!isObjectLiteral(options)) return skipped(`the ${spec.name} client options are not an object literal here`);
  let changed = false;
  for (const [key, entries] of wanted) {
    const prop = findProperty(options, key);
    if (!prop) {
      addProperty(j, options, key, code(entries));
      changed = true;
      continue;
    }
    if (entries.length === 1 && entries[0]![0] === '') continue; // the timeout is there already
    if (prop.type !== 'ObjectProperty' || !isObjectLiteral(prop.value))
      return skipped(`the client's \`${key}\` is not an object literal here`);
    for (const [name, value] of entries) {
      if (findProperty(prop.value, name)) continue;
      addProperty(j, prop.value, name, String(value));
      changed = true;
    }
  }
  return changed ? CHANGED : COVERED;
}
