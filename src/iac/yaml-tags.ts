import { LineCounter, parseDocument, type Document, type Tags } from 'yaml';

/** CloudFormation's short-form intrinsic functions (`!Ref X`), as written in SAM and CFN YAML. */
export const INTRINSIC_TAGS = [
  'Ref',
  'GetAtt',
  'Sub',
  'If',
  'Join',
  'Select',
  'FindInMap',
  'ImportValue',
  'Equals',
  'Not',
  'And',
  'Or',
  'Condition',
  'Base64',
  'Cidr',
  'GetAZs',
  'Split',
  'Transform',
] as const;

/**
 * Each short tag may sit on a scalar, a sequence or a map (`!GetAtt A.Arn`, `!GetAtt [A, Arn]`,
 * `!Transform { Name: x }`). The resolvers return the node unchanged, so the tag and the value
 * are kept exactly and the stringifier writes them back as they were.
 */
export const cfnTags: Tags = INTRINSIC_TAGS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'map' as const, resolve: <T>(node: T) => node },
  { tag: `!${name}`, collection: 'seq' as const, resolve: <T>(node: T) => node },
]);

/** Aliases a template may expand before we call it a resource-exhaustion attack (billion laughs). */
export const MAX_ALIAS_COUNT = 200;

export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
}

export type YamlParseOutcome = { ok: true; parsed: ParsedYaml } | { ok: false; message: string; line?: number };

/**
 * Parses YAML (or JSON, a subset) keeping node ranges, comments and tags. Unknown tags are
 * warnings, not errors. Expands aliases once with a cap, so an alias bomb is refused here
 * rather than in a later walk over the nodes.
 */
export function parseYaml(text: string): YamlParseOutcome {
  const lines = new LineCounter();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { customTags: cfnTags, lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0].line ?? lines.linePos(first.pos[0]).line;
    return { ok: false, message: first.message.split('\n')[0] ?? 'YAML syntax error', line };
  }
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    return { ok: false, message: `refused: ${(err as Error).message}` };
  }
  return { ok: true, parsed: { doc, lines } };
}
