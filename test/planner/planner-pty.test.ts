import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyTree, EXAMPLE, REPO, treeSnapshot } from '../helpers/cli';

/**
 * The interactive planner end to end, in a real pseudo-terminal: util-linux `script` gives the
 * CLI a TTY on stdin and stdout, and the test types into it. Runs the built CLI (dist/).
 */

const HAS_SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const BIN = path.join(REPO, 'bin/harden-codemod.js');
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r/g;
const PROMPT = /\? (Phase (4\.\d)) ·|\? (Write these changes\?)/;

class Terminal {
  private raw = '';
  private cursor = 0;
  readonly exit: Promise<number>;

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => (this.raw += d.toString('utf8')));
    child.stderr!.on('data', (d: Buffer) => (this.raw += d.toString('utf8')));
    this.exit = new Promise((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  }

  get text(): string {
    return this.raw.replace(ANSI, '');
  }

  /** Waits for the pattern in output not yet consumed; the match is consumed. */
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.text.slice(this.cursor);
      const m = rest.match(pattern);
      if (m) {
        this.cursor += m.index! + m[0].length;
        // let the prompt finish drawing and switch the terminal to raw mode before typing
        await delay(200);
        return m;
      }
      if (Date.now() > end || this.child.exitCode !== null) throw new Error(`timed out waiting for ${pattern}; output so far:\n${this.text.slice(-3000)}`);
      await delay(50);
    }
  }

  type(keys: string): void {
    this.child.stdin!.write(keys);
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));
const running: ChildProcess[] = [];
const copies: string[] = [];

function startPlanner(cwd: string): Terminal {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', NO_COLOR: '1' };
  delete env.CI; // the planner never prompts in CI
  delete env.FORCE_COLOR;
  const child = spawn('script', ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} .`, '/dev/null'], { cwd, env, stdio: 'pipe' });
  running.push(child);
  return new Terminal(child);
}

function exampleCopy(): string {
  const dir = copyTree(EXAMPLE, 'hc-planner-');
  copies.push(dir);
  return dir;
}

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of copies.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const title = HAS_SCRIPT ? 'interactive planner in a pseudo-terminal' : 'interactive planner in a pseudo-terminal (skipped: util-linux `script` is not installed)';

describe.skipIf(!HAS_SCRIPT)(title, () => {
  it('accepting every phase and confirming writes the fixes and validates them', async () => {
    const dir = exampleCopy();
    const handlerBefore = fs.readFileSync(path.join(dir, 'src/server.ts'), 'utf8');
    const term = startPlanner(dir);
    await term.waitFor(/Audit summary/);
    const phases: string[] = [];
    for (;;) {
      const m = await term.waitFor(PROMPT, 120_000);
      if (m[3]) break;
      phases.push(m[2]!);
      term.type('\r');
    }
    term.type('y');
    await delay(100);
    term.type('\r');
    const code = await term.exit;
    const out = term.text;

    expect(phases).toEqual(['4.1', '4.2', '4.3', '4.4', '4.5']);
    expect(out).toMatch(/❌ +Timeouts +\d+ \(\d+ critical\)/);
    expect(out).toMatch(/ create src\/resilience\/errors\.ts \| \+\d+ -0/);
    expect(out).toContain('Validation (re-scan after the fix)');
    expect(code).toBe(0);
    for (const created of ['src/resilience/errors.ts', 'src/resilience/policies.ts', '.github/workflows/dlq-redrive-orders-service.yml']) {
      expect(fs.existsSync(path.join(dir, created)), created).toBe(true);
    }
    const handlerAfter = fs.readFileSync(path.join(dir, 'src/server.ts'), 'utf8');
    expect(handlerAfter).not.toBe(handlerBefore);
    expect(handlerAfter).toContain('Retry-After');
  }, 240_000);

  it.each([
    ['mid-way, at phase 4.3', '4.3'],
    ['at the final confirmation', 'write'],
  ])('Ctrl-C %s exits 130 and leaves the tree byte-identical', async (_name, stopAt) => {
    const dir = exampleCopy();
    const before = treeSnapshot(dir);
    const term = startPlanner(dir);
    for (;;) {
      const m = await term.waitFor(PROMPT, 120_000);
      if ((m[3] ? 'write' : m[2]) === stopAt) break;
      term.type('\r');
    }
    term.type('\x03');
    const code = await term.exit;

    expect(term.text).toContain('Cancelled: nothing was written.');
    expect(code).toBe(130);
    expect(treeSnapshot(dir)).toEqual(before);
  }, 240_000);
});
