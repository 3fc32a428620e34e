import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, copyTree, runCli } from './cli';

/*
 * Runs a service the way it runs in production, for behavioural tests of its fixes: a copy is
 * fixed by the CLI, compiled with the project's TypeScript, and its server or Lambda handlers
 * are started in child processes (so a crash is observed, not suffered), against local fakes
 * of its dependencies. Every wait is bounded.
 */

const TSC = path.join(REPO, 'node_modules/typescript/bin/tsc');

/** A copy of `src` with `fix --yes` applied (extra CLI args appended); throws with the output when the fix fails. */
export function fixedCopy(src: string, extraArgs: string[] = [], prefix = 'hc-behaviour-'): string {
  const dir = copyTree(src, prefix);
  const run = runCli(['fix', '--yes', '--allow-dirty', ...extraArgs, dir]);
  if (run.code !== 0 && run.code !== 1) throw new Error(`fix failed (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  return dir;
}

/**
 * Compiles a TypeScript service (its own tsconfig.json, emitting CommonJS/ESM as configured) into
 * `<dir>/.behaviour-dist`, with the project's node_modules linked in so that its libraries
 * resolve. Returns the output directory; throws with tsc's output on a type error.
 */
export function buildService(dir: string): string {
  const modules = path.join(dir, 'node_modules');
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(REPO, 'node_modules'), modules, 'dir');
  const out = path.join(dir, '.behaviour-dist');
  const r = spawnSync(
    process.execPath,
    [
      TSC,
      '-p',
      'tsconfig.json',
      '--noEmit',
      'false',
      '--outDir',
      out,
      '--declaration',
      'false',
      '--sourceMap',
      'false',
    ],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`tsc failed in ${dir}:\n${r.stdout}${r.stderr}`);
  return out;
}

export interface RunningServer {
  url: string;
  proc: ChildProcess;
  /** stdout + stderr so far */
  output(): string;
  /** false once the process has exited (a crash, or stop()) */
  alive(): boolean;
  exitCode(): number | null;
  stop(): Promise<void>;
}

/** A free port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node <entry>` with `PORT` set to a free port and `env` on top of the current
 * environment; resolves once the port accepts connections (at most `startMs`).
 */
export async function startServer(
  entry: string,
  env: Record<string, string>,
  startMs = 15_000,
): Promise<RunningServer> {
  const port = await freePort();
  let out = '';
  let exited: number | null = null;
  let running = true;
  const proc = spawn(process.execPath, [entry], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  proc.stderr!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  proc.on('exit', (code) => {
    running = false;
    exited = code;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startMs;
  for (;;) {
    if (!running) throw new Error(`server exited (${exited}) before listening:\n${out}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(500) });
      break;
    } catch {
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`server did not listen within ${startMs} ms:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    proc,
    output: () => out,
    alive: () => running,
    exitCode: () => exited,
    stop: () =>
      new Promise((resolve) => {
        if (!running) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      }),
  };
}

export interface TimedResponse {
  status: number;
  headers: Headers;
  body: string;
  elapsedMs: number;
}

/** A request to a running server, bounded in time; a refused or reset connection is status 0. */
export async function request(url: string, init: RequestInit = {}, limitMs = 20_000): Promise<TimedResponse> {
  const started = Date.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(limitMs) });
    const body = await res.text();
    return { status: res.status, headers: res.headers, body, elapsedMs: Date.now() - started };
  } catch {
    return { status: 0, headers: new Headers(), body: '', elapsedMs: Date.now() - started };
  }
}

export interface Invocation {
  /** the handler's resolved value, when it resolved */
  result?: unknown;
  /** the rejection's name and message, when it rejected */
  error?: { name: string; message: string };
  /** the child's exit code: 0 after a result or a rejection, else a crash */
  exitCode: number | null;
  elapsedMs: number;
  output: string;
}

const INVOKER = `
const [file, name, eventJson] = process.argv.slice(1);
const mod = require(file);
const handler = mod[name] ?? (mod.default && mod.default[name]);
const context = { awsRequestId: 'req-1', functionName: 'fn', getRemainingTimeInMillis: () => 30000, callbackWaitsForEmptyEventLoop: true };
Promise.resolve(handler(JSON.parse(eventJson), context, () => {})).then(
  (result) => { process.stdout.write('\\n@@RESULT ' + JSON.stringify(result === undefined ? null : result) + '\\n'); process.exit(0); },
  (err) => { process.stdout.write('\\n@@ERROR ' + JSON.stringify({ name: err && err.name, message: err && err.message }) + '\\n'); process.exit(0); },
);
`;

/**
 * Invokes a compiled Lambda handler once in a child process, as the Lambda runtime would (the
 * module loaded fresh, one event, a context), with `env` on top of the current environment.
 * Killed after `limitMs` (exit code null).
 */
export function invokeHandler(
  file: string,
  exportName: string,
  event: unknown,
  env: Record<string, string>,
  limitMs = 30_000,
): Promise<Invocation> {
  const started = Date.now();
  return new Promise((resolve) => {
    let out = '';
    const proc = spawn(process.execPath, ['-e', INVOKER, file, exportName, JSON.stringify(event)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => proc.kill('SIGKILL'), limitMs);
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
    });
    proc.stderr!.on('data', (c: Buffer) => {
      out += c.toString();
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      const result = /\n@@RESULT (.*)\n/.exec(out);
      const error = /\n@@ERROR (.*)\n/.exec(out);
      resolve({
        result: result ? JSON.parse(result[1]!) : undefined,
        error: error ? JSON.parse(error[1]!) : undefined,
        exitCode: code,
        elapsedMs: Date.now() - started,
        output: out,
      });
    });
  });
}
