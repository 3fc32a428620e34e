import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLabels, type LabelEntry } from '../../bench/accuracy/label-schema';
import { byClass } from '../../bench/accuracy/by-class';
import { combine, matchFindings, scoreOf, withoutRules, type ReportedFinding } from '../../bench/accuracy/match';

const label = (
  file: string,
  line: number,
  rule: string,
  kind: LabelEntry['kind'] = 'finding',
  endLine?: number,
): LabelEntry => ({
  file,
  line,
  rule,
  kind,
  reason: `${kind} at ${line}`,
  ...(endLine === undefined ? {} : { endLine }),
});
const finding = (file: string, line: number, ruleId: string): ReportedFinding => ({ file, line, ruleId });

describe('matchFindings', () => {
  it('matches on rule, file and exact line only', () => {
    const labels = [label('a.ts', 10, 'no-timeout')];
    const r = matchFindings(labels, [
      finding('a.ts', 11, 'no-timeout'), // one line off
      finding('b.ts', 10, 'no-timeout'), // other file
      finding('a.ts', 10, 'no-retry'), // other rule
    ]);
    expect(r.matched).toHaveLength(0);
    expect(r.misses).toEqual(labels);
    expect(r.unjudged.map((f) => `${f.file}:${f.line}:${f.ruleId}`)).toEqual([
      'a.ts:10:no-retry',
      'a.ts:11:no-timeout',
      'b.ts:10:no-timeout',
    ]);
  });

  it("accepts a line inside the label's own statement range, and no further", () => {
    const labels = [label('a.ts', 10, 'no-dlq', 'finding', 12)];
    expect(matchFindings(labels, [finding('a.ts', 12, 'no-dlq')]).matched).toHaveLength(1);
    expect(matchFindings(labels, [finding('a.ts', 13, 'no-dlq')]).matched).toHaveLength(0);
    expect(matchFindings(labels, [finding('a.ts', 9, 'no-dlq')]).matched).toHaveLength(0);
  });

  it('accepts the alternative lines a label lists, once', () => {
    const labels: LabelEntry[] = [{ ...label('a.ts', 30, 'no-idempotency'), alt: [7] }];
    const r = matchFindings(labels, [
      finding('a.ts', 7, 'no-idempotency'),
      finding('a.ts', 30, 'no-idempotency'),
      finding('a.ts', 8, 'no-idempotency'),
    ]);
    expect(r.matched).toHaveLength(1);
    expect(r.wrong.map((w) => w.why)).toEqual(['duplicate']);
    expect(r.unjudged.map((f) => f.line)).toEqual([8]);
  });

  it('matches one to one: a second finding on a matched label is a duplicate', () => {
    const r = matchFindings(
      [label('a.ts', 5, 'unstructured-logging')],
      [finding('a.ts', 5, 'unstructured-logging'), finding('a.ts', 5, 'unstructured-logging')],
    );
    expect(r.matched).toHaveLength(1);
    expect(r.wrong.map((w) => w.why)).toEqual(['duplicate']);
  });

  it('two labels on one line take two findings', () => {
    const labels = [label('a.ts', 5, 'unstructured-logging'), label('a.ts', 5, 'unstructured-logging')];
    const r = matchFindings(labels, [
      finding('a.ts', 5, 'unstructured-logging'),
      finding('a.ts', 5, 'unstructured-logging'),
    ]);
    expect(r.matched).toHaveLength(2);
    expect(r.misses).toHaveLength(0);
  });

  it('prefers the exact line over a range that also covers it', () => {
    const exact = label('a.ts', 12, 'no-retry');
    const range = label('a.ts', 10, 'no-retry', 'finding', 14);
    const r = matchFindings([range, exact], [finding('a.ts', 12, 'no-retry')]);
    expect(r.matched[0]?.label).toBe(exact);
    expect(r.misses).toEqual([range]);
  });

  it('a finding on a look-alike or a judged false positive is wrong, with why', () => {
    const r = matchFindings(
      [label('a.ts', 3, 'silent-error-swallow', 'look-alike'), label('a.ts', 8, 'no-timeout', 'false-positive')],
      [finding('a.ts', 3, 'silent-error-swallow'), finding('a.ts', 8, 'no-timeout')],
    );
    expect(r.matched).toHaveLength(0);
    expect(r.wrong.map((w) => w.why)).toEqual(['look-alike', 'false-positive']);
    expect(r.unjudged).toHaveLength(0);
  });
});

