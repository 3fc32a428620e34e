import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';

const SERVICE = `import axios from 'axios';

export async function getRate(currency: string) {
  const { data } = await axios.get(\`https://rates.example.com/\${currency}\`);
  console.log('rate', data);
  return data;
}
`;

/** A generated monorepo: two service packages and a library, in npm or pnpm workspace form. */
function monorepo(kind: 'npm' | 'pnpm'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `hc-mono-${kind}-`));
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write(
    'package.json',
    JSON.stringify(
      { name: 'mono', private: true, ...(kind === 'npm' ? { workspaces: ['services/*', 'libs/*'] } : {}) },
      null,
      2,
    ) + '\n',
  );
  if (kind === 'pnpm') {
    write('pnpm-workspace.yaml', "packages:\n  - 'services/*'\n  - 'libs/*'\n");
    write('pnpm-lock.yaml', "lockfileVersion: '9.0'\n");
  } else write('package-lock.json', '{}\n');
  for (const name of ['orders', 'billing']) {
    write(
      `services/${name}/package.json`,
      JSON.stringify({ name: `@mono/${name}`, version: '1.0.0', dependencies: { axios: '^1.7.0' } }, null, 2) + '\n',
    );
    write(`services/${name}/src/rates.ts`, SERVICE);
  }
  write('libs/util/package.json', JSON.stringify({ name: '@mono/util', version: '1.0.0' }, null, 2) + '\n');
  write('libs/util/src/index.ts', 'export const add = (a: number, b: number) => a + b;\n');
  return root;
}

describe.each(['npm', 'pnpm'] as const)('a %s-workspaces monorepo', (kind) => {
  it('attributes findings to their package and selects packages with --package', () => {
    const root = monorepo(kind);
    const all = JSON.parse(runCli(['scan', root, '--format', 'json', '--no-cache']).stdout);
    const pkgs = new Set(all.findings.map((f: { package?: string }) => f.package));
    expect([...pkgs].sort()).toEqual(['@mono/billing', '@mono/orders']);
    const text = runCli(['scan', root, '--no-cache']).stdout;
    expect(text).toMatch(/@mono\/billing\s+2\s+1\s+1\s+0/);
    const one = JSON.parse(
      runCli(['scan', root, '--format', 'json', '--package', '@mono/orders', '--no-cache']).stdout,
    );
    expect(new Set(one.findings.map((f: { package?: string }) => f.package))).toEqual(new Set(['@mono/orders']));
  });

  it('fixes each package with its own generated modules and package.json, and prints one install command', () => {
    const root = monorepo(kind);
    const r = runCli(['fix', '--yes', '--allow-dirty', root]);
    expect(r.code).toBe(0);
    for (const name of ['orders', 'billing']) {
      expect(fs.existsSync(path.join(root, `services/${name}/src/resilience/policies.ts`))).toBe(true);
      const pkg = JSON.parse(fs.readFileSync(path.join(root, `services/${name}/package.json`), 'utf8'));
      expect(pkg.dependencies.cockatiel).toBe('^3.2.1');
    }
    expect(fs.existsSync(path.join(root, 'src/resilience'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'libs/util/package.json'), 'utf8')).dependencies).toBeUndefined();
    const installs = r.stdout.split('\n').filter((l) => l.includes('install the added dependencies'));
    expect(installs).toHaveLength(1);
    expect(installs[0]).toContain(kind === 'pnpm' ? 'pnpm install' : 'npm install');
    expect(installs[0]).not.toContain('services/');
  });

  it('shards are disjoint and together equal the whole run', () => {
    const root = monorepo(kind);
    const key = (f: { ruleId: string; file: string; line: number }): string => `${f.ruleId} ${f.file}:${f.line}`;
    const whole = JSON.parse(runCli(['scan', root, '--format', 'json', '--no-cache']).stdout)
      .findings.map(key)
      .sort();
    const parts = [1, 2, 3].map((i) =>
      JSON.parse(runCli(['scan', root, '--format', 'json', '--no-cache', '--shard', `${i}/3`]).stdout).findings.map(
        key,
      ),
    );
    const union = parts.flat().sort();
    expect(union).toEqual(whole);
    expect(new Set(union).size).toBe(union.length);
  });

  it('the cache gives identical results', () => {
    const root = monorepo(kind);
    const first = JSON.parse(runCli(['scan', root, '--format', 'json']).stdout);
    const second = JSON.parse(runCli(['scan', root, '--format', 'json']).stdout);
    expect(second.findings).toEqual(first.findings);
  });
});
