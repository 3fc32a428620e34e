import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Measured {
  ok: boolean;
  wallMs: number;
  /** peak resident set size of the (largest) process, MB; null when it cannot be measured */
  peakRssMb: number | null;
  exitCode: number | null;
  stdout: string;
  /** last lines of stderr, for a failed run */
  error?: string;
}

const TIME = '/usr/bin/time';
const HAS_TIME = fs.existsSync(TIME) && spawnSync(TIME, ['-v', 'true']).status === 0;

/** Writes a preload that reports a Node child's own peak RSS, for machines without GNU time. */
function rssPreload(dir: string): string {
  const file = path.join(dir, 'report-rss.js');
  if (!fs.existsSync(file)) {
    fs.writeFileSync(
      file,
      "process.on('exit', () => { try { require('fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });\n",
    );
  }
  return file;
}

/**
 * Runs a command once and measures wall time and peak RSS: with `/usr/bin/time -v` when
 * present (covers native binaries and child processes), else through a preload for Node
 * commands. `okCodes` are the exit codes that mean "ran" (linters exit 1 on findings).
 */
export function measure(
  cmd: string,
  args: string[],
  opts: { cwd: string; tmp: string; okCodes?: number[]; timeoutMs?: number },
): Measured {
  const rssFile = path.join(opts.tmp, `rss-${process.pid}.txt`);
  fs.rmSync(rssFile, { force: true });
  let file = cmd;
  let argv = args;
  const env = { ...process.env, CI: '1', FORCE_COLOR: '0', BENCH_RSS_FILE: rssFile };
  if (HAS_TIME) {
    file = TIME;
    argv = ['-v', cmd, ...args];
  } else if (cmd === process.execPath) {
    argv = ['--require', rssPreload(opts.tmp), ...args];
  }
  const started = process.hrtime.bigint();
  const run = spawnSync(file, argv, {
    cwd: opts.cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    timeout: opts.timeoutMs ?? 300_000,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const stderr = run.stderr ?? '';
  let peakRssMb: number | null = null;
  const timeRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  if (timeRss) peakRssMb = Number(timeRss[1]) / 1024;
  else if (fs.existsSync(rssFile)) peakRssMb = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
  const ok = run.error === undefined && run.status !== null && (opts.okCodes ?? [0]).includes(run.status);
  // GNU time appends its report after the command's own stderr
  const own = HAS_TIME
    ? stderr
        .slice(0, Math.max(0, stderr.lastIndexOf('\tCommand being timed:')))
        .replace(/Command exited with non-zero status \d+\s*$/, '')
    : stderr;
  const tail = own.split('\n').filter(Boolean).slice(-3).join(' | ');
  return {
    ok,
    wallMs,
    peakRssMb,
    exitCode: run.status,
    stdout: run.stdout ?? '',
    error: ok
      ? undefined
      : run.error
        ? String(run.error.message)
        : `exit ${run.status}${run.signal ? ` (${run.signal})` : ''}: ${tail}`,
  };
}
