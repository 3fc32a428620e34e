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
// eslint-disable-next-line no-control-regex -- terminal escape sequences are stripped from the recorded screen
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r/g;
const PROMPT = /\? (Phase (4\.\d)) ·|\? (Write these changes\?)/;
/** the question after a phase's checkbox: go on, preview, change, skip or go back */
const THEN = /\? Phase (4\.\d): (\d+) selected\. Then\?/;
const DOWN = '\x1b[B';

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
      if (Date.now() > end || this.child.exitCode !== null)
        throw new Error(`timed out waiting for ${pattern}; output so far:\n${this.text.slice(-3000)}`);
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
  const child = spawn(
    'script',
    ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} .`, '/dev/null'],
    { cwd, env, stdio: 'pipe' },
  );
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

const title = HAS_SCRIPT
  ? 'interactive planner in a pseudo-terminal'
  : 'interactive planner in a pseudo-terminal (skipped: util-linux `script` is not installed)';

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
      await term.waitFor(THEN);
      term.type('\r');
    }
    term.type('y');
    await delay(100);
    term.type('\r');
    const code = await term.exit;
    const out = term.text;

    // 4.6 is a phase of its own: the failure-mode tests are chosen there
    expect(phases).toEqual(['4.1', '4.2', '4.3', '4.4', '4.5', '4.6']);
    expect(out).toMatch(
      /failure-mode tests of payments-api\s+\(src\/resilience\/__tests__\/payments-api\.failure\.test\.ts\)/,
    );
    expect(out).toMatch(/❌ +Timeouts +\d+ \(\d+ critical\)/);
    expect(out).toMatch(/ create src\/resilience\/errors\.ts \| \+\d+ -0/);
    expect(out).toContain('Validation (re-scan after the fix)');
    // only what the fix step fixes is offered: nothing selected is left unfixed
    expect(out).not.toContain('have no safe rewrite and stay as they are');
    expect(code).toBe(0);
    for (const created of [
      'src/resilience/errors.ts',
      'src/resilience/policies.ts',
      '.github/workflows/dlq-redrive-orders-service.yml',
    ]) {
      expect(fs.existsSync(path.join(dir, created)), created).toBe(true);
    }
    const handlerAfter = fs.readFileSync(path.join(dir, 'src/server.ts'), 'utf8');
    expect(handlerAfter).not.toBe(handlerBefore);
    expect(handlerAfter).toContain('Retry-After');
  }, 240_000);

  it.each([
    ['mid-way, at phase 4.3', '4.3'],
    ['at the final confirmation', 'write'],
  ])(
    'Ctrl-C %s exits 130 and leaves the tree byte-identical',
    async (_name, stopAt) => {
      const dir = exampleCopy();
      const before = treeSnapshot(dir);
      const term = startPlanner(dir);
      for (;;) {
        const m = await term.waitFor(PROMPT, 120_000);
        if ((m[3] ? 'write' : m[2]) === stopAt) break;
        term.type('\r');
        await term.waitFor(THEN);
        term.type('\r');
      }
      term.type('\x03');
      const code = await term.exit;

      expect(term.text).toContain('Cancelled: nothing was written.');
      expect(code).toBe(130);
      expect(treeSnapshot(dir)).toEqual(before);
    },
    240_000,
  );

  it('`a` toggles the items only; a skipped phase says so once and can be revisited; 4.6 tests are chosen in 4.6', async () => {
    const dir = exampleCopy();
    const term = startPlanner(dir);
    await term.waitFor(/\? Phase 4\.1 ·/, 120_000);
    term.type('a'); // every item of 4.1 off (the controls are no rows: nothing else is ticked)
    term.type('\r');
    await term.waitFor(/\? Phase 4\.1: 0 selected\. Then\?/);
    const dropped = term.text.match(/also dropped \d+ item\(s\) that need error taxonomy module/g) ?? [];
    expect(dropped).toHaveLength(1);
    term.type(`${DOWN}${DOWN}${DOWN}\r`); // Skip this phase
    await term.waitFor(/Phase 4\.1 skipped: nothing in it is changed/);
    await term.waitFor(/\? Phase 4\.2 ·/);
    term.type('\r');
    await term.waitFor(THEN);
    term.type(`${DOWN}${DOWN}${DOWN}${DOWN}\r`); // Back to phase 4.1
    await term.waitFor(/\? Phase 4\.1 ·/);
    term.type('a'); // all of 4.1 back on
    term.type('\r');
    const again = await term.waitFor(THEN);
    expect(Number(again[2])).toBeGreaterThan(0);
    term.type('\r');
    for (;;) {
      const m = await term.waitFor(PROMPT, 120_000);
      if (m[3]) break;
      if (m[2] === '4.6') term.type('a'); // no failure-mode tests
      term.type('\r');
      await term.waitFor(THEN);
      term.type('\r');
    }
    term.type('y');
    await delay(100);
    term.type('\r');
    expect(await term.exit).toBe(0);
    expect(term.text.match(/Phase 4\.1 skipped/g)).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, 'src/resilience/errors.ts'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'src/resilience/__tests__'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).devDependencies.vitest).toBeUndefined();
  }, 240_000);

  it("a preview shows the item's own hunks and summarises a created module; its full text only on demand", async () => {
    const dir = exampleCopy();
    const term = startPlanner(dir);
    await term.waitFor(/\? Phase 4\.1 ·/, 120_000);
    term.type('\r');
    await term.waitFor(THEN);
    term.type(`${DOWN}\r`); // Preview the diff of an item
    await term.waitFor(/\? Preview which item\?/);
    term.type(`${DOWN}\r`); // the first finding after the taxonomy module
    const shown = await term.waitFor(/\? Show the created file in full\?/);
    const preview = term.text.split('Preview which item?').pop()!.split(shown[0])[0]!;
    expect(preview).toMatch(/^@@ /m);
    expect(preview).toMatch(/create src\/resilience\/errors\.ts \(\d+ lines\)/);
    expect(preview).not.toContain('class TransientError');
    expect(preview.split('\n').length).toBeLessThan(60);
    term.type('y');
    await delay(100);
    term.type('\r');
    await term.waitFor(/class TransientError/);
    await term.waitFor(THEN);
    term.type('\x03');
    expect(await term.exit).toBe(130);
  }, 240_000);

  it('a second run on a fixed tree says there is nothing left to do, before any phase', async () => {
    const dir = exampleCopy();
    const first = startPlanner(dir);
    for (;;) {
      const m = await first.waitFor(PROMPT, 120_000);
      if (m[3]) break;
      first.type('\r');
      await first.waitFor(THEN);
      first.type('\r');
    }
    first.type('y');
    await delay(100);
    first.type('\r');
    expect(await first.exit).toBe(0);

    const second = startPlanner(dir);
    await second.waitFor(/Nothing left to fix automatically: \d+ finding\(s\) need a decision by hand/, 120_000);
    expect(await second.exit).toBe(0);
    expect(second.text).not.toMatch(/\? Phase 4\.\d/);
  }, 300_000);
});
