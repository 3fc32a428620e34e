import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog';
import { minimalReplacement, sarifReport, type SarifRegion } from '../../src/report/sarif-report';
import type { Finding } from '../../src/types';
import { VERSION } from '../../src/version';
import { validate, type Schema } from './json-schema-subset';
import { copyFixture, fixtureResult, insertLinesAbove } from './report-fixture';

const schema = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../fixtures/sarif/sarif-2.1.0-subset.schema.json'), 'utf8'),
) as Schema;

interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: SarifRegion } }>;
  partialFingerprints: Record<string, string>;
  fixes?: Array<{
    artifactChanges: Array<{
      artifactLocation: { uri: string };
      replacements: Array<{ deletedRegion: SarifRegion; insertedContent: { text: string } }>;
    }>;
  }>;
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
  properties: Record<string, unknown>;
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; semanticVersion: string; rules: SarifRule[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: SarifResult[];
  }>;
}

const parse = (text: string) => JSON.parse(text) as SarifLog;
const fingerprints = (log: SarifLog) => log.runs[0]!.results.map((r) => Object.values(r.partialFingerprints)[0]!);

/** ajv, when installed, as a second opinion on the schema check. */
function loadAjv(): { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } | null {
  try {
    const Ajv = createRequire(__filename)('ajv') as { default?: new (o: object) => unknown } & (new (
      o: object,
    ) => unknown);
    const Ctor = (Ajv.default ?? Ajv) as new (o: object) => {
      compile(s: object): ((d: unknown) => boolean) & { errors?: unknown };
    };
    return new Ctor({ strict: false, validateFormats: false });
  } catch {
    return null;
  }
}

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('sarifReport structure', () => {
  const log = parse(sarifReport(fixtureResult()));
  const run = log.runs[0]!;
  const catalog = loadCatalog();

  it('is one SARIF 2.1.0 run of harden-codemod with the whole catalog as rules', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0\.json$/);
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'harden-codemod', version: VERSION, semanticVersion: VERSION });
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(catalog.rules.map((r) => r.id));
    expect(run.originalUriBaseIds['%SRCROOT%']!.uri).toBe(`${pathToFileURL(fixtureResult().root).href}/`);
  });

  it.each([
    ['no-timeout', 'NoTimeout', 'error', 'Timeouts'],
    ['no-circuit-breaker', 'NoCircuitBreaker', 'error', 'Circuit breakers'],
    ['unstructured-logging', 'UnstructuredLogging', 'warning', 'Observability'],
    ['dlq-without-alarm', 'DlqWithoutAlarm', 'warning', 'DLQ / dead letters'],
  ])('rule %s → name %s, level %s, tagged %s', (id, name, level, area) => {
    const rule = run.tool.driver.rules.find((r) => r.id === id)!;
    const entry = catalog.byId.get(id)!;
    expect(rule.name).toBe(name);
    expect(rule.defaultConfiguration.level).toBe(level);
    expect(rule.shortDescription.text).toBe(entry.title);
    expect(rule.fullDescription.text).toBe(entry.impact);
    expect(rule.help.text).toContain(entry.fix);
    expect(rule.help.markdown).toContain(`**Fix**: ${entry.fix}`);
    expect(rule.properties).toMatchObject({ tags: [area, 'resilience'], precision: 'high', 'problem.severity': level });
  });

  it('puts each finding at its posix path and 1-based region, with its rule index', () => {
    expect(run.results).toHaveLength(fixtureResult().findings.length);
    const first = run.results[0]!;
    expect(first).toMatchObject({
      ruleId: 'no-timeout',
      level: 'error',
      message: { text: 'paymentsClient.post has no timeout' },
    });
    expect(run.tool.driver.rules[first.ruleIndex!]!.id).toBe('no-timeout');
    expect(first.locations[0]!.physicalLocation).toEqual({
      artifactLocation: { uri: 'src/payments.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 6, startColumn: 21, endLine: 6, endColumn: 31 },
    });
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex!]!.id).toBe(r.ruleId);
  });

  it.each([
    ['critical', 'error'],
    ['high', 'error'],
    ['medium', 'warning'],
    ['low', 'note'],
  ] as const)('a %s finding has level %s', (severity, level) => {
    const f: Finding = { ...fixtureResult().findings[0]!, severity };
    expect(parse(sarifReport(fixtureResult({ findings: [f] }))).runs[0]!.results[0]!.level).toBe(level);
  });

  it('escapes paths into URI references', () => {
    const f: Finding = { ...fixtureResult().findings[0]!, file: 'src/my dir/a#b.ts' };
    const uri = parse(sarifReport(fixtureResult({ findings: [f] }))).runs[0]!.results[0]!.locations[0]!.physicalLocation
      .artifactLocation.uri;
    expect(uri).toBe('src/my%20dir/a%23b.ts');
  });
});

describe('sarifReport against the SARIF 2.1.0 schema', () => {
  const fixes = new Map([['src/payments.ts', { before: 'a\nb\nc\n', after: 'a\nB\nc\n' }]]);
  const log = parse(sarifReport(fixtureResult(), fixes));

  it('validates against the subset schema', () => {
    expect(validate(schema, log)).toEqual([]);
  });

  it('validates against the subset schema with ajv when ajv is installed', () => {
    const ajv = loadAjv();
    if (!ajv) return; // ajv is not a dependency yet; the checker above covers the same schema
    const check = ajv.compile(schema);
    expect(check(log), JSON.stringify(check.errors)).toBe(true);
  });

  it.each<[string, (l: SarifLog) => void, RegExp]>([
    ['an unknown level', (l) => (l.runs[0]!.results[0]!.level = 'fatal'), /level: "fatal" not in/],
    [
      'a zero start line',
      (l) => (l.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine = 0),
      /startLine: 0 < minimum 1/,
    ],
    ['a missing version', (l) => delete (l as Partial<SarifLog>).version, /missing required "version"/],
    ['a wrong version', (l) => (l.version = '2.0.0'), /version: "2.0.0" not in/],
    [
      'a misspelt property',
      (l) => Object.assign(l.runs[0]!.results[0]!, { rule_id: 'x' }),
      /unexpected property "rule_id"/,
    ],
    [
      'a fractional column',
      (l) => (l.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startColumn = 1.5),
      /startColumn: expected integer/,
    ],
  ])('the checker rejects %s', (_name, mutate, error) => {
    const broken = structuredClone(log);
    mutate(broken);
    expect(validate(schema, broken).join('\n')).toMatch(error);
  });
});

