import { describe, expect, it } from 'vitest';
import { createProgress, progressEnabled, progressLine } from '../../src/report/progress';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { out: string[] } {
  const out: string[] = [];
  return { isTTY, columns: 60, out, write: (s: string) => out.push(s) > 0 } as unknown as NodeJS.WriteStream & {
    out: string[];
  };
}

describe('progress', () => {
  it.each([
    [{ tty: true, quiet: false, env: {} }, true],
    [{ tty: false, quiet: false, env: {} }, false],
    [{ tty: true, quiet: true, env: {} }, false],
    [{ tty: true, quiet: false, env: { CI: 'true' } }, false],
    [{ tty: true, quiet: false, env: { TERM: 'dumb' } }, false],
  ])('shown for %j: %s', ({ tty, quiet, env }, shown) => {
    expect(progressEnabled({ stream: fakeStream(tty), quiet, env })).toBe(shown);
  });

  it.each([
    [0, 100, 0, undefined, '[....................] 0/100 files'],
    [50, 100, 10_000, 'packages/api', '[##########..........] 50/100 files · packages/api · ~10s left'],
    [10, 1000, 6_000, undefined, '[....................] 10/1000 files'],
    [100, 1000, 8_000, undefined, '[##..................] 100/1000 files · ~1m12s left'],
    [100, 100, 9_000, undefined, '[####################] 100/100 files'],
  ])('line for %i/%i after %i ms', (done, total, ms, label, expected) => {
    expect(progressLine(done, total, ms, label)).toBe(expected);
  });

  it('redraws one line with \\r at most every 100 ms, always draws the end, and clears on stop', () => {
    const stream = fakeStream(true);
    let now = 0;
    const bar = createProgress({ stream, env: {}, now: () => now });
    now = 150;
    bar.update(1, 10);
    now = 200;
    bar.update(2, 10); // throttled
    now = 260;
    bar.update(3, 10);
    now = 270;
    bar.update(10, 10); // the last one is drawn even inside the interval
    bar.stop();
    expect(stream.out.length).toBe(4);
    expect(stream.out.slice(0, 3).every((s) => s.startsWith('\r') && !s.includes('\n'))).toBe(true);
    expect(stream.out[2]).toContain('10/10 files');
    expect(stream.out[3]).toBe('\r\x1b[K');
  });

  it('writes nothing when not shown', () => {
    const stream = fakeStream(false);
    const bar = createProgress({ stream, env: {} });
    bar.update(1, 2);
    bar.stop();
    expect(stream.out).toEqual([]);
  });
});
