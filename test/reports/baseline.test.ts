import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyBaseline, writeBaseline } from '../../src/report/baseline';
import { sarifReport } from '../../src/report/sarif-report';
import type { Finding } from '../../src/types';
import { copyFixture, fixtureFindings, fixtureResult, insertLinesAbove } from './report-fixture';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function workspace(): string {
  const root = copyFixture();
  temps.push(root);
  return root;
}

const logging = (line: number): Finding => ({ ...fixtureFindings()[5]!, line, endLine: line });

describe('writeBaseline', () => {
  it('lists every finding with the same fingerprint SARIF reports', () => {
    const result = fixtureResult();
    const baseline = JSON.parse(writeBaseline(result)) as {
      version: number;
      entries: Array<{ ruleId: string; file: string; fingerprint: string; message: string }>;
    };
    expect(baseline.version).toBe(1);
    expect(baseline.entries.map((e) => `${e.ruleId}:${e.file}`)).toEqual(
      result.findings.map((f) => `${f.ruleId}:${f.file}`),
    );
    expect(baseline.entries[0]!.message).toBe('paymentsClient.post has no timeout');
    const sarif = JSON.parse(sarifReport(result)) as {
      runs: Array<{ results: Array<{ partialFingerprints: Record<string, string> }> }>;
    };
    expect(baseline.entries.map((e) => e.fingerprint)).toEqual(
      sarif.runs[0]!.results.map((r) => Object.values(r.partialFingerprints)[0]),
    );
  });
});

describe('applyBaseline', () => {
  it('drops every baselined finding after lines move, and reports a new one', () => {
    const root = workspace();
    const baseline = writeBaseline(fixtureResult({ root }));
    let findings = insertLinesAbove(
      root,
      'src/orders.ts',
      ["import { logger } from './logger';", ''],
      fixtureFindings(),
    );
    findings = insertLinesAbove(root, 'src/payments.ts', ['// payments client'], findings);
    fs.appendFileSync(path.join(root, 'src/orders.ts'), "console.log('new debug line');\n");
    const added = logging(13);
    const { result, baselined } = applyBaseline(fixtureResult({ root, findings: [...findings, added] }), baseline);
    expect(baselined).toBe(fixtureFindings().length);
    expect(result.findings).toEqual([added]);
  });

  it('counts copies: one of two identical lines baselined leaves the other reported', () => {
    const root = workspace();
    // baseline holds only the first of the two identical console.log lines in src/orders.ts
    const baseline = writeBaseline(fixtureResult({ root, findings: [logging(6)] }));
    const { result, baselined } = applyBaseline(fixtureResult({ root, findings: [logging(6), logging(8)] }), baseline);
    expect(baselined).toBe(1);
    expect(result.findings.map((f) => f.line)).toEqual([8]);
  });

  it('counts copies: a third identical line is new', () => {
    const root = workspace();
    const baseline = writeBaseline(fixtureResult({ root, findings: [logging(6), logging(8)] }));
    fs.appendFileSync(path.join(root, 'src/orders.ts'), "  console.log('loading order');\n");
    const { result, baselined } = applyBaseline(
      fixtureResult({ root, findings: [logging(6), logging(8), logging(11)] }),
      baseline,
    );
    expect(baselined).toBe(2);
    expect(result.findings.map((f) => f.line)).toEqual([11]);
  });

  it('reports a finding again when its line changes', () => {
    const root = workspace();
    const baseline = writeBaseline(fixtureResult({ root }));
    const file = path.join(root, 'src/payments.ts');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('return null;', 'return undefined;'));
    const { result } = applyBaseline(fixtureResult({ root }), baseline);
    expect(result.findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(['silent-error-swallow@15']);
  });

  it('keeps the rest of the result and leaves it unchanged', () => {
    const original = fixtureResult();
    const { result } = applyBaseline(original, writeBaseline(fixtureResult({ findings: [] })));
    expect(result).toEqual(original);
    expect(result.findings).toHaveLength(fixtureFindings().length);
  });

  it('matches findings in files it cannot read by rule, file and message', () => {
    const gone: Finding = { ...fixtureFindings()[0]!, file: 'src/deleted.ts' };
    const baseline = writeBaseline(fixtureResult({ findings: [gone] }));
    const moved = { ...gone, line: 40 };
    const other = { ...gone, message: 'another call has no timeout' };
    const { result } = applyBaseline(fixtureResult({ findings: [moved, other] }), baseline);
    expect(result.findings).toEqual([other]);
  });

  it.each([
    ['not JSON', '{', /baseline: not valid JSON/],
    ['a wrong version', '{"version":2,"entries":[]}', /baseline: version: /],
    [
      'an entry without a fingerprint',
      '{"version":1,"entries":[{"ruleId":"no-timeout","file":"a.ts","message":"m"}]}',
      /baseline: entries\.0\.fingerprint: Required/,
    ],
  ])('rejects %s, naming the key', (_name, text, error) => {
    expect(() => applyBaseline(fixtureResult(), text)).toThrow(error);
  });
});
