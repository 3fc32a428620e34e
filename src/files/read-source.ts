import fs from 'node:fs';

export const MAX_MINIFIED_BYTES = 1_000_000;

export type ReadOutcome = { ok: true; text: string } | { ok: false; kind: 'unreadable' | 'skipped'; message: string };

/** Long lines with little whitespace: a bundle or minified file, not code a person maintains. */
function looksMinified(text: string): boolean {
  const sample = text.slice(0, 20_000);
  const lines = sample.split('\n');
  const longest = lines.reduce((m, l) => Math.max(m, l.length), 0);
  return longest > 2_000 && lines.length < 20;
}

/**
 * Reads a source file as UTF-8 text, or says why it is not scanned: unreadable, binary
 * (a NUL byte), not valid UTF-8, or a minified bundle over 1 MB. A BOM is stripped.
 */
export function readSource(abs: string): ReadOutcome {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, kind: 'unreadable', message: `cannot read file (${code})` };
  }
  if (buf.includes(0)) return { ok: false, kind: 'skipped', message: 'binary file (contains NUL bytes)' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return { ok: false, kind: 'skipped', message: 'not valid UTF-8 text' };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (buf.length > MAX_MINIFIED_BYTES && looksMinified(text)) {
    return {
      ok: false,
      kind: 'skipped',
      message: `minified or generated bundle (${(buf.length / 1e6).toFixed(1)} MB)`,
    };
  }
  return { ok: true, text };
}