describe('scoreOf', () => {
  const labels = [
    label('a.ts', 1, 'no-timeout'),
    label('a.ts', 2, 'no-timeout'),
    label('a.ts', 3, 'no-timeout'),
    label('a.ts', 4, 'no-timeout', 'look-alike'),
    label('a.ts', 5, 'no-retry'),
    label('a.ts', 6, 'no-retry', 'false-positive'),
  ];
  const result = matchFindings(labels, [
    finding('a.ts', 1, 'no-timeout'),
    finding('a.ts', 2, 'no-timeout'),
    finding('a.ts', 4, 'no-timeout'),
    finding('a.ts', 6, 'no-retry'),
    finding('a.ts', 7, 'no-retry'),
  ]);

  it('recall is found / labelled, precision leaves unjudged findings out', () => {
    expect(scoreOf(result, 'no-timeout')).toEqual({
      labelled: 3,
      found: 2,
      recall: 2 / 3,
      reported: 3,
      correct: 2,
      wrong: 1,
      unjudged: 0,
      precision: 2 / 3,
      lookAlikes: 1,
      lookAlikesFlagged: 1,
    });
    expect(scoreOf(result, 'no-retry')).toEqual({
      labelled: 1,
      found: 0,
      recall: 0,
      reported: 2,
      correct: 0,
      wrong: 1,
      unjudged: 1,
      precision: 0,
      lookAlikes: 0,
      lookAlikesFlagged: 0,
    });
  });

  it('overall adds the rules up; ratios are null when nothing was counted', () => {
    const all = scoreOf(result);
    expect([all.labelled, all.found, all.reported, all.wrong, all.unjudged]).toEqual([4, 2, 5, 2, 1]);
    expect(all.precision).toBeCloseTo(0.5);
    const none = scoreOf(matchFindings([], []));
    expect([none.recall, none.precision]).toEqual([null, null]);
  });

  it('combine sums services', () => {
    const other = matchFindings(
      labels.map((l) => ({ ...l })),
      [
        finding('a.ts', 1, 'no-timeout'),
        finding('a.ts', 2, 'no-timeout'),
        finding('a.ts', 4, 'no-timeout'),
        finding('a.ts', 6, 'no-retry'),
        finding('a.ts', 7, 'no-retry'),
      ],
    );
    const twice = scoreOf(combine([result, other]));
    expect([twice.labelled, twice.found, twice.reported, twice.lookAlikesFlagged]).toEqual([8, 4, 10, 2]);
  });
});

describe('readLabels', () => {
  const write = (text: string): string => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'acc-')), 'x.yaml');
    fs.writeFileSync(file, text);
    return file;
  };
  const head =
    'service: x\nrepository: o/r\ncommit: "0123456789012345678901234567890123456789"\nscope: ""\nheldOut: false\ncovers: [sam]\nfilesRead: 1\n';

  it('reads a valid file', () => {
    const l = readLabels(
      write(`${head}entries:\n  - { file: a.js, line: 3, rule: no-timeout, kind: finding, reason: r }\n`),
    );
    expect(l.entries[0]).toMatchObject({ file: 'a.js', line: 3, kind: 'finding' });
  });

  it('rejects an unknown kind, a reversed range and unknown keys, naming the file', () => {
    expect(() =>
      readLabels(write(`${head}entries:\n  - { file: a.js, line: 3, rule: r, kind: maybe, reason: r }\n`)),
    ).toThrow(/x\.yaml: entries\.0\.kind/);
    expect(() =>
      readLabels(
        write(`${head}entries:\n  - { file: a.js, line: 3, endLine: 2, rule: r, kind: finding, reason: r }\n`),
      ),
    ).toThrow(/endLine is before line/);
    expect(() => readLabels(write(`${head}extra: 1\nentries: []\n`))).toThrow(/Unrecognized key/);
  });
});

describe('byClass', () => {
  it('groups misses and wrong findings by the reviewer-given class, rule when none', () => {
    const a = matchFindings(
      [
        { ...label('a.js', 1, 'no-timeout'), class: 'AWS SDK v2 clients' },
        { ...label('a.js', 2, 'no-timeout'), class: 'AWS SDK v2 clients' },
        { ...label('a.js', 3, 'unstructured-logging', 'look-alike'), class: 'front-end code' },
        label('a.js', 4, 'no-dlq'),
      ],
      [finding('a.js', 3, 'unstructured-logging')],
    );
    const b = matchFindings([{ ...label('b.js', 1, 'no-timeout'), class: 'AWS SDK v2 clients' }], []);
    const groups = byClass([
      { service: 'one', result: a },
      { service: 'two', result: b },
    ]);
    expect(groups.misses).toEqual([
      { class: 'AWS SDK v2 clients', count: 3, rules: ['no-timeout'], services: ['one', 'two'] },
      { class: '(unclassified) no-dlq', count: 1, rules: ['no-dlq'], services: ['one'] },
    ]);
    expect(groups.wrong).toEqual([
      { class: 'front-end code', count: 1, rules: ['unstructured-logging'], services: ['one'] },
    ]);
  });
});

describe('withoutRules', () => {
  it('leaves the named rules out of every list', () => {
    const r = matchFindings(
      [
        label('a.js', 1, 'unstructured-logging'),
        label('a.js', 2, 'no-timeout'),
        label('a.js', 3, 'unstructured-logging', 'look-alike'),
      ],
      [
        finding('a.js', 1, 'unstructured-logging'),
        finding('a.js', 3, 'unstructured-logging'),
        finding('a.js', 9, 'unstructured-logging'),
      ],
    );
    const s = scoreOf(withoutRules(r, ['unstructured-logging']));
    expect([s.labelled, s.found, s.reported, s.wrong, s.unjudged, s.lookAlikes]).toEqual([1, 0, 0, 0, 0, 0]);
  });
});
