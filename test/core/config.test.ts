import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config';
import { parseCatalog, loadCatalog } from '../../src/catalog/catalog';

const dirWith = (files: Record<string, string>): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-cfg-'));
  for (const [n, c] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), c);
  return dir;
};

describe('config loading', () => {
  it('defaults without a config file', () => {
    const c = loadConfig(dirWith({}));
    expect(c.timeouts.httpMs).toBe(5000);
    expect(c.configFile).toBeNull();
  });
  it('reads YAML and merges defaults', () => {
    const c = loadConfig(
      dirWith({ 'harden-codemod.config.yaml': 'timeouts:\n  httpMs: 2500\nseverity:\n  unstructured-logging: off\n' }),
    );
    expect(c.timeouts.httpMs).toBe(2500);
    expect(c.timeouts.awsRequestMs).toBe(5000);
    expect(c.severity['unstructured-logging']).toBe('off');
  });
  it('reads the "harden-codemod" key of package.json', () => {
    const c = loadConfig(
      dirWith({ 'package.json': JSON.stringify({ name: 'x', 'harden-codemod': { includeTests: true } }) }),
    );
    expect(c.includeTests).toBe(true);
  });
  it('names the key of an invalid value', () => {
    expect(() => loadConfig(dirWith({ 'harden-codemod.config.json': '{"retry":{"maxAttempts":99}}' }))).toThrow(
      /retry\.maxAttempts/,
    );
  });
  it('names an unknown key', () => {
    expect(() => loadConfig(dirWith({ 'harden-codemod.config.json': '{"timeout":{}}' }))).toThrow(/timeout/);
  });
  it('refuses a severity key that is no rule id, suggesting the closest one', () => {
    const dir = dirWith({ 'harden-codemod.config.yaml': 'severity:\n  no-timout: off\n  hardcoded-secret: low\n' });
    expect(() => loadConfig(dir)).toThrow(
      /severity\.no-timout: unknown rule id "no-timout"; did you mean "no-timeout"\?/,
    );
    expect(() => loadConfig(dir)).toThrow(/harden-codemod\.config\.yaml/);
  });
  it('takes every catalog rule id as a severity key', () => {
    const severity = Object.fromEntries(loadCatalog().rules.map((r) => [r.id, 'low']));
    const c = loadConfig(dirWith({ 'harden-codemod.config.json': JSON.stringify({ severity }) }));
    expect(Object.keys(c.severity)).toEqual(Object.keys(severity));
  });
  it('names the file and line of malformed YAML', () => {
    expect(() => loadConfig(dirWith({ 'harden-codemod.config.yaml': 'timeouts:\n  httpMs: [1,\n' }))).toThrow(
      /harden-codemod\.config\.yaml:\d+/,
    );
  });
  it('refuses a YAML alias bomb', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ].join('\n');
    expect(() => loadConfig(dirWith({ 'harden-codemod.config.yaml': bomb }))).toThrow(/alias/i);
  });
});

describe('the catalog', () => {
  it("holds the spec's 16 checks with their severities", () => {
    const c = loadCatalog();
    const expected: Record<string, string> = {
      'no-timeout': 'critical',
      'no-retry': 'critical',
      'retry-without-jitter': 'high',
      'retry-without-max': 'high',
      'no-circuit-breaker': 'high',
      'silent-error-swallow': 'critical',
      'wrong-status-on-infra-failure': 'critical',
      'no-dlq': 'high',
      'dlq-without-alarm': 'medium',
      'dlq-without-redrive': 'medium',
      'no-idempotency': 'high',
      'no-event-replay': 'medium',
      'unbounded-concurrency': 'medium',
      'unstructured-logging': 'medium',
      'no-health-probes': 'medium',
      'shared-mutable-state': 'high',
    };
    for (const [id, severity] of Object.entries(expected)) expect(c.byId.get(id)?.severity, id).toBe(severity);
  });
  it('rejects a broken entry naming the key', () => {
    expect(() =>
      parseCatalog('version: 1\nrules:\n  - id: x\n    title: X\n    severity: urgent\n', 'cat.yaml'),
    ).toThrow(/rules\.0\.severity/);
  });
  it('rejects duplicate ids', () => {
    const rule = '  - {id: a, title: A, severity: low, area: X, phase: "4.1", detector: d, impact: i, fix: f}\n';
    expect(() => parseCatalog(`version: 1\nrules:\n${rule}${rule}`, 'cat.yaml')).toThrow(/duplicate rule id "a"/);
  });
});
