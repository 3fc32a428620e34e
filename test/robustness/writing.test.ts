/**
 * How fixes reach the disk: atomic writes that keep the file mode, --dry-run writing nothing,
 * the dirty-tree refusal, and an interrupted batch: undone as a whole on SIGINT/SIGTERM, each
 * file either old or new even on SIGKILL.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE, REPO, copyTree, runCli } from '../helpers/cli';
import { hashTree, treeDifferences, writeTree } from '../helpers/robustness';

const LOGS = "export function f(): void {\n  console.log('hello');\n}\n";
const git = (cwd: string, ...args: string[]): string =>
  execFileSync(
    'git',
    ['-c', 'user.email=ci@example.com', '-c', 'user.name=CI', '-c', 'commit.gpgsign=false', ...args],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );

describe('atomic writes', () => {
  const modes = [0o755, 0o600, 0o640];
  it.each(modes)('keep the file mode (%o)', (mode) => {
    const dir = writeTree({ 'src/a.ts': LOGS });
    const file = path.join(dir, 'src/a.ts');
    fs.chmodSync(file, mode);
    expect(runCli(['fix', '--yes', '--allow-dirty', '.'], dir).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain("logger.info('hello')");
    expect(fs.statSync(file).mode & 0o777).toBe(mode);
    // nothing but the fixed file and the generated module: no temporary files left behind
    expect([...hashTree(dir).keys()].sort()).toEqual(['src/a.ts', 'src/resilience/logger.ts']);
  });
});

describe('--dry-run', () => {
  it.each([[['--dry-run', '.']], [['fix', '--dry-run', '.']]])('%j prints the diff and writes nothing', (args) => {
    const dir = copyTree(EXAMPLE, 'hc-dry-');
    const before = hashTree(dir);
    const r = runCli(args, dir);
    // scan's exit codes: findings the fix does not remove are left
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Would apply (dry run, nothing written)');
    expect(r.stdout).toMatch(/^\+\+\+ .*src\/server\.ts/m);
    expect(treeDifferences(before, hashTree(dir))).toEqual([]);
  });
});

describe('uncommitted changes', () => {
  it('fix --yes refuses a dirty file (exit 2, naming it, nothing written); --allow-dirty applies', () => {
    const dir = copyTree(EXAMPLE, 'hc-git-');
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'example');
    const dirty = path.join(dir, 'src/lib/db.ts');
    fs.appendFileSync(dirty, '// edited\n');
    const before = hashTree(dir);

    const refused = runCli(['fix', '--yes', '.'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to rewrite files with uncommitted changes');
    expect(refused.stderr).toContain('src/lib/db.ts');
    expect(refused.stderr).not.toContain('server.ts');
    expect(treeDifferences(before, hashTree(dir))).toEqual([]);

    const applied = runCli(['fix', '--yes', '--allow-dirty', '.'], dir);
    expect(applied.stdout).toContain('Applied');
    expect([0, 1]).toContain(applied.code);
    const changed = treeDifferences(before, hashTree(dir));
    expect(changed).toContain('src/lib/db.ts');
    expect(changed).toContain('src/server.ts');
    expect(fs.readFileSync(dirty, 'utf8')).toMatch(/\/\/ edited\n$/);
  });

  it('a clean committed tree is fixed without --allow-dirty', () => {
    const dir = copyTree(EXAMPLE, 'hc-git-');
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'example');
    const r = runCli(['fix', '--yes', '.'], dir);
    expect(r.stdout).toContain('Applied');
    expect(git(dir, 'status', '--porcelain')).toContain('src/server.ts');
  });
});

describe('an interrupted batch', () => {
  const COPIES = 300;
  const SOURCE = [
    "import axios from 'axios';",
    '',
    'export async function load(id: string): Promise<unknown> {',
    "  console.log('loading', id);",
    "  const res = await axios.get('https://api.example.com/items/' + id);",
    "  console.info('loaded', res.status);",
    '  return res.data;',
    '}',
    '',
  ].join('\n');
  const tree = (): Record<string, string> =>
    Object.fromEntries(Array.from({ length: COPIES }, (_, i) => [`src/item-${String(i).padStart(3, '0')}.ts`, SOURCE]));

  /** The whole batch applied without interruption: what every file looks like when fixed. */
  function fullyFixed(): Map<string, string> {
    const dir = writeTree(tree(), 'hc-full-');
    const r = runCli(['fix', '--yes', '--allow-dirty', '.'], dir);
    expect(r.stdout).toContain('Applied');
    const out = new Map<string, string>();
    for (const [rel] of hashTree(dir)) out.set(rel, fs.readFileSync(path.join(dir, rel), 'utf8'));
    return out;
  }

  /** Spawns the fix, watches the first file's inode (a rename replaces it) and signals right after. */
  async function interrupt(
    dir: string,
    signal: NodeJS.Signals,
  ): Promise<{ signalled: boolean; code: number | null; killedBy: string | null }> {
    const first = path.join(dir, 'src/item-000.ts');
    const inode = fs.statSync(first).ino;
    const child = spawn(
      process.execPath,
      [path.join(REPO, 'bin/harden-codemod.js'), 'fix', '--yes', '--allow-dirty', '.'],
      {
        cwd: dir,
        stdio: 'ignore',
        env: { ...process.env, CI: 'true', NO_COLOR: '1' },
      },
    );
    const exited = new Promise<{ code: number | null; killedBy: string | null }>((resolve) =>
      child.on('exit', (code, sig) => resolve({ code, killedBy: sig })),
    );
    let signalled = false;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
      if (fs.statSync(first).ino !== inode) {
        signalled = child.kill(signal);
        break;
      }
      // a short sleep, not a spin: the child needs the CPU
      await new Promise((r) => setTimeout(r, 2));
    }
    return { signalled, ...(await exited) };
  }

  let fixed: Map<string, string>;
  beforeAll(() => {
    fixed = fullyFixed();
  }, 120_000);

  it.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)(
    '%s after the first writes leaves each file either old or new, never half (SIGINT/SIGTERM: all old)',
    async (signal) => {
      const fixedSource = fixed.get('src/item-000.ts')!;
      expect(fixedSource).not.toBe(SOURCE);
      const dir = writeTree(tree(), 'hc-sig-');
      const run = await interrupt(dir, signal);
      expect(run.signalled, 'the signal was sent while the batch was running').toBe(true);

      const after = hashTree(dir);
      let oldCount = 0;
      let newCount = 0;
      const half: string[] = [];
      for (const rel of after.keys()) {
        const text = fs.readFileSync(path.join(dir, rel), 'utf8');
        if (/^src\/item-\d{3}\.ts$/.test(rel)) {
          if (text === SOURCE) oldCount++;
          else if (text === fixed.get(rel)) newCount++;
          else half.push(rel);
        } else if (signal === 'SIGKILL' && /\.harden-codemod-\d+-\d+\.(new|orig)$/.test(rel)) {
          // SIGKILL cannot be handled: staged files and backups may stay beside their targets, which are whole
          continue;
        } else if (fixed.get(rel) !== text) {
          // a created module or a leftover temporary file: complete, or not there at all
          half.push(rel);
        }
      }
      console.log(
        `${signal}: ${newCount} new, ${oldCount} old, ${half.length} other of ${COPIES} (exit ${run.code ?? run.killedBy})`,
      );
      expect(half, 'files neither original nor fully fixed').toEqual([]);
      expect(oldCount + newCount).toBe(COPIES);
      // SIGINT/SIGTERM undo the whole batch and say so (exit 130); SIGKILL cannot be handled
      if (signal !== 'SIGKILL') {
        expect(run.code).toBe(130);
        expect(newCount).toBe(0);
        expect([...after.keys()].sort()).toEqual(Object.keys(tree()).sort());
        return;
      }
      // the fixed files import the generated modules: a batch cut short must not leave them dangling
      const modules = [...fixed.keys()].filter((rel) => !/^src\/item-\d{3}\.ts$/.test(rel));
      expect(modules.length).toBeGreaterThan(0);
      const missing = modules.filter((rel) => !after.has(rel));
      expect(missing, `${newCount} fixed file(s) import generated modules that were not written`).toEqual([]);
    },
  );
});
