import { isMap, isScalar, isSeq } from 'yaml';
import type { YamlReader } from './yaml-nodes';

const SUB_VAR = /\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g;

function subTargets(text: string): string[] {
  return [...text.matchAll(SUB_VAR)].map((m) => m[1]!).filter((id) => !id.startsWith('AWS'));
}

/**
 * Logical ids a value refers to, in short or long form: `!Ref X`, `!GetAtt X.Arn`,
 * `!GetAtt [X, Arn]`, `!Sub '${X.Arn}'`, `{ Ref: X }`, `{ 'Fn::GetAtt': [X, Arn] }`, searched deep.
 */
export function referencedIds(r: YamlReader, node: unknown, depth = 0): string[] {
  const n = r.deref(node);
  if (!n || depth > 30) return [];
  const tag = n.tag;
  if (isScalar(n)) {
    const v = typeof n.value === 'string' ? n.value : '';
    if (tag === '!Ref') return v.startsWith('AWS::') ? [] : [v];
    if (tag === '!GetAtt') return [v.split('.')[0]!];
    if (tag === '!Sub') return subTargets(v);
    return [];
  }
  if (isSeq(n)) {
    if (tag === '!GetAtt') return [r.str(n.items[0]) ?? ''].filter(Boolean);
    if (tag === '!Sub') return [...subTargets(r.str(n.items[0]) ?? ''), ...referencedIds(r, n.items[1], depth + 1)];
    return n.items.flatMap((i) => referencedIds(r, i, depth + 1));
  }
  if (isMap(n)) {
    const entries = r.entries(n);
    if (entries.length === 1) {
      const { key, value } = entries[0]!;
      if (key === 'Ref') {
        const v = r.str(value);
        return v && !v.startsWith('AWS::') ? [v] : [];
      }
      if (key === 'Fn::GetAtt') {
        const s = r.str(value);
        if (s) return [s.split('.')[0]!];
        return [r.str(r.items(value)[0]) ?? ''].filter(Boolean);
      }
      if (key === 'Fn::Sub') {
        const s = r.str(value);
        if (s) return subTargets(s);
        const [first, vars] = r.items(value);
        return [...subTargets(r.str(first) ?? ''), ...referencedIds(r, vars, depth + 1)];
      }
    }
    return entries.flatMap((e) => referencedIds(r, e.value, depth + 1));
  }
  return [];
}

/**
 * Names a value may identify a resource by: every string in it, plus the tail of an ARN
 * (`arn:aws:sqs:…:orders-dlq` → `orders-dlq`, `…:event-bus/orders` → `orders`).
 */
export function referencedNames(r: YamlReader, node: unknown, depth = 0): string[] {
  const n = r.deref(node);
  if (!n || depth > 30) return [];
  if (isScalar(n)) return typeof n.value === 'string' ? nameTokens(n.value) : [];
  if (isSeq(n)) return n.items.flatMap((i) => referencedNames(r, i, depth + 1));
  if (isMap(n)) return r.entries(n).flatMap((e) => referencedNames(r, e.value, depth + 1));
  return [];
}

export function nameTokens(s: string): string[] {
  const out = new Set<string>([s]);
  const colon = s.slice(s.lastIndexOf(':') + 1);
  if (colon) out.add(colon);
  const slash = s.slice(s.lastIndexOf('/') + 1);
  if (slash) out.add(slash);
  return [...out].filter((t) => t.length > 0);
}
