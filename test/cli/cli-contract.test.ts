import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE, runCli } from '../helpers/cli';

describe('CLI contract', () => {
  it('--help lists the commands and examples, exit 0', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scan');
    expect(r.stdout).toContain('fix');
    expect(r.stdout).toContain('Examples:');
  });

  it('a nonexistent path is a one-line error with exit 2', () => {
    const r = runCli(['scan', 'no/such/dir']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('path not found: no/such/dir');
    expect(r.stdout).toBe('');
  });

  it('an unknown rule id in --only is a usage error naming it', () => {
    const r = runCli(['scan', EXAMPLE, '--only', 'no-timeot']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown rule id "no-timeot"; did you mean "no-timeout"?');
  });

  it('--quiet works on every command, the bare --dry-run included', () => {
    for (const args of [
      ['scan', EXAMPLE, '-q'],
      ['fix', '--dry-run', '-q', EXAMPLE],
      ['--dry-run', EXAMPLE, '-q'],
    ]) {
      const r = runCli(args);
      expect(r.stderr, args.join(' ')).toBe('');
      expect(r.stdout).not.toContain('Service: orders-service');
    }
  });

  it('an unknown option exits 2', () => {
    const r = runCli(['scan', '--frobnicate']);
    expect(r.code).toBe(2);
  });

  it('exit 1 with findings, 0 when the threshold filters them all out', () => {
    expect(runCli(['scan', EXAMPLE, '--only', 'no-timeout']).code).toBe(1);
    expect(runCli(['scan', EXAMPLE, '--only', 'unstructured-logging', '--severity', 'high']).code).toBe(0);
  });

  it('an empty directory is nothing to scan: exit 2 with a message, as ESLint\'s "No files matching"', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-empty-'));
    const r = runCli(['scan', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no JavaScript, TypeScript or IaC files to scan under/);
  });

  it('an invalid config file is exit 2 and names the key', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-config-'));
    fs.writeFileSync(path.join(dir, 'harden-codemod.config.json'), JSON.stringify({ timeouts: { httpMs: 'fast' } }));
    const r = runCli(['scan', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('timeouts.httpMs');
  });

  it('a severity key that is no rule id is exit 2, naming the key and the closest id', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-config-'));
    fs.writeFileSync(
      path.join(dir, 'harden-codemod.config.json'),
      JSON.stringify({ severity: { 'no-timout': 'off' } }),
    );
    fs.writeFileSync(path.join(dir, 'index.js'), "fetch('https://example.com');\n");
    const r = runCli(['scan', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('severity.no-timout: unknown rule id "no-timout"; did you mean "no-timeout"?');
  });

  it.each(['playbook', 'review', 'plan'])(
    '%s on a folder with nothing to scan is exit 2, no document written',
    (cmd) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-empty-doc-'));
      const r = runCli([cmd, dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('no JavaScript, TypeScript or IaC files to scan');
      expect(fs.existsSync(path.join(dir, '.opencode'))).toBe(false);
    },
  );

  it('fix without --yes or --dry-run and without a TTY exits 2 naming the flags', () => {
    const r = runCli(['fix', EXAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--yes|--dry-run/);
  });
});

describe('JSON output contract', () => {
  const r = runCli(['scan', EXAMPLE, '--format', 'json']);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads the JSON contract field by field
  const report = JSON.parse(r.stdout) as Record<string, any>;

  it('is the only thing on stdout and has the version-1 shape', () => {
    expect(r.code).toBe(1);
    expect(report.version).toBe(1);
    expect(report.root).toBe(EXAMPLE);
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['version', 'root', 'discovery', 'findings', 'summary']),
    );
    expect(Object.keys(report.summary)).toEqual(expect.arrayContaining(['bySeverity', 'byRule']));
  });

  it('every finding has the contract fields with 1-based positions and posix relative paths', () => {
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(typeof f.ruleId).toBe('string');
      expect(['critical', 'high', 'medium', 'low']).toContain(f.severity);
      expect(f.file).not.toMatch(/^\/|\\/);
      expect(f.line).toBeGreaterThanOrEqual(1);
      expect(f.column).toBeGreaterThanOrEqual(1);
      expect(f.endLine).toBeGreaterThanOrEqual(f.line);
      expect(typeof f.message).toBe('string');
      expect(typeof f.fixable).toBe('boolean');
      if (f.dependency)
        expect(['internal-api', 'external-api', 'database', 'event-bus', 'auth-provider', 'ml-ai']).toContain(
          f.dependency.category,
        );
    }
  });

  it('summary counts agree with the findings', () => {
    const total = Object.values(report.summary.bySeverity as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBe(report.findings.length);
    const byRule = Object.values(report.summary.byRule as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(byRule).toBe(report.findings.length);
  });
});
