import { isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { emitLines, type EmitMap } from './yaml-emit';
import type { YamlReader } from './yaml-nodes';

export class FixError extends Error {}

interface Insert {
  offset: number;
  /** deeper snippets go first when two land on the same offset */
  indent: number;
  lines: string[];
}

/**
 * Edits YAML text in place, guided by the parsed document's node ranges: new pairs are
 * spliced in after existing ones, scalars are replaced in their own range, and every other
 * byte (comments, quoting, anchors, tags, blank lines) stays as it was.
 */
export class YamlEditor {
  private readonly appends = new Map<YAMLMap, EmitMap[]>();
  private readonly inserts: Insert[] = [];
  private readonly replacements: Array<{ start: number; end: number; text: string }> = [];
  readonly eol: string;
  readonly unit: string;

  constructor(
    readonly text: string,
    readonly r: YamlReader,
  ) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    this.unit = ' '.repeat(detectIndentUnit(r));
  }

  private mark: { inserts: number; replacements: number; appends: Map<YAMLMap, number> } | null = null;

  /** Starts an all-or-nothing group of edits (one fix). */
  checkpoint(): void {
    this.mark = {
      inserts: this.inserts.length,
      replacements: this.replacements.length,
      appends: new Map([...this.appends].map(([m, g]) => [m, g.length])),
    };
  }

  rollback(): void {
    if (!this.mark) return;
    this.inserts.length = this.mark.inserts;
    this.replacements.length = this.mark.replacements;
    for (const [m, g] of this.appends) {
      const n = this.mark.appends.get(m) ?? 0;
      if (n === 0) this.appends.delete(m);
      else g.length = n;
    }
  }

  /** the node at a key path (numeric segments index sequences) */
  at(path: readonly string[]): Node | undefined {
    let cur: Node | undefined = this.r.deref(this.r.doc.contents);
    for (const seg of path) {
      if (isSeq(cur)) cur = this.r.items(cur)[Number(seg)];
      else cur = this.r.get(cur, seg);
      if (!cur) return undefined;
    }
    return cur;
  }

  /** Adds pairs at the end of the map at `path`, creating the missing maps on the way. */
  addUnder(path: readonly string[], entries: EmitMap): void {
    let cur: Node | undefined = this.r.deref(this.r.doc.contents);
    for (let i = 0; i < path.length; i++) {
      const next: Node | undefined = isSeq(cur) ? this.r.items(cur)[Number(path[i])] : this.r.get(cur, path[i]!);
      if (next === undefined) {
        let wrapped: EmitMap = entries;
        for (const seg of path.slice(i).reverse()) wrapped = { [seg]: wrapped };
        return this.appendTo(cur, wrapped);
      }
      cur = next;
    }
    this.appendTo(cur, entries);
  }

  /** Adds sibling pairs right after `key` in the map at `mapPath`. */
  addAfter(mapPath: readonly string[], key: string, entries: EmitMap): void {
    const map = this.r.map(this.at(mapPath));
    const pair = map ? this.r.pair(map, key) : undefined;
    if (!map || !pair || map.flow) throw new FixError(`cannot place new entries after ${key}`);
    this.inserts.push({
      offset: this.offsetAfter(pair),
      indent: this.keyIndent(pair),
      lines: emitLines(entries, this.unit),
    });
  }

  /** Adds top-level keys before the line of an existing top-level key (e.g. Parameters before Resources). */
  addBefore(rootKey: string, entries: EmitMap): void {
    const pair = this.r.pair(this.r.doc.contents, rootKey);
    if (!pair) throw new FixError(`no ${rootKey} section`);
    const start = (pair.key as Node).range![0];
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    this.inserts.push({ offset: lineStart, indent: 0, lines: emitLines(entries, this.unit) });
  }

  replace(node: Node, text: string): void {
    const range = node.range;
    if (!range) throw new FixError('node has no source range');
    this.replacements.push({ start: range[0], end: range[1], text });
  }

  /** Raw splice, for the rare reshaping edits (a shorthand value expanded to a map). */
  splice(start: number, end: number, text: string): void {
    this.replacements.push({ start, end, text });
  }

  insertLines(offset: number, indent: number, lines: string[]): void {
    this.inserts.push({ offset, indent, lines });
  }

  keyIndent(pair: Pair): number {
    const start = (pair.key as Node).range![0];
    return start - (this.text.lastIndexOf('\n', start - 1) + 1);
  }

  /** the offset just past the line where a pair's value ends */
  offsetAfter(pair: Pair): number {
    const value = pair.value as Node | null;
    const end = value?.range?.[1] ?? (pair.key as Node).range![1];
    let at = end;
    while (at > 0 && /[ \t]/.test(this.text[at - 1]!)) at--;
    if (at > 0 && this.text[at - 1] === '\n') return at;
    const nl = this.text.indexOf('\n', end);
    return nl === -1 ? this.text.length : nl + 1;
  }

  private appendTo(node: Node | undefined, entries: EmitMap): void {
    const map = this.r.map(node);
    if (!map || map.flow || map.items.length === 0)
      throw new FixError('the target is not a block map that can take new keys');
    const list = this.appends.get(map) ?? [];
    list.push(entries);
    this.appends.set(map, list);
  }

  result(): string {
    const inserts = [...this.inserts];
    for (const [map, groups] of this.appends) {
      const last = map.items[map.items.length - 1] as Pair;
      const first = map.items[0] as Pair;
      inserts.push({
        offset: this.offsetAfter(last),
        indent: this.keyIndent(first),
        lines: groups.flatMap((g) => emitLines(g, this.unit)),
      });
    }
    type Edit = { start: number; end: number; text: string; indent: number; order: number };
    const edits: Edit[] = [
      ...this.replacements.map((e, i) => ({ ...e, indent: -1, order: i })),
      ...inserts.map((ins, i) => ({
        start: ins.offset,
        end: ins.offset,
        indent: ins.indent,
        order: i,
        text: ins.lines.map((l) => ' '.repeat(ins.indent) + l + this.eol).join(''),
      })),
    ];
    // same offset: the last applied lands first, so apply replacements, then shallow, then deeper snippets
    edits.sort((a, b) => b.start - a.start || a.indent - b.indent || b.order - a.order);
    let out = this.text;
    for (const e of edits) {
      let text = e.text;
      if (e.start === out.length && e.start === e.end && out.length > 0 && !out.endsWith('\n')) text = this.eol + text;
      out = out.slice(0, e.start) + text + out.slice(e.end);
    }
    return out;
  }
}

/** The file's indentation step: the smallest positive indent of a nested block key, else 2. */
function detectIndentUnit(r: YamlReader): number {
  const root = r.map(r.doc.contents);
  for (const p of root?.items ?? []) {
    const child = r.map((p as Pair).value);
    const first = child?.items[0] as Pair | undefined;
    if (child && !child.flow && first?.key && (first.key as Node).range) {
      const col = r.lines.linePos((first.key as Node).range![0]).col - 1;
      if (col > 0 && col <= 8) return col;
    }
  }
  return 2;
}
