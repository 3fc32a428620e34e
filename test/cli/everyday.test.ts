import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempTrees } from '../helpers/temp-tree';
import { describe, expect, it } from 'vitest';
import { EXAMPLE, REPO, runCli } from '../helpers/cli';

/**
 * Everyday use of the CLI as a new user meets it: no silent green, user errors that are not
 * crashes, a quiet conventional report, the output options CI needs, and the small things.
 */

const tree = tempTrees('hc-everyday');

const LOGS = "export function f(): void {\n  console.log('hello');\n}\n";
const BROKEN = "export const bad = (;\nconsole.log('x');\n";
const FETCH =
  'export async function rate(c: string): Promise<number> {\n  const res = await fetch(`https://rates.example.com/${c}`);\n  const body = await res.json();\n  return body.rate;\n}\n';
// eslint-disable-next-line no-control-regex -- the escape character is what the test looks for
const ANSI = /\x1b\[\d+m/;

describe('no silent green', () => {
  it.each([[['scan', '-q', '.']], [['scan', '.']], [['--dry-run', '-q', '.']]])(
    '%j: a tree whose only file does not parse is exit 2, never "✔ 0 findings"',
    (args) => {
      const dir = tree({ 'src/bad.ts': BROKEN });
      const r = runCli(args, dir);
      expect(r.code).toBe(2);
      expect(r.stdout).not.toContain('✔');
      expect(r.stderr).toContain(
        'no file could be checked: 1 file(s) could not be read or parsed (src/bad.ts:1: Unexpected token)',
      );
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  it('a file that does not parse is counted in the summary, also with -q', () => {
    const dir = tree({ 'src/bad.ts': BROKEN, 'src/good.ts': LOGS });
    const r = runCli(['scan', '-q', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('src/bad.ts:1:21  Unexpected token');
    expect(r.stdout).toMatch(/✖ 1 finding .* in 2 files, 1 file not checked \(could not be read or parsed\)/);
  });

  it('a file that does not parse is a SARIF tool execution notification', () => {
    const dir = tree({ 'src/bad.ts': BROKEN, 'src/good.ts': LOGS });
    const sarif = JSON.parse(runCli(['scan', '--format', 'sarif', '.'], dir).stdout);
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    expect(notes).toEqual([
      expect.objectContaining({ level: 'error', message: { text: 'src/bad.ts: Unexpected token' } }),
    ]);
    expect(notes[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'src/bad.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 1, startColumn: 21 },
    });
  });

  it('--include that matches nothing is exit 2 naming the pattern', () => {
    const dir = tree({ 'src/a.ts': LOGS });
    const r = runCli(['scan', '--include', 'lib/**', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no files matching --include "lib/**" under .');
  });

  it('a shard or --changed-since that leaves no file is a clean run, not an error', () => {
    const dir = tree({ 'src/a.ts': LOGS });
    const codes = [1, 2, 3].map((i) => runCli(['scan', '--shard', `${i}/3`, '.'], dir).code).sort();
    expect(codes).toEqual([0, 0, 1]);
  });

  it('--dry-run exits as scan does: 1 when findings the fix leaves are at or above --severity, else 0', () => {
    const fixable = tree({ 'src/a.ts': LOGS });
    const all = runCli(['--dry-run', '.'], fixable);
    expect(all.stdout).toContain('1 fixed by the changes below');
    expect(all.code).toBe(0);
    const left = tree({
      'src/a.ts': LOGS,
      'src/handler.ts':
        'declare function publish(a?: string, b?: string): Promise<void>;\nexport async function handler() {\n  const table = process.env.TABLE_NAME;\n  await publish(process.env.TOPIC_ARN, table);\n}\n',
    });
    const r = runCli(['--dry-run', '.'], left);
    expect(r.stdout).toMatch(/scattered-env-config/);
    expect(r.code).toBe(1);
    expect(runCli(['--dry-run', '--severity', 'medium', '.'], left).code).toBe(0);
  });
});

describe('user errors are one-line messages, never crashes', () => {
  it.each([
    [
      'a corrupt baseline',
      (dir: string) => {
        fs.writeFileSync(path.join(dir, 'b.json'), '{ "version": 1, "entr');
        return 'b.json';
      },
      /--baseline b\.json is not a harden-codemod baseline \(not valid JSON: .*\); fix or delete it, or pass --update-baseline/,
    ],
    [
      'a baseline of another shape',
      (dir: string) => {
        fs.writeFileSync(path.join(dir, 'b.json'), '{ "version": 2 }');
        return 'b.json';
      },
      /--baseline b\.json is not a harden-codemod baseline \(version: /,
    ],
    [
      'a directory as baseline',
      (dir: string) => {
        fs.mkdirSync(path.join(dir, 'base'));
        return 'base';
      },
      /--baseline base is a directory: give the path of a JSON file/,
    ],
  ])('%s: exit 2, one line', (_name, make, message) => {
    const dir = tree({ 'src/a.ts': LOGS });
    const r = runCli(['scan', '--baseline', make(dir), '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('internal error');
  });

  it.each([
    ['scna', 'scan'],
    ['plyabook', 'playbook'],
    ['fxi', 'fix'],
  ])('a misspelt command "%s" is "unknown command, did you mean %s?"', (typo, command) => {
    const r = runCli([typo], REPO);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown command "${typo}": did you mean "${command}"?`);
  });

  it('a path that is no command word stays "path not found"', () => {
    const r = runCli(['src/no-such-dir'], REPO);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('path not found: src/no-such-dir');
  });

  it('suppressions: an unknown rule id and a missing reason are warnings that name the line', () => {
    const dir = tree({
      'src/a.ts':
        "export function f(): void {\n  // harden-codemod-ignore unstructured-loging -- noisy\n  console.log('a');\n  // harden-codemod-ignore unstructured-logging\n  console.log('b');\n}\n",
    });
    const r = runCli(['scan', '.'], dir);
    expect(r.stdout).toContain(
      'src/a.ts:2  harden-codemod-ignore names an unknown rule id "unstructured-loging" and suppresses nothing (did you mean "unstructured-logging"?)',
    );
    expect(r.stdout).toContain(
      'src/a.ts:4  harden-codemod-ignore unstructured-logging gives no reason: add one after `--`',
    );
    // the misspelt one suppresses nothing; the one without a reason still suppresses
    expect(r.stdout).toMatch(/3:3 +medium +console\.log\(\)/);
    expect(r.stdout).toContain('1 suppressed');
    const json = JSON.parse(runCli(['scan', '--format', 'json', '.'], dir).stdout);
    expect(json.notes.map((n: { kind: string; line: number }) => `${n.kind}@${n.line}`)).toEqual([
      'suppression@2',
      'suppression@4',
    ]);
  });
});

describe('a quiet, conventional report', () => {
  it('one line per place, ESLint-stylish, grouped by file; one call without timeout, retry and breaker is one line naming the three rules', () => {
    const dir = tree({ 'src/rates.ts': FETCH, 'src/a.ts': LOGS });
    const r = runCli(['scan', '-q', '.'], dir);
    expect(r.stdout).toBe(
      [
        'src/a.ts',
        '  2:3  medium    console.log() writes free-text output instead of a structured log entry.  unstructured-logging',
        '',
        'src/rates.ts',
        '  2:21  critical  fetch() to rates.example.com has no timeout (no abort signal), is not retried and has no circuit breaker.  no-timeout, no-retry, no-circuit-breaker',
        '',
        '✖ 4 findings (2 critical, 1 high, 1 medium, 0 low) in 2 files',
        '',
      ].join('\n'),
    );
    // the machine formats keep one result per rule
    expect(JSON.parse(runCli(['scan', '--format', 'json', '.'], dir).stdout).findings).toHaveLength(4);
  });

  it('impact and fix text only with --verbose', () => {
    const dir = tree({ 'src/a.ts': LOGS });
    expect(runCli(['scan', '.'], dir).stdout).not.toContain('impact:');
    const verbose = runCli(['scan', '--verbose', '.'], dir).stdout;
    expect(verbose).toMatch(/\n {4}impact: Free-text console output/);
    expect(verbose).toMatch(/\n {4}fix: Log through a structured JSON logger/);
  });

  it('paths have one base, the scan root, in the findings and the diffs; the summary names the root', () => {
    const r = runCli(['--dry-run', 'examples/orders-service'], REPO);
    const before = r.stdout.slice(0, r.stdout.indexOf('\n--- '));
    expect(before).toMatch(/^src\/clients\/payments-client\.ts$/m);
    expect(r.stdout).toMatch(/^\+\+\+ b\/src\/clients\/payments-client\.ts/m);
    expect(r.stdout).toMatch(/^ src\/clients\/payments-client\.ts \| \+\d+ -\d+$/m);
    expect(before).toMatch(/in 11 files, \d+ fixed by the changes below under examples\/orders-service\/$/m);
  });

  it("the README's dry-run on the example fits on about two screens (82 lines of 120 columns) before the diff", () => {
    const r = runCli(['--dry-run', 'examples/orders-service'], REPO);
    const before = r.stdout.slice(0, r.stdout.indexOf('\n--- ')).split('\n');
    const rows = before.reduce((n, line) => n + Math.max(1, Math.ceil(line.length / 120)), 0);
    // 80 before the reliability rules of seed 003 became findings: the example's all-at-once
    // deployment and its table without point-in-time recovery take a row each
    expect(rows).toBeLessThanOrEqual(82);
  });
});

describe('output options', () => {
  it('-o/--output-file writes the report there and nothing to stdout', () => {
    const dir = tree({ 'src/a.ts': LOGS });
    const r = runCli(['scan', '--format', 'sarif', '-o', 'out/report.sarif', '.'], dir);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out/report.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it('--color forces colour without a terminal; --no-color wins over FORCE_COLOR', () => {
    const dir = tree({ 'src/a.ts': LOGS });
    expect(runCli(['scan', '.'], dir).stdout).not.toMatch(ANSI);
    expect(runCli(['scan', '--color', '.'], dir).stdout).toMatch(ANSI);
    expect(runCli(['scan', '--no-color', '.'], dir, { FORCE_COLOR: '1' }).stdout).not.toMatch(ANSI);
  });

  it('--max-findings tolerates that many findings before exit 1', () => {
    const dir = tree({ 'src/a.ts': LOGS, 'src/b.ts': LOGS });
    expect(runCli(['scan', '--max-findings', '2', '.'], dir).code).toBe(0);
    expect(runCli(['scan', '--max-findings', '1', '.'], dir).code).toBe(1);
    const bad = runCli(['scan', '--max-findings', 'many', '.'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-findings must be a whole number (got "many")');
  });

  it('--severity filters the report as well as the exit code, and says how many it hides', () => {
    const dir = tree({ 'src/rates.ts': FETCH, 'src/a.ts': LOGS });
    const r = runCli(['scan', '--severity', 'critical', '.'], dir);
    expect(r.stdout).not.toContain('unstructured-logging');
    expect(r.stdout).toContain('no-timeout, no-retry');
    expect(r.stdout).toMatch(
      /✖ 2 findings \(2 critical, 0 high, 0 medium, 0 low\) in 2 files, 2 below --severity critical not shown/,
    );
    const json = JSON.parse(runCli(['scan', '--severity', 'high', '--format', 'json', '.'], dir).stdout);
    expect(json.findings.map((f: { ruleId: string }) => f.ruleId).sort()).toEqual([
      'no-circuit-breaker',
      'no-retry',
      'no-timeout',
    ]);
  });
});

describe('small things', () => {
  it('the stack line says how a CommonJS tsconfig runs the code, not how its imports are spelled', () => {
    const r = runCli(['scan', EXAMPLE], REPO);
    expect(r.stdout).toContain('Stack: typescript / commonjs / serverless / aws');
    const esm = tree({
      'src/a.ts': LOGS,
      'tsconfig.json': '{\n  // comments are allowed\n  "compilerOptions": { "module": "NodeNext" }\n}\n',
      'package.json': '{ "name": "esm-svc", "type": "module" }',
    });
    expect(runCli(['scan', '.'], esm).stdout).toContain('Stack: typescript / esm / no IaC');
  });

  it('a fix that adds no library never asks to add "nothing" to a missing package.json', () => {
    const dir = tree({
      'src/server.ts':
        "import express from 'express';\nconst app = express();\napp.get('/healthz', (_req, res) => { res.send('ok'); });\napp.listen(3000);\n",
    });
    const r = runCli(['--dry-run', '.'], dir);
    expect(r.stdout).toContain('no-graceful-shutdown');
    expect(r.stdout).not.toMatch(/add\s+yourself/);
  });

  it('install commands name folders from the current directory, one per line, each runnable after the other', () => {
    const dir = tree({
      'a/package.json': '{ "name": "a" }\n',
      'a/src/x.ts': LOGS,
      'b/package.json': '{ "name": "b" }\n',
      'b/src/y.ts': LOGS,
    });
    const parent = path.dirname(dir);
    const name = path.basename(dir);
    const dry = runCli(['--dry-run', name], parent).stdout;
    expect(dry).toContain(
      `  then install the added dependencies:\n    (cd ${name}/a && npm install)\n    (cd ${name}/b && npm install)\n`,
    );
    const bin = tree({ npm: '#!/bin/sh\npwd >> "$NPM_LOG"\n' });
    fs.chmodSync(path.join(bin, 'npm'), 0o755);
    const log = path.join(bin, 'log.txt');
    const r = runCli(['fix', '--yes', '--allow-dirty', '--install', name], parent, {
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      NPM_LOG: log,
    });
    expect(r.code).toBe(0);
    expect(
      fs
        .readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((d) => fs.realpathSync(d)),
    ).toEqual([path.join(dir, 'a'), path.join(dir, 'b')].map((d) => fs.realpathSync(d)));
  });

  it('npm test runs without the Vite configuration warning', () => {
    const vitest = spawnSync(
      process.execPath,
      [path.join(REPO, 'node_modules/vitest/vitest.mjs'), 'list', 'test/core/suppressions.test.ts'],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect(vitest.status).toBe(0);
    expect(vitest.stdout).toContain('inline suppressions');
    expect(`${vitest.stdout}${vitest.stderr}`).not.toMatch(
      /unsupported by `configLoader|ESM syntax in a file loaded as CommonJS/,
    );
  });
});
