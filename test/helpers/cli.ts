import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const EXAMPLE = path.join(REPO, 'examples/orders-service');
const BIN = path.join(REPO, 'bin/harden-codemod.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (npm test builds first) as a user would: no TTY, CI set, no colour. */
export function runCli(args: string[], cwd = REPO, env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: undefined as unknown as string, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A throw-away copy of a directory under the OS temp dir. */
export function copyTree(src: string, name = 'hc-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), name));
  fs.cpSync(src, dir, { recursive: true });
  return dir;
}

/** sha-like fingerprint of every file under a directory: path + content. */
export function treeSnapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) out.set(path.relative(dir, abs), fs.readFileSync(abs, 'latin1'));
    }
  };
  walk(dir);
  return out;
}
