/**
 * Bad input, end to end through the built CLI: each case gives a clear message and the right
 * exit code, and a scan writes nothing. A file the tool cannot handle is skipped with a note;
 * the others are still scanned (and fixed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { REPO, runCli, type CliRun } from '../helpers/cli';
import { hashTree, readsEverything, reparseProblem, writeTree } from '../helpers/robustness';

interface JsonReport {
  findings: Array<{ ruleId: string; file: string; line: number }>;
  notes: Array<{ file: string; kind: string; message: string; line?: number }>;
  summary: { filesScanned: number };
}

const LOGS = "export function f(): void {\n  console.log('hello');\n}\n";
const at = (r: JsonReport, rule: string): string[] =>
  r.findings
    .filter((f) => f.ruleId === rule)
    .map((f) => `${f.file}:${f.line}`)
    .sort();

/** `scan --format json` of `dir`: the report, with the check that the scan wrote nothing. */
function scanJson(dir: string, args: string[] = []): { code: number; report: JsonReport; stderr: string } {
  const before = hashTree(dir);
  const r = runCli(['scan', '.', '--format', 'json', ...args], dir);
  expect(hashTree(dir), 'a scan must not write').toEqual(before);
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

/** uid/gid of `nobody`: the CLI run without root's permission to read anything. */
const NOBODY = 65534;
function runCliAs(uid: number, args: string[], cwd: string): CliRun {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin/harden-codemod.js'), ...args], {
    cwd,
    uid,
    gid: uid,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', CI: 'true', NO_COLOR: '1', HOME: os.tmpdir() },
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const timed = <T>(fn: () => T): { value: T; ms: number } => {
  const start = Date.now();
  const value = fn();
  return { value, ms: Date.now() - start };
};

describe('paths', () => {
  it('a nonexistent path: exit 2, one line naming it, nothing on stdout', () => {
    const dir = writeTree({});
    const r = runCli(['scan', 'no/such/dir'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('harden-codemod: path not found: no/such/dir');
    expect(r.stdout).toBe('');
  });

  it('a file instead of a directory is scanned as that one file', () => {
    const dir = writeTree({ 'src/one.ts': LOGS, 'src/two.ts': LOGS });
    const r = runCli(['scan', 'src/one.ts', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(at(report, 'unstructured-logging')).toEqual(['one.ts:2']);
    expect(report.summary.filesScanned).toBe(1);
  });

  it('an empty directory: exit 2, nothing to scan (like ESLint\'s "No files matching")', () => {
    const dir = writeTree({});
    const r = runCli(['scan', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`no JavaScript, TypeScript or IaC files to scan under ${dir}`);
  });

  it('symlink loops and links leading outside the root are not followed', () => {
    const outside = writeTree({ 'secret.ts': LOGS });
    const dir = writeTree({ 'src/in.ts': LOGS });
    fs.symlinkSync('..', path.join(dir, 'src/loop'));
    fs.symlinkSync(outside, path.join(dir, 'src/out'));
    fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(dir, 'src/secret.ts'));
    const { value, ms } = timed(() => scanJson(dir));
    expect(at(value.report, 'unstructured-logging')).toEqual(['src/in.ts:2']);
    expect(ms).toBeLessThan(10_000);
    const outsideBefore = hashTree(outside);
    expect(runCli(['fix', '--yes', '--allow-dirty', '.'], dir).code).toBe(0);
    expect(hashTree(outside)).toEqual(outsideBefore);
    expect(fs.readFileSync(path.join(dir, 'src/in.ts'), 'utf8')).toContain('logger.info');
  });
});

describe('files the scan cannot read', () => {
  it('an unreadable file is a warning (when permissions apply); the others are scanned', () => {
    const dir = writeTree({ 'src/locked.ts': LOGS, 'src/ok.ts': LOGS });
    const locked = path.join(dir, 'src/locked.ts');
    fs.chmodSync(locked, 0o000);
    const unreadableNote = expect.objectContaining({
      file: 'src/locked.ts',
      kind: 'unreadable',
      message: 'cannot read file (EACCES)',
    });
    try {
      const { code, report } = scanJson(dir);
      expect(code).toBe(1);
      if (readsEverything()) {
        // root reads a mode-000 file: it is scanned like any other
        expect(at(report, 'unstructured-logging')).toEqual(['src/locked.ts:2', 'src/ok.ts:2']);
        // and run as an unprivileged user, where permissions apply
        fs.chmodSync(dir, 0o755);
        const asNobody = runCliAs(NOBODY, ['scan', '.', '--format', 'json'], dir);
        if (asNobody.code === 1) {
          const r = JSON.parse(asNobody.stdout) as JsonReport;
          expect(at(r, 'unstructured-logging')).toEqual(['src/ok.ts:2']);
          expect(r.notes).toEqual([unreadableNote]);
        }
      } else {
        expect(at(report, 'unstructured-logging')).toEqual(['src/ok.ts:2']);
        expect(report.notes).toEqual([unreadableNote]);
      }
    } finally {
      fs.chmodSync(locked, 0o644);
    }
  });

  const skippedCases: Array<{ name: string; data: Buffer; message: string }> = [
    {
      name: 'a non-UTF-8 file',
      data: Buffer.from("console.log('caf\xe9');\n", 'latin1'),
      message: 'not valid UTF-8 text',
    },
    {
      name: 'a binary file named .ts',
      data: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0x63, 0x6f, 0x6e]),
      message: 'binary file',
    },
  ];
  it.each(skippedCases)('$name is skipped with a note naming it; the others are scanned', ({ data, message }) => {
    const dir = writeTree({ 'src/odd.ts': data, 'src/ok.ts': LOGS });
    const { code, report } = scanJson(dir);
    expect(code).toBe(1);
    expect(at(report, 'unstructured-logging')).toEqual(['src/ok.ts:2']);
    expect(report.notes).toEqual([
      expect.objectContaining({ file: 'src/odd.ts', kind: 'skipped', message: expect.stringContaining(message) }),
    ]);
    const text = runCli(['scan', '.'], dir);
    expect(text.stdout).toContain(`src/odd.ts (${message}`);
  });

  it('a 5 MB minified bundle is skipped with a note, fast', () => {
    const bundle = `!function(){${Array.from({ length: 250_000 }, (_, i) => `console.log("m"+${i});`).join('')}}();`;
    expect(bundle.length).toBeGreaterThan(5_000_000);
    const dir = writeTree({ 'src/bundle.js': bundle, 'src/ok.ts': LOGS });
    const { value, ms } = timed(() => scanJson(dir));
    expect(ms).toBeLessThan(5_000);
    expect(at(value.report, 'unstructured-logging')).toEqual(['src/ok.ts:2']);
    expect(value.report.notes).toEqual([
      expect.objectContaining({
        file: 'src/bundle.js',
        kind: 'skipped',
        message: expect.stringMatching(/minified or generated bundle \(5\.\d MB\)/),
      }),
    ]);
  });
});

describe('source the parser may choke on', () => {
  it('a syntax error skips that file with a file:line warning; the others are scanned and fixed', () => {
    const broken = 'export const bad = (;\nconsole.log("x");\n';
    const dir = writeTree({ 'src/bad.ts': broken, 'src/good.ts': LOGS });
    const { code, report } = scanJson(dir);
    expect(code).toBe(1);
    expect(report.notes).toEqual([
      { file: 'src/bad.ts', kind: 'parse-error', message: 'Unexpected token', line: 1, column: 21 },
    ]);
    expect(at(report, 'unstructured-logging')).toEqual(['src/good.ts:2']);
    expect(runCli(['scan', '.'], dir).stdout).toMatch(/Not checked \(1\)\n\s+src\/bad\.ts:1:21\s+Unexpected token/);
    const fix = runCli(['fix', '--yes', '--allow-dirty', '.'], dir);
    expect(fix.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/bad.ts'), 'utf8')).toBe(broken);
    expect(fs.readFileSync(path.join(dir, 'src/good.ts'), 'utf8')).toContain("logger.info('hello')");
  });

  const modern: Array<{ file: string; code: string; line: number }> = [
    {
      file: 'src/flow.js',
      code: "// @flow\ntype Order = { id: string };\nexport function total(o: Order): number {\n  console.log('total', o.id);\n  return 1;\n}\n",
      line: 4,
    },
    {
      file: 'src/view.jsx',
      code: 'export const View = ({ name }) => {\n  console.log(\'render\', name);\n  return <div className="v">{name}</div>;\n};\n',
      line: 2,
    },
    {
      file: 'src/generic.tsx',
      code: "export const V = <T,>(p: { x: T }) => {\n  console.log('v');\n  return <span>{String(p.x)}</span>;\n};\n",
      line: 2,
    },
    {
      file: 'src/decorated.ts',
      code: "function logged(target: unknown, key: string): void {}\nexport class Svc {\n  @logged\n  run(): void {\n    console.log('run');\n  }\n}\n",
      line: 5,
    },
    {
      file: 'src/satisfies.ts',
      code: "type Conf = { port: number };\nexport const conf = { port: 1 } satisfies Conf;\nexport function show(): void {\n  console.log('conf', conf);\n}\n",
      line: 4,
    },
    {
      file: 'src/using.ts',
      code: "export function useIt(open: () => Disposable): void {\n  using res = open();\n  console.log('opened', res);\n}\n",
      line: 3,
    },
    {
      file: 'src/const-param.ts',
      code: "export function first<const T extends readonly unknown[]>(xs: T): T[0] {\n  console.log('first');\n  return xs[0];\n}\n",
      line: 2,
    },
  ];
  it('Flow, JSX, decorators, satisfies, using and const type parameters parse, are found and fixed', () => {
    const dir = writeTree(Object.fromEntries(modern.map((m) => [m.file, m.code])));
    const { report } = scanJson(dir);
    expect(report.notes).toEqual([]);
    expect(at(report, 'unstructured-logging')).toEqual(modern.map((m) => `${m.file}:${m.line}`).sort());
    expect(runCli(['fix', '--yes', '--allow-dirty', '.'], dir).code).toBe(0);
    for (const m of modern) {
      const after = fs.readFileSync(path.join(dir, m.file), 'utf8');
      expect(reparseProblem(m.file, after), m.file).toBeNull();
      expect(after, m.file).not.toContain('console.log');
    }
  });
});

describe('project files', () => {
  it('a malformed package.json is a warning; the scan goes on and fix leaves it alone', () => {
    const pkg = '{ "name": "x", "dependencies": { ';
    const dir = writeTree({ 'package.json': pkg, 'src/a.ts': LOGS });
    const { code, report } = scanJson(dir);
    expect(code).toBe(1);
    expect(report.notes).toEqual([
      expect.objectContaining({ file: 'package.json', message: expect.stringContaining('malformed package.json') }),
    ]);
    expect(at(report, 'unstructured-logging')).toEqual(['src/a.ts:2']);
    const fix = runCli(['fix', '--yes', '--allow-dirty', '.'], dir);
    expect(fix.code).toBe(0);
    expect(fix.stdout).toContain('package.json is not valid JSON');
    expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(pkg);
  });

  const badConfigs: Array<{ file: string; text: string; names: string }> = [
    {
      file: 'harden-codemod.config.json',
      text: JSON.stringify({ timeouts: { httpMs: 'fast' } }),
      names: 'timeouts.httpMs',
    },
    { file: 'harden-codemod.config.yaml', text: 'retry:\n  maxAttempts: 0\n', names: 'retry.maxAttempts' },
    { file: 'harden-codemod.config.yaml', text: 'timeout:\n  httpMs: 10\n', names: "'timeout'" },
    {
      file: 'package.json',
      text: JSON.stringify({ name: 'c', 'harden-codemod': { severity: { 'no-timeout': 'urgent' } } }),
      names: 'severity.no-timeout',
    },
  ];
  it.each(badConfigs)(
    'an invalid config in $file is exit 2 naming the key, for scan and fix, writing nothing',
    ({ file, text, names }) => {
      const dir = writeTree({ [file]: text, 'src/a.ts': LOGS });
      const before = hashTree(dir);
      for (const args of [
        ['scan', '.'],
        ['fix', '--yes', '--allow-dirty', '.'],
      ]) {
        const r = runCli(args, dir);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('invalid configuration');
        expect(r.stderr).toContain(names);
        expect(r.stdout).toBe('');
      }
      expect(hashTree(dir)).toEqual(before);
    },
  );

  it('a YAML alias bomb in serverless.yml is refused with a note, fast; code is still scanned', () => {
    const lines = [
      'service: bomb',
      'provider:',
      '  name: aws',
      '  runtime: nodejs20.x',
      'custom:',
      '  a0: &a0 [x, x, x, x, x, x, x, x, x, x]',
    ];
    for (let i = 1; i < 12; i++)
      lines.push(
        `  a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    lines.push(
      'functions:',
      '  hello:',
      '    handler: src/handler.main',
      '    events:',
      '      - sqs: arn:aws:sqs:us-east-1:123456789012:q',
    );
    const dir = writeTree({ 'serverless.yml': `${lines.join('\n')}\n`, 'src/handler.ts': LOGS });
    const { value, ms } = timed(() => scanJson(dir));
    expect(ms).toBeLessThan(5_000);
    expect(value.report.notes).toEqual([
      expect.objectContaining({ file: 'serverless.yml', message: expect.stringMatching(/refused/) }),
    ]);
    expect(at(value.report, 'unstructured-logging')).toEqual(['src/handler.ts:2']);
    const yml = fs.readFileSync(path.join(dir, 'serverless.yml'), 'utf8');
    expect(runCli(['fix', '--yes', '--allow-dirty', '.'], dir).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'serverless.yml'), 'utf8')).toBe(yml);
  });

  it('a SAM template with unknown tags parses, is checked, and one fix keeps the tags and leaves nothing to do', () => {
    const template = [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Queue:',
      '    Type: AWS::SQS::Queue',
      '    Properties:',
      "      QueueName: !Sub '${AWS::StackName}-q'",
      '      Tags: !MyCompany::Tags { team: orders }',
      '  Worker:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Handler: src/worker.handler',
      '      Runtime: nodejs20.x',
      '      Environment:',
      '        Variables:',
      '          SECRET: !Vault secret/path',
    ].join('\n');
    const dir = writeTree({
      'template.yaml': `${template}\n`,
      'src/worker.ts': 'export const handler = async (): Promise<void> => {};\n',
    });
    const { report } = scanJson(dir);
    expect(report.notes).toEqual([]);
    expect(at(report, 'no-dlq')).toEqual(['template.yaml:4']);
    runCli(['fix', '--yes', '--allow-dirty', '.'], dir);
    const after = fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8');
    expect(after).toContain('RedrivePolicy');
    for (const tag of ['!MyCompany::Tags { team: orders }', '!Vault secret/path', "!Sub '${AWS::StackName}-q'"])
      expect(after).toContain(tag);
    // one run does the whole job: a second one finds nothing left to apply
    expect(runCli(['fix', '--dry-run', '--quiet', '.'], dir).stdout).toContain('files changed: 0, files created: 0');
  });
});

describe('line endings and byte order marks', () => {
  const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
  const crlf = (s: string): Buffer => Buffer.concat([BOM, Buffer.from(s.replace(/\n/g, '\r\n'))]);
  const files = {
    'src/a.ts':
      'import axios from "axios";\n\nexport async function load(id: string) {\n  console.log("loading", id);\n  return axios.get("https://api.example.com/x/" + id);\n}\n',
    'src/b.js': 'function f() {\n  console.error("boom");\n}\nmodule.exports = { f };\n',
  };
  it('fixed output keeps CRLF and the BOM, byte for byte', () => {
    const dir = writeTree(Object.fromEntries(Object.entries(files).map(([f, t]) => [f, crlf(t)])));
    const r = runCli(['fix', '--yes', '--allow-dirty', '.'], dir);
    expect(r.stdout).toContain('Applied');
    expect(r.code).not.toBe(2);
    for (const file of Object.keys(files)) {
      const bytes = fs.readFileSync(path.join(dir, file));
      const text = bytes.subarray(3).toString('utf8');
      expect(bytes.subarray(0, 3).equals(BOM), `${file} keeps its BOM`).toBe(true);
      expect(text.charCodeAt(0), `${file}: one BOM, not two`).not.toBe(0xfeff);
      expect(text, `${file} was fixed`).toContain('logger.');
      expect(text.match(/(?<!\r)\n/g), `${file} has no bare LF`).toBeNull();
    }
  });
});
