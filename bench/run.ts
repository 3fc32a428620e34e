import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { listSources, writeCorpus } from './corpus';
import { measure, type Measured } from './measure';

/** Compiled to dist/bench/run.js: the repository is two levels up. */
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'harden-codemod.js');
const dotBin = (name: string): string => path.join(ROOT, 'node_modules', '.bin', name);
const TRANSFORMS = ['add-timeout', 'console-to-logger', 'swallowed-catch', 'wrap-in-policy'];
/** The fix comparison runs on the smallest corpus: jscodeshift passes are slow. */
const FIX_FILES = Number(process.env.BENCH_FIX_FILES ?? 1000);

interface Row {
  task: 'scan' | 'fix';
  tool: string;
  files: number;
  mb: number;
  wallS: number | null;
  mbPerS: number | null;
  peakRssMb: number | null;
  findings: number | null;
  /** this tool's wall time divided by harden-codemod's on the same files */
  vsHarden: number | null;
  status: string;
  note?: string;
}

const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d;

function row(task: Row['task'], tool: string, corpus: { files: number; bytes: number }, m: Measured | string, findings: number | null = null, note?: string): Row {
  const mb = round(corpus.bytes / 1e6);
  if (typeof m === 'string') return { task, tool, files: corpus.files, mb, wallS: null, mbPerS: null, peakRssMb: null, findings: null, vsHarden: null, status: m, note };
  const wallS = m.wallMs / 1000;
  return {
    task, tool, files: corpus.files, mb,
    wallS: round(wallS), mbPerS: round(corpus.bytes / 1e6 / wallS), peakRssMb: m.peakRssMb === null ? null : Math.round(m.peakRssMb),
    findings: m.ok ? findings : null, vsHarden: null, status: m.ok ? 'ok' : `failed (${m.error})`, note,
  };
}

function safeJson<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/**
 * oxlint is not a devDependency (its per-platform binary packages keep package-lock.json from
 * installing with `npm ci` on every platform): the benchmark installs it into its own temp folder.
 */
function oxlintBin(tmp: string): string | null {
  if (fs.existsSync(dotBin('oxlint'))) return dotBin('oxlint');
  const prefix = path.join(tmp, 'tools');
  const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, 'oxlint@^1.94'], { encoding: 'utf8' });
  const bin = path.join(prefix, 'node_modules', '.bin', 'oxlint');
  return r.status === 0 && fs.existsSync(bin) ? bin : null;
}

function scanRows(dir: string, corpus: { files: number; bytes: number }, tmp: string, eslintConfig: string, cacheFlag: string[]): Row[] {
  const rows: Row[] = [];
  const h = measure(process.execPath, [BIN, 'scan', dir, '--format', 'json', ...cacheFlag], { cwd: tmp, tmp, okCodes: [0, 1] });
  rows.push(row('scan', 'harden-codemod (all rules)', corpus, h, safeJson<{ findings: unknown[] }>(h.stdout)?.findings.length ?? null));

  if (fs.existsSync(dotBin('eslint'))) {
    const e = measure(dotBin('eslint'), ['-c', eslintConfig, '--format', 'json', dir], { cwd: tmp, tmp, okCodes: [0, 1] });
    const results = safeJson<Array<{ messages: Array<{ ruleId: string | null; fatal?: boolean }> }>>(e.stdout) ?? [];
    const messages = results.flatMap((r) => r.messages);
    const fatal = messages.filter((m) => m.fatal).length;
    rows.push(row('scan', 'ESLint (no-console, no-empty)', corpus, e, messages.filter((m) => m.ruleId).length, `${fatal} files failed to parse`));
  } else rows.push(row('scan', 'ESLint (no-console, no-empty)', corpus, 'not installed'));

  const oxlint = oxlintBin(tmp);
  if (oxlint) {
    const o = measure(oxlint, ['-A', 'all', '-D', 'no-console', '-D', 'no-empty', dir], { cwd: tmp, tmp, okCodes: [0, 1] });
    const found = /Found (\d+) warnings? and (\d+) errors?/.exec(o.stdout);
    rows.push(row('scan', 'oxlint (no-console, no-empty)', corpus, o, found ? Number(found[1]) + Number(found[2]) : null));
  } else rows.push(row('scan', 'oxlint (no-console, no-empty)', corpus, 'not installed'));
  return rows;
}

