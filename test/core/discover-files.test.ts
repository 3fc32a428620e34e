import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/files/discover-files';

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-files-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}
const rels = (root: string, files: string[]): string[] =>
  files.map((f) => path.relative(root, f).split(path.sep).join('/'));

describe('discoverFiles', () => {
  const root = tree({
    'src/a.ts': '',
    'src/b.js': '',
    'src/c.tsx': '',
    'src/types.d.ts': '',
    'src/bundle.min.js': '',
    'src/a.test.ts': '',
    'src/__tests__/x.ts': '',
    'test/y.ts': '',
    'src/__mocks__/m.ts': '',
    'node_modules/dep/index.js': '',
    'dist/out.js': '',
    'cdk.out/x.js': '',
    '.serverless/x.js': '',
    '.aws-sam/x.js': '',
    'coverage/x.js': '',
    'build/x.js': '',
    '.gitignore': 'ignored/\n*.gen.ts\n',
    'ignored/z.ts': '',
    'src/api.gen.ts': '',
    'pkg/.gitignore': 'local.ts\n',
    'pkg/local.ts': '',
    'pkg/kept.ts': '',
    'serverless.yml': 'service: x',
    'template.json': '{}',
  });

  it('keeps sources and IaC candidates, skipping deps, build output, tests, minified, declarations and gitignored files', () => {
    const found = discoverFiles(root, [root]);
    expect(rels(root, found.source)).toEqual(['pkg/kept.ts', 'src/a.ts', 'src/b.js', 'src/c.tsx']);
    expect(rels(root, found.data)).toEqual(['serverless.yml', 'template.json']);
  });

  it('includes tests with includeTests', () => {
    const found = rels(root, discoverFiles(root, [root], { includeTests: true }).source);
    expect(found).toEqual(
      expect.arrayContaining(['src/a.test.ts', 'src/__tests__/x.ts', 'test/y.ts', 'src/__mocks__/m.ts']),
    );
  });

  it('applies --include and --exclude globs', () => {
    expect(rels(root, discoverFiles(root, [root], { include: ['src/**'] }).source)).toEqual([
      'src/a.ts',
      'src/b.js',
      'src/c.tsx',
    ]);
    expect(rels(root, discoverFiles(root, [root], { exclude: ['**/*.js'] }).source)).toEqual([
      'pkg/kept.ts',
      'src/a.ts',
      'src/c.tsx',
    ]);
  });

  it('scans a file given directly, even a test file', () => {
    const found = discoverFiles(root, [path.join(root, 'src/a.test.ts')]);
    expect(rels(root, found.source)).toEqual(['src/a.test.ts']);
  });

  it('does not follow symlinks (loops, links outside the root)', () => {
    const dir = tree({ 'src/a.ts': '' });
    const outside = tree({ 'secret.ts': '' });
    fs.symlinkSync(dir, path.join(dir, 'src/loop'));
    fs.symlinkSync(outside, path.join(dir, 'outside'));
    expect(rels(dir, discoverFiles(dir, [dir]).source)).toEqual(['src/a.ts']);
  });

  it('a missing path is a usage error naming it', () => {
    expect(() => discoverFiles(root, [path.join(root, 'nope')])).toThrow(/path not found/);
  });
});
