import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors';
import { findWorkspaces, packageOf, selectPackages } from '../../src/workspaces/find-workspaces';

const made: string[] = [];
/** A temp tree from { 'rel/path': content }; objects are written as JSON. */
function tree(files: Record<string, unknown>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-ws-'));
  made.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const names = (root: string): Array<[string, string]> => findWorkspaces(root).map((w) => [w.name, w.relDir]);

describe('findWorkspaces', () => {
  it('reads npm workspaces (array form), named by package.json, sorted by folder', () => {
    const root = tree({
      'package.json': { name: 'mono', workspaces: ['packages/*', 'apps/web'] },
      'packages/api/package.json': { name: '@acme/api' },
      'packages/jobs/package.json': { name: '@acme/jobs' },
      'packages/notes/README.md': 'no package.json: not a workspace',
      'apps/web/package.json': { name: 'web' },
      'apps/admin/package.json': { name: 'admin' },
      'packages/api/node_modules/dep/package.json': { name: 'dep' },
    });
    expect(names(root)).toEqual([
      ['web', 'apps/web'],
      ['@acme/api', 'packages/api'],
      ['@acme/jobs', 'packages/jobs'],
    ]);
    expect(findWorkspaces(root)[1]!.dir).toBe(path.join(root, 'packages', 'api'));
  });

  it('reads yarn workspaces ({ packages } form) and globstar patterns', () => {
    const root = tree({
      'package.json': { name: 'mono', private: true, workspaces: { packages: ['services/**'], nohoist: ['**/x'] } },
      'services/a/package.json': { name: 'a' },
      'services/group/b/package.json': { name: 'b' },
    });
    expect(names(root)).toEqual([
      ['a', 'services/a'],
      ['b', 'services/group/b'],
    ]);
  });

  it('reads pnpm-workspace.yaml with negations; a package without a name is named by folder', () => {
    const root = tree({
      'package.json': { name: 'mono' },
      'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n  - './tools/*'\n  - '!packages/legacy'\n",
      'packages/core/package.json': { name: '@p/core' },
      'packages/legacy/package.json': { name: '@p/legacy' },
      'tools/cli/package.json': {},
    });
    expect(names(root)).toEqual([
      ['@p/core', 'packages/core'],
      ['tools/cli', 'tools/cli'],
    ]);
  });

  it('reads lerna.json packages', () => {
    const root = tree({ 'lerna.json': { packages: ['modules/*'] }, 'modules/x/package.json': { name: 'x' } });
    expect(names(root)).toEqual([['x', 'modules/x']]);
  });

  it('falls back to packages/*, apps/*, services/* when nothing is declared', () => {
    const root = tree({
      'package.json': { name: 'single' },
      'apps/site/package.json': { name: 'site' },
      'services/orders/package.json': { name: 'orders' },
      'lib/util/package.json': { name: 'not-conventional' },
    });
    expect(names(root)).toEqual([
      ['site', 'apps/site'],
      ['orders', 'services/orders'],
    ]);
  });

  it('declared workspaces replace the fallback folders; a single package has none', () => {
    expect(names(tree({ 'package.json': { workspaces: ['libs/*'] }, 'apps/a/package.json': { name: 'a' } }))).toEqual(
      [],
    );
    expect(names(tree({ 'package.json': { name: 'svc' }, 'src/index.ts': '' }))).toEqual([]);
  });

  it.each([
    ['a malformed root package.json', { 'package.json': '{ "workspaces": [' }, 'package.json'],
    [
      'a malformed workspace package.json',
      { 'package.json': { workspaces: ['packages/*'] }, 'packages/a/package.json': '{nope' },
      'packages/a/package.json',
    ],
    ['a malformed pnpm-workspace.yaml', { 'pnpm-workspace.yaml': 'packages: [unclosed' }, 'pnpm-workspace.yaml'],
    ['a malformed lerna.json', { 'lerna.json': '{,}' }, 'lerna.json'],
  ])('throws UsageError naming the file for %s', (_, files, file) => {
    const root = tree(files as Record<string, unknown>);
    expect(() => findWorkspaces(root)).toThrow(UsageError);
    expect(() => findWorkspaces(root)).toThrow(file);
  });
});

describe('packageOf and selectPackages', () => {
  const root = tree({
    'package.json': { workspaces: ['packages/**'] },
    'packages/api/package.json': { name: '@acme/api' },
    'packages/api/plugins/auth/package.json': { name: '@acme/auth' },
    'packages/api-client/package.json': { name: 'api-client' },
  });
  const ws = findWorkspaces(root);

  it.each([
    ['packages/api/src/index.ts', '@acme/api'],
    ['packages/api/plugins/auth/src/x.ts', '@acme/auth'],
    ['packages/api-client/index.js', 'api-client'],
    ['packages/apix.ts', null],
    ['scripts/build.js', null],
  ])('attributes %s to %s (the deepest workspace)', (rel, name) => {
    expect(packageOf(ws, path.join(root, rel))?.name ?? null).toBe(name);
  });

  it.each([
    [['@acme/api'], ['@acme/api']],
    [['@acme/*'], ['@acme/api', '@acme/auth']],
    [['packages/api-*'], ['api-client']],
    [
      ['api-client', '@acme/auth'],
      ['@acme/auth', 'api-client'],
    ],
    [[], ['@acme/api', '@acme/auth', 'api-client']],
  ])('--package %j selects %j', (patterns, expected) => {
    expect(
      selectPackages(ws, patterns)
        .map((w) => w.name)
        .sort(),
    ).toEqual(expected);
  });

  it('an unknown --package is a UsageError listing the known names', () => {
    expect(() => selectPackages(ws, ['nope'])).toThrow(/--package nope matches no workspace \(known: @acme\/api/);
    expect(() => selectPackages([], ['x'])).toThrow(UsageError);
  });
});
