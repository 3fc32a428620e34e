import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSource } from '../../src/files/read-source';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-read-'));
const write = (name: string, data: string | Buffer): string => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, data);
  return f;
};

describe('readSource', () => {
  it('reads UTF-8 and strips a BOM', () => {
    expect(readSource(write('a.ts', '\uFEFFconst a = 1;'))).toEqual({ ok: true, text: 'const a = 1;' });
  });
  it('skips binary files', () => {
    const r = readSource(write('b.ts', Buffer.from([0x63, 0x00, 0x01])));
    expect(r).toMatchObject({ ok: false, kind: 'skipped', message: expect.stringContaining('binary') });
  });
  it('skips non-UTF-8 text', () => {
    const r = readSource(write('c.ts', Buffer.from([0x63, 0x6f, 0xe9, 0x20, 0x61])));
    expect(r).toMatchObject({ ok: false, kind: 'skipped', message: expect.stringContaining('UTF-8') });
  });
  it('skips a minified bundle over 1 MB', () => {
    const r = readSource(write('d.js', `var a=${'1+'.repeat(600_000)}1;`));
    expect(r).toMatchObject({ ok: false, kind: 'skipped', message: expect.stringContaining('minified') });
  });
  it('reads a large file that is not minified', () => {
    const r = readSource(write('e.js', 'const a = 1;\n'.repeat(100_000)));
    expect(r.ok).toBe(true);
  });
  it('reports an unreadable file', () => {
    const r = readSource(path.join(dir, 'missing.ts'));
    expect(r).toMatchObject({ ok: false, kind: 'unreadable' });
  });
});
