import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { IacSpan } from './iac-model';

/** Read helpers over yaml's node tree: aliases are followed, absent keys give undefined. */
export class YamlReader {
  constructor(
    readonly doc: Document.Parsed,
    readonly lines: LineCounter,
  ) {}

  deref(node: unknown): Node | undefined {
    let n = node;
    for (let i = 0; i < 20 && isAlias(n); i++) n = n.resolve(this.doc);
    return n === null || n === undefined ? undefined : (n as Node);
  }

  map(node: unknown): YAMLMap | undefined {
    const n = this.deref(node);
    return isMap(n) ? n : undefined;
  }

  seq(node: unknown): YAMLSeq | undefined {
    const n = this.deref(node);
    return isSeq(n) ? n : undefined;
  }

  pair(node: unknown, key: string): Pair | undefined {
    const m = this.map(node);
    if (!m) return undefined;
    for (const p of m.items) if (isPair(p) && keyOf(p) === key) return p as Pair;
    return undefined;
  }

  get(node: unknown, ...keys: string[]): Node | undefined {
    let cur: Node | undefined = this.deref(node);
    for (const k of keys) {
      const p = this.pair(cur, k);
      cur = p ? this.deref(p.value) : undefined;
      if (!cur) return undefined;
    }
    return cur;
  }

  /** key → value pairs of a map, in source order */
  entries(node: unknown): Array<{ key: string; value: Node | undefined; pair: Pair }> {
    const m = this.map(node);
    if (!m) return [];
    const out: Array<{ key: string; value: Node | undefined; pair: Pair }> = [];
    for (const p of m.items) {
      const key = keyOf(p as Pair);
      if (key !== undefined) out.push({ key, value: this.deref((p as Pair).value), pair: p as Pair });
    }
    return out;
  }

  items(node: unknown): Node[] {
    const s = this.seq(node);
    return s ? s.items.map((i) => this.deref(i)).filter((i): i is Node => i !== undefined) : [];
  }

  /** a plain (untagged) scalar's value as text */
  str(node: unknown): string | undefined {
    const n = this.deref(node);
    if (!isScalar(n) || isIntrinsicTag(n.tag)) return undefined;
    const v = n.value;
    return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  }

  num(node: unknown): number | undefined {
    const s = this.str(node);
    if (s === undefined || s.trim() === '') return undefined;
    const v = Number(s);
    return Number.isFinite(v) ? v : undefined;
  }

  bool(node: unknown): boolean | undefined {
    const s = this.str(node);
    return s === 'true' ? true : s === 'false' ? false : undefined;
  }

  /** the span of a pair's key (where findings point) */
  keySpan(pair: Pair): IacSpan {
    return this.span(pair.key as Node | undefined);
  }

  span(node: Node | undefined): IacSpan {
    const range = node?.range;
    if (!range) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
    const a = this.lines.linePos(range[0]);
    const b = this.lines.linePos(range[1]);
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  }
}

export function keyOf(pair: Pair | unknown): string | undefined {
  if (!isPair(pair)) return undefined;
  const k = pair.key;
  if (isScalar(k)) return k.value === null ? undefined : String(k.value);
  return undefined;
}

export function isIntrinsicTag(tag: string | undefined): boolean {
  return typeof tag === 'string' && tag.startsWith('!') && tag !== '!';
}