function fixRows(dir: string, corpus: { files: number; bytes: number }, tmp: string): Row[] {
  const rows: Row[] = [];
  let fix = measure(process.execPath, [BIN, 'fix', '--dry-run', dir], { cwd: tmp, tmp, okCodes: [0, 1] });
  let note: string | undefined;
  if (!fix.ok && fix.error?.includes('--dry-run')) {
    // the bare command previews every fix too; used while `fix --dry-run` loses its flag
    fix = measure(process.execPath, [BIN, '--dry-run', dir], { cwd: tmp, tmp, okCodes: [0, 1] });
    note = 'ran as `harden-codemod --dry-run <dir>`: `fix --dry-run` was rejected';
  }
  rows.push(row('fix', 'harden-codemod fix --dry-run (all fixes, one pass)', corpus, fix, null, note));
  const present = TRANSFORMS.filter((t) => fs.existsSync(path.join(ROOT, 'transforms', `${t}.ts`)));
  const missing = TRANSFORMS.filter((t) => !present.includes(t));
  const label = `jscodeshift, one pass per transform (${present.join(', ') || 'none'})`;
  if (!fs.existsSync(dotBin('jscodeshift'))) return [...rows, row('fix', label, corpus, 'not installed')];
  if (present.length === 0) return [...rows, row('fix', label, corpus, 'no transforms yet')];
  let wallMs = 0;
  let peak = 0;
  const failures: string[] = [];
  for (const t of present) {
    const m = measure(dotBin('jscodeshift'), ['-t', path.join(ROOT, 'transforms', `${t}.ts`), '--parser=tsx', '--dry', '--silent', dir], { cwd: ROOT, tmp, okCodes: [0, 1] });
    wallMs += m.wallMs;
    peak = Math.max(peak, m.peakRssMb ?? 0);
    if (!m.ok) failures.push(`${t}: ${m.error}`);
  }
  const total: Measured = { ok: failures.length === 0, wallMs, peakRssMb: peak || null, exitCode: 0, stdout: '', error: failures.join('; ') };
  rows.push(row('fix', label, corpus, total, null, missing.length ? `skipped (no transform yet): ${missing.join(', ')}` : undefined));
  return rows;
}

function markdown(rows: Row[]): string {
  const cell = (v: number | string | null | undefined): string => (v === null || v === undefined ? '—' : String(v));
  const lines = [
    '| task | tool | files | MB | wall s | MB/s | peak RSS MB | findings | time vs harden-codemod | status |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const r of rows) {
    const status = r.note ? `${r.status}; ${r.note}` : r.status;
    lines.push(`| ${r.task} | ${r.tool} | ${r.files} | ${r.mb} | ${cell(r.wallS)} | ${cell(r.mbPerS)} | ${cell(r.peakRssMb)} | ${cell(r.findings)} | ${r.vsHarden === null ? '—' : `${r.vsHarden}×`} | ${status} |`);
  }
  return lines.join('\n');
}

/** Each tool's time relative to harden-codemod's on the same corpus and task. */
function addRatios(rows: Row[]): void {
  for (const r of rows) {
    const base = rows.find((b) => b.task === r.task && b.files === r.files && b.tool.startsWith('harden-codemod'));
    if (base && base !== r && base.status === 'ok' && base.wallS && r.wallS !== null) r.vsHarden = round(r.wallS / base.wallS);
  }
}

function main(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('build first: npm run build');
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-bench-'));
  const sources = listSources(path.join(ROOT, 'node_modules'));
  const sizes = [...new Set([1000, 3000, sources.length].filter((n) => n <= sources.length))];
  process.stderr.write(`corpus: ${sources.length} JS/TS files from node_modules; sizes ${sizes.join(', ')}; in ${tmp}\n`);
  const eslintConfig = path.join(tmp, 'eslint.config.mjs');
  fs.writeFileSync(eslintConfig, "export default [{ files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'], rules: { 'no-console': 'error', 'no-empty': 'error' } }];\n");
  // the cache would make repeated runs measure nothing; older builds have no such flag
  const help = spawnSync(process.execPath, [BIN, 'scan', '--help'], { encoding: 'utf8' }).stdout ?? '';
  const cacheFlag = help.includes('--no-cache') ? ['--no-cache'] : [];

  const rows: Row[] = [];
  const corpora = new Map<number, { dir: string; files: number; bytes: number }>();
  for (const size of sizes) {
    const dir = path.join(tmp, `corpus-${size}`);
    const corpus = writeCorpus(path.join(ROOT, 'node_modules'), sources, size, dir);
    corpora.set(size, { dir, ...corpus });
    process.stderr.write(`scan: ${size} files (${(corpus.bytes / 1e6).toFixed(1)} MB)\n`);
    rows.push(...scanRows(dir, corpus, tmp, eslintConfig, cacheFlag));
  }
  const fixSize = sizes.find((s) => s >= FIX_FILES) ?? sizes[sizes.length - 1]!;
  const fixCorpus = corpora.get(fixSize)!;
  process.stderr.write(`fix: ${fixSize} files\n`);
  rows.push(...fixRows(fixCorpus.dir, fixCorpus, tmp));
  addRatios(rows);

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.availableParallelism(),
    loadAverage: os.loadavg().map((l) => round(l)),
    corpus: { source: 'node_modules (sorted walk; no .min.js, .d.ts, tests, files > 500 KB)', files: sources.length, mb: round(sources.reduce((n, f) => n + f.bytes, 0) / 1e6) },
    harden: { noCacheFlag: cacheFlag.length > 0 },
    benchSeconds: round((Date.now() - started) / 1000, 1),
    rows,
  };
  const table = markdown(rows);
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${table}\n\n${JSON.stringify(result, null, 2)}\n`);
  if (!process.env.BENCH_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
}

main();
