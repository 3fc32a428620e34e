import { describe, expect, it } from 'vitest';
import { collectSuppressions, suppressionFor } from '../../src/detect/suppressions';

describe('inline suppressions', () => {
  const text = [
    'const a = 1;',
    '// harden-codemod-ignore no-timeout -- the SDK default is enough for this batch job',
    'axios.get(url);',
    'fetch(url); // harden-codemod-ignore no-timeout,no-retry -- health check',
    '# harden-codemod-ignore no-dlq',
    'x();',
    'y();',
  ].join('\n');
  const map = collectSuppressions(text);

  it('applies on the line above, with the reason', () => {
    expect(suppressionFor(map, 'no-timeout', 3)?.reason).toBe('the SDK default is enough for this batch job');
  });
  it('applies on the same line, to each listed rule', () => {
    expect(suppressionFor(map, 'no-retry', 4)?.reason).toBe('health check');
  });
  it('does not apply to other rules or lines further away', () => {
    expect(suppressionFor(map, 'no-retry', 3)).toBeNull();
    expect(suppressionFor(map, 'no-timeout', 7)).toBeNull();
  });
  it('YAML comments work too, and a missing reason is recorded as such', () => {
    expect(suppressionFor(map, 'no-dlq', 6)?.reason).toBe('no reason given');
  });
});
