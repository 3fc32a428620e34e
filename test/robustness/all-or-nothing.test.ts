/**
 * A fix run writes every change or none: a failure in the middle (a full disk, a permission, a
 * path that cannot be created) restores the files already replaced, removes the files and
 * folders it created, and says which file failed and why (exit 2). Symbolic links and read-only
 * files are refused unless allowed; a failing --install is an error and the re-scan still runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main';
import { loadConfig } from '../../src/config/load-config';
import { computeChanges } from '../../src/engine/compute-changes';
import { writeChanges, WriteError } from '../../src/engine/write-changes';
import { scan } from '../../src/scan/scan';
import { EXAMPLE, copyTree, runCli } from '../helpers/cli';

/** Every file (with its bytes and mode) and every folder under `dir`: a byte-exact picture of the tree. */
function picture(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      const rel = path.relative(dir, abs);
      if (e.isDirectory()) {
        out.set(`${rel}/`, 'dir');
        walk(abs);
      } else out.set(rel, `${(fs.lstatSync(abs).mode & 0o777).toString(8)} ${fs.readFileSync(abs).toString('base64')}`);
    }
  };
  walk(dir);
  return out;
}

const copies: string[] = [];
function example(): string {
  const dir = copyTree(EXAMPLE, 'hc-aon-');
  copies.push(dir);
  return dir;
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of copies.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function changesOf(dir: string) {
  const config = loadConfig(dir);
  return computeChanges(scan({ root: dir, paths: [dir], config }), config);
}

/** Makes the n-th call of fs[method] whose first argument satisfies `when` fail with `code`. */
function failOn(
  method: 'renameSync' | 'openSync',
  n: number,
  code: string,
  when: (arg: string) => boolean = () => true,
) {
  const real = fs[method] as (...args: unknown[]) => unknown;
  let seen = 0;
  return vi.spyOn(fs, method).mockImplementation(((...args: unknown[]) => {
    if (when(String(args[0])) && ++seen === n) {
      throw Object.assign(new Error(`${code}: simulated failure, ${method} '${String(args[0])}'`), { code });
    }
    return real.apply(fs, args);
  }) as never);
}

describe('writeChanges: all or nothing', () => {
  it('a failure while replacing files restores the replaced ones and removes created files and folders', async () => {
    const dir = example();
    const { changes } = await changesOf(dir);
    const modified = changes.filter((c) => c.kind === 'modify');
    expect(changes.some((c) => c.kind === 'create' && c.file.startsWith('src/resilience/'))).toBe(true);
    expect(modified.length).toBeGreaterThan(4);
    const before = picture(dir);
    // the rename of the 4th rewritten file fails: created modules and 3 files are already in place
    const victim = modified[3]!.file;
    failOn(
      'renameSync',
      1,
      'EACCES',
      (from) => from.includes(`.${path.basename(victim)}.harden-codemod-`) && from.endsWith('.new'),
    );

    const error = await writeChanges(dir, changes, { allowDirty: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteError);
    expect((error as Error).message).toContain(`could not write ${victim}: EACCES`);
    expect((error as Error).message).toMatch(
      /nothing was changed \(3 rewritten file\(s\) restored, \d+ created file\(s\) removed\)/,
    );
    expect(picture(dir)).toEqual(before);
  });

  it('a failure while staging (before any rename) leaves no temporary file and no new folder', async () => {
    const dir = example();
    const { changes } = await changesOf(dir);
    const before = picture(dir);
    failOn('openSync', 3, 'ENOSPC', (file) => file.includes('.harden-codemod-'));

    const error = await writeChanges(dir, changes, { allowDirty: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteError);
    expect((error as Error).message).toMatch(/could not write \S+: ENOSPC/);
    expect(picture(dir)).toEqual(before);
  });

  it('fix --yes reports a write failure in one message naming the file and the cause, exit 2, tree unchanged', async () => {
    const dir = example();
    const before = picture(dir);
    failOn('renameSync', 2, 'EROFS', (from) => from.endsWith('.new'));
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation(((s: string) => stderr.push(String(s))) as never);
    vi.spyOn(process.stdout, 'write').mockImplementation((() => true) as never);

    const code = await main(['fix', '--yes', '--allow-dirty', dir]);
    expect(code).toBe(2);
    const text = stderr.join('');
    expect(text).toMatch(/^harden-codemod: could not write \S+: EROFS, simulated failure/);
    expect(text).toContain('nothing was changed');
    expect(text).not.toContain('internal error');
    expect(text).not.toMatch(/\n\s+at /);
    expect(picture(dir)).toEqual(before);
  });
});

describe('refused unless allowed', () => {
  const LOGS = "export function f(): void {\n  console.log('hello');\n}\n";

  it('a symbolic link given on the command line to a file outside the tree is not written through', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-outside-'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-link-'));
    copies.push(outside, dir);
    fs.writeFileSync(path.join(outside, 'real.ts'), LOGS);
    fs.symlinkSync(path.join(outside, 'real.ts'), path.join(dir, 'link.ts'));
    const before = picture(dir);

    const refused = runCli(['fix', '--yes', '--allow-dirty', 'link.ts'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('link.ts is a symbolic link to');
    expect(refused.stderr).toContain('outside the tree');
    expect(refused.stderr).toContain('--allow-symlinks');
    expect(fs.readFileSync(path.join(outside, 'real.ts'), 'utf8')).toBe(LOGS);
    expect(picture(dir)).toEqual(before);

    const allowed = runCli(['fix', '--yes', '--allow-dirty', '--allow-symlinks', 'link.ts'], dir);
    expect(allowed.stderr).toBe('');
    expect(fs.lstatSync(path.join(dir, 'link.ts')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(outside, 'real.ts'), 'utf8')).toContain("logger.info('hello')");
  });

  it('a read-only file is refused; --allow-read-only rewrites it and keeps its mode', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-ro-'));
    copies.push(dir);
    const file = path.join(dir, 'src/a.ts');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, LOGS);
    fs.chmodSync(file, 0o444);
    const before = picture(dir);

    const refused = runCli(['fix', '--yes', '--allow-dirty', '.'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('src/a.ts is read-only');
    expect(picture(dir)).toEqual(before);

    runCli(['fix', '--yes', '--allow-dirty', '--allow-read-only', '.'], dir);
    expect(fs.readFileSync(file, 'utf8')).toContain("logger.info('hello')");
    expect(fs.statSync(file).mode & 0o777).toBe(0o444);
  });
});

describe('fix --install', () => {
  it('a failing install is a clear error, the fixes stay written and the validation re-scan still runs', () => {
    const dir = example();
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-bin-'));
    copies.push(bin);
    fs.writeFileSync(path.join(bin, 'npm'), '#!/bin/sh\necho "npm ERR! network unreachable" >&2\nexit 7\n', {
      mode: 0o755,
    });

    const r = runCli(['fix', '--yes', '--allow-dirty', '--install', '.'], dir, {
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /`npm install` failed \(exit code 7\): the fixes are written; install the added dependencies yourself/,
    );
    expect(r.stderr).not.toContain('internal error');
    expect(r.stdout).toContain('Validation (re-scan after the fix)');
    expect(fs.existsSync(path.join(dir, 'src/resilience/policies.ts'))).toBe(true);
  });
});
