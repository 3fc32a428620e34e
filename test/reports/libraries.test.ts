import { describe, expect, it } from 'vitest';
import {
  doNotRecommend,
  librariesFor,
  loadLibraries,
  parseLibraries,
  recommendedLibraries,
  whyText,
} from '../../src/report/libraries';

const VALID_ENTRY = `  - name: cockatiel
    npm: cockatiel
    version: "^3.2.1"
    purpose: p
    why: w
    phases: ["4.2"]
    rules: [no-retry]
    homepage: https://github.com/connor4312/cockatiel
`;
const RULES = new Set(['no-retry']);

describe('config/libraries.yaml', () => {
  it('loads and recommends cockatiel 3.x and the Powertools v2 packages', () => {
    expect(loadLibraries().version).toBe(1);
    const byNpm = new Map(recommendedLibraries().map((l) => [l.npm, l.version]));
    expect(Object.fromEntries(byNpm)).toEqual({
      cockatiel: '^3.2.1',
      '@aws-lambda-powertools/logger': '^2.0.0',
      '@aws-lambda-powertools/batch': '^2.0.0',
      '@aws-lambda-powertools/parameters': '^2.0.0',
      '@aws-lambda-powertools/idempotency': '^2.0.0',
    });
  });

  it('rejects the spec list, each with a reason, and never recommends them', () => {
    expect(doNotRecommend().map((r) => r.name)).toEqual([
      'polly-ts',
      'resilience4ts',
      'resilience-typescript',
      'Custom retry / circuit-breaker implementations',
      'In-process setInterval health probes',
    ]);
    const recommended = new Set(recommendedLibraries().flatMap((l) => [l.npm, l.name]));
    for (const r of doNotRecommend()) {
      expect(r.why.length).toBeGreaterThan(10);
      expect(recommended.has(r.npm ?? r.name)).toBe(false);
    }
  });

  it.each([
    [[], ['cockatiel', '@aws-lambda-powertools/logger']],
    [['shared-mutable-state'], ['cockatiel', '@aws-lambda-powertools/logger', '@aws-lambda-powertools/parameters']],
    [
      ['no-idempotency'],
      [
        'cockatiel',
        '@aws-lambda-powertools/logger',
        '@aws-lambda-powertools/batch',
        '@aws-lambda-powertools/idempotency',
      ],
    ],
  ])('findings of %j → %j', (rules, expected) => {
    expect(librariesFor(rules).map((l) => l.npm)).toEqual(expected);
  });
});

describe('parseLibraries', () => {
  it('accepts a minimal valid file', () => {
    expect(parseLibraries(`version: 1\nrecommended:\n${VALID_ENTRY}`, 'libs.yaml', RULES).recommended[0]!.core).toBe(
      false,
    );
  });

  it.each([
    [
      'a missing why',
      VALID_ENTRY.replace('    why: w\n', ''),
      /libs\.yaml: invalid configuration\n {2}recommended\.0\.why: Required/,
    ],
    ['a bad version', VALID_ENTRY.replace('"^3.2.1"', 'latest'), /recommended\.0\.version: must be a semver range/],
    ['an unknown phase', VALID_ENTRY.replace('"4.2"', '"5.1"'), /recommended\.0\.phases\.0/],
    ['an unknown key', `${VALID_ENTRY}    stars: 5\n`, /recommended\.0: Unrecognized key/],
    [
      'an unknown rule id',
      VALID_ENTRY.replace('no-retry', 'no-retries'),
      /recommended\.0\.rules\.0: unknown rule id "no-retries"/,
    ],
    [
      'download counts with no date',
      VALID_ENTRY.replace('why: w', 'why: Widely used (1M+ weekly downloads)'),
      /recommended\.0\.why states figures that change over time; give their date and source in recommended\.0\.asOf/,
    ],
    ['star counts with no date', VALID_ENTRY.replace('why: w', 'why: 5 GitHub stars'), /recommended\.0\.asOf/],
  ])('rejects %s, naming the key', (_name, entry, error) => {
    expect(() => parseLibraries(`version: 1\nrecommended:\n${entry}`, 'libs.yaml', RULES)).toThrow(error);
  });

  it('accepts figures that age when their date and source are given, and prints them together', () => {
    const text = `version: 1\nrecommended:\n${VALID_ENTRY}doNotRecommend:\n  - name: old-lib\n    why: About 9 weekly downloads\n    asOf: 2026-11, npm\n`;
    const parsed = parseLibraries(text, 'libs.yaml', RULES);
    expect(whyText(parsed.doNotRecommend[0]!)).toBe('About 9 weekly downloads (as of 2026-11, npm)');
  });

  it('the shipped list states no undated figure (the playbook prints each with its date)', () => {
    for (const lib of [...recommendedLibraries(), ...doNotRecommend()]) {
      if (/\bdownloads?\b|\bstars?\b|last updated/i.test(lib.why)) expect(lib.asOf, lib.name).toBeTruthy();
    }
    expect(recommendedLibraries().find((l) => l.npm === 'cockatiel')!.why).not.toMatch(/download/);
  });

  it('rejects a library that is both recommended and rejected', () => {
    const text = `version: 1\nrecommended:\n${VALID_ENTRY}doNotRecommend:\n  - name: cockatiel\n    npm: cockatiel\n    why: no\n`;
    expect(() => parseLibraries(text, 'libs.yaml', RULES)).toThrow(
      /recommended\.0\.npm: "cockatiel" is also listed under doNotRecommend/,
    );
  });
});
