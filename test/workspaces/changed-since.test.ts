import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors';
import { changedSince } from '../../src/workspaces/changed-since';

let repo: string;
const git = (...args: string[]): string =>
  execFileSync(
    'git',
    ['-c', 'user.email=dev@example.com', '-c', 'user.name=dev', '-c', 'commit.gpgsign=false', ...args],
    { cwd: repo, encoding: 'utf8' },
  );
const write = (rel: string, text: string): void => {
  fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
  fs.writeFileSync(path.join(repo, rel), text);
};

beforeAll(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-git-'));
  git('init', '-q', '-b', 'main');
  for (const f of ['packages/api/a.ts', 'packages/api/b.ts', 'packages/web/c.ts', 'packages/api/old name.ts'])
    write(f, `// ${f}\n`);
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  git('tag', 'base');
  write('packages/api/b.ts', '// changed on the branch\n');
  write('packages/web/new.ts', '// added on the branch\n');
  git('add', '.');
  git('commit', '-q', '-m', 'branch work');
  write('packages/web/c.ts', '// uncommitted\n');
  write('packages/api/untracked/d.ts', '// untracked\n');
  git('mv', 'packages/api/old name.ts', 'packages/api/new name.ts');
});
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

const rel = (root: string, set: Set<string>): string[] =>
  [...set].map((f) => path.relative(root, f).split(path.sep).join('/')).sort();

describe('changedSince', () => {
  it('lists branch commits since the ref, uncommitted, untracked and renamed files (by their new name)', () => {
    expect(rel(repo, changedSince(repo, 'base'))).toEqual([
      'packages/api/b.ts',
      'packages/api/new name.ts',
      'packages/api/untracked/d.ts',
      'packages/web/c.ts',
      'packages/web/new.ts',
    ]);
  });

  it('returns absolute paths under a root below the repository top, and nothing outside it', () => {
    const root = path.join(repo, 'packages', 'api');
    const changed = changedSince(root, 'base');
    for (const f of changed) expect(f.startsWith(root + path.sep)).toBe(true);
    expect(rel(root, changed)).toEqual(['b.ts', 'new name.ts', 'untracked/d.ts']);
  });

  it('HEAD itself: only the uncommitted work', () => {
    expect(rel(repo, changedSince(repo, 'HEAD'))).toEqual([
      'packages/api/new name.ts',
      'packages/api/untracked/d.ts',
      'packages/web/c.ts',
    ]);
  });

  it.each(['no-such-ref', '--output=/tmp/x'])("a bad ref %j is a UsageError carrying git's message", (ref) => {
    expect(() => changedSince(repo, ref)).toThrow(UsageError);
    expect(() => changedSince(repo, ref)).toThrow(`--changed-since ${ref}`);
  });

  it("git's own words are kept", () => {
    expect(() => changedSince(repo, 'no-such-ref')).toThrow(/unknown revision|bad revision|ambiguous argument/);
  });

  it('outside a git repository is a UsageError', () => {
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-nogit-'));
    try {
      expect(() => changedSince(plain, 'main')).toThrow(UsageError);
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });
});
