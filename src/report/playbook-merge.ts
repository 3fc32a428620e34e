/**
 * The playbook's generated sections sit between marker comments, so a regenerated playbook can
 * replace them and keep everything the user wrote outside them.
 */

export interface Section {
  name: string;
  body: string;
}

type Part = { kind: 'user'; text: string } | { kind: 'section'; name: string; text: string };

const MARKER = /<!--\s*harden-codemod:(begin|end)\s+([a-z0-9-]+)\s*-->/g;

export function beginMarker(name: string): string {
  return `<!-- harden-codemod:begin ${name} -->`;
}

export function endMarker(name: string): string {
  return `<!-- harden-codemod:end ${name} -->`;
}

export function wrapSection(section: Section): string {
  return `${beginMarker(section.name)}\n${section.body.replace(/\n+$/, '')}\n${endMarker(section.name)}`;
}

/** Splits a previous playbook into user text and generated sections, in order. */
export function splitSections(text: string): Part[] {
  const parts: Part[] = [];
  let pos = 0;
  const markers = [...text.matchAll(MARKER)];
  for (let i = 0; i < markers.length; i++) {
    const begin = markers[i]!;
    if (begin[1] !== 'begin' || begin.index! < pos) continue;
    const name = begin[2]!;
    const endIdx = markers.findIndex((m, j) => j > i && m[1] === 'end' && m[2] === name);
    // an unterminated section runs to the end of the file: it was ours, so it is regenerated
    const end = endIdx === -1 ? undefined : markers[endIdx]!;
    const stop = end ? end.index! + end[0].length : text.length;
    if (begin.index! > pos) parts.push({ kind: 'user', text: text.slice(pos, begin.index!) });
    parts.push({ kind: 'section', name, text: text.slice(begin.index!, stop) });
    pos = stop;
    if (endIdx !== -1) i = endIdx;
    else break;
  }
  if (pos < text.length) parts.push({ kind: 'user', text: text.slice(pos) });
  return parts;
}

/**
 * Puts freshly generated sections into a previous playbook: each known section is replaced in
 * place, user text is kept byte for byte, a section the old file lacks goes after its predecessor
 * (in `sections` order), and a generated section that is no longer produced is dropped.
 */
export function mergeSections(existing: string, sections: Section[]): string {
  if (!existing.trim()) return joinSections(sections);
  const order = sections.map((s) => s.name);
  const fresh = new Map(sections.map((s) => [s.name, wrapSection(s)]));
  const out: Part[] = [];
  const placed = new Set<string>();
  for (const part of splitSections(existing)) {
    if (part.kind === 'user') out.push(part);
    else if (fresh.has(part.name) && !placed.has(part.name)) {
      out.push({ kind: 'section', name: part.name, text: fresh.get(part.name)! });
      placed.add(part.name);
    }
  }
  for (const name of order) {
    if (placed.has(name)) continue;
    const before = order
      .slice(0, order.indexOf(name))
      .reverse()
      .find((n) => placed.has(n));
    const at = before === undefined ? 0 : out.findIndex((p) => p.kind === 'section' && p.name === before) + 1;
    const block: Part = { kind: 'section', name, text: fresh.get(name)! };
    // blank lines around the inserted block keep it a separate Markdown block
    const spaced: Part[] = at === 0 ? [block, { kind: 'user', text: '\n\n' }] : [{ kind: 'user', text: '\n\n' }, block];
    out.splice(at, 0, ...spaced);
    placed.add(name);
  }
  const text = out.map((p) => p.text).join('');
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** A fresh playbook: the sections with a blank line between them. */
export function joinSections(sections: Section[]): string {
  return `${sections.map(wrapSection).join('\n\n')}\n`;
}