describe('partialFingerprints', () => {
  it('stay the same when lines are inserted above the findings', () => {
    const root = copyFixture();
    temps.push(root);
    const before = fingerprints(parse(sarifReport(fixtureResult({ root }))));
    let moved = fixtureResult({ root }).findings;
    moved = insertLinesAbove(root, 'src/payments.ts', ['// header', "import { x } from './x';", ''], moved);
    moved = insertLinesAbove(root, 'src/orders.ts', ['/* licence */'], moved);
    moved = insertLinesAbove(root, 'serverless.yml', ['# deployed by CI'], moved);
    const after = fingerprints(parse(sarifReport(fixtureResult({ root, findings: moved }))));
    expect(after).toEqual(before);
  });

  it('differ between findings of one rule on two identical lines, and when the line text changes', () => {
    const log = parse(sarifReport(fixtureResult()));
    const logging = log.runs[0]!.results.filter(
      (r) =>
        r.ruleId === 'unstructured-logging' &&
        r.locations[0]!.physicalLocation.artifactLocation.uri === 'src/orders.ts',
    );
    expect(logging).toHaveLength(2);
    expect(new Set(logging.map((r) => Object.values(r.partialFingerprints)[0])).size).toBe(2);

    const root = copyFixture();
    temps.push(root);
    const file = path.join(root, 'src/payments.ts');
    const first = fingerprints(parse(sarifReport(fixtureResult({ root }))))[3];
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('return null;', 'return undefined;'));
    expect(fingerprints(parse(sarifReport(fixtureResult({ root }))))[3]).not.toBe(first);
  });
});

/** Applies a SARIF replacement (1-based lines and columns) to a text. */
function applyReplacement(text: string, r: { deletedRegion: SarifRegion; insertedContent: { text: string } }): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (line: number, column: number) => lineStarts[line - 1]! + column - 1;
  const { startLine, startColumn, endLine, endColumn } = r.deletedRegion;
  return (
    text.slice(0, offset(startLine, startColumn)) + r.insertedContent.text + text.slice(offset(endLine, endColumn))
  );
}

describe('fixes', () => {
  it.each([
    ['one changed line', 'a\nb\nc\n', 'a\nB\nc\n', { startLine: 2, startColumn: 1, endLine: 3, endColumn: 1 }],
    ['lines inserted', 'a\nc\n', 'a\nb1\nb2\nc\n', { startLine: 2, startColumn: 1, endLine: 2, endColumn: 1 }],
    ['lines deleted', 'a\nb\nc\nd\n', 'a\nd\n', { startLine: 2, startColumn: 1, endLine: 4, endColumn: 1 }],
    [
      'an import added at the top',
      'x();\n',
      "import y from 'y';\nx();\n",
      { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 },
    ],
    ['a last line without newline', 'a\nb', 'a\nbb', { startLine: 2, startColumn: 1, endLine: 2, endColumn: 2 }],
    ['text appended at the end', 'a\n', 'a\nb\n', { startLine: 2, startColumn: 1, endLine: 2, endColumn: 1 }],
    ['CRLF lines', 'a\r\nb\r\nc\r\n', 'a\r\nB\r\nc\r\n', { startLine: 2, startColumn: 1, endLine: 3, endColumn: 1 }],
    ['two distant changes', 'a\nb\nc\nd\n', 'A\nb\nc\nD\n', { startLine: 1, startColumn: 1, endLine: 5, endColumn: 1 }],
  ])('%s: one minimal replacement that reproduces the new text', (_name, before, after, region) => {
    const r = minimalReplacement(before, after)!;
    expect(r.deletedRegion).toEqual(region);
    expect(applyReplacement(before, r)).toBe(after);
  });

  it('gives nothing when the text is unchanged', () => {
    expect(minimalReplacement('a\n', 'a\n')).toBeNull();
  });

  it('attaches the file change to fixable findings in that file only', () => {
    const before = 'const a = 1;\nclient.post(x);\n';
    const after =
      "import { paymentsPolicy } from './resilience/policies';\nconst a = 1;\npaymentsPolicy.execute(() => client.post(x));\n";
    const log = parse(sarifReport(fixtureResult(), new Map([['src/payments.ts', { before, after }]])));
    const withFix = log.runs[0]!.results.filter((r) => r.fixes);
    expect(withFix.map((r) => `${r.ruleId}@${r.locations[0]!.physicalLocation.region.startLine}`)).toEqual([
      'no-timeout@6',
      'no-retry@6',
      'no-circuit-breaker@6',
      'silent-error-swallow@15',
      'unstructured-logging@14',
    ]);
    const change = withFix[0]!.fixes![0]!.artifactChanges[0]!;
    expect(change.artifactLocation.uri).toBe('src/payments.ts');
    expect(change.replacements).toHaveLength(1);
    expect(applyReplacement(before, change.replacements[0]!)).toBe(after);
    expect(log.runs[0]!.results.find((r) => r.ruleId === 'no-idempotency')!.fixes).toBeUndefined();
  });
});
