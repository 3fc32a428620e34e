import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { listSources, writeCorpus } from './corpus';
import { measure, type Measured } from './measure';
import { CODE_FIX_STEPS } from '../src/registry/fix-steps';

/** Compiled to dist/bench/run.js: the repository is two levels up. */
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'harden-codemod.js');
const dotBin = (name: string): string => path.join(ROOT, 'node_modules', '.bin', name);
/** The fix steps that fix a rule, from the registry (the module-only steps change no code). */
const TRANSFORMS = CODE_FIX_STEPS.filter((s) => s.meta.fixes.length).map((s) => s.name);
/** The fix comparison runs on the smallest corpus: jscodeshift passes are slow. */
const FIX_FILES = Number(process.env.BENCH_FIX_FILES ?? 1000);

interface Row {
  task: 'scan' | 'fix' | 'large file' | 'parse';
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

function row(
  task: Row['task'],
  tool: string,
  corpus: { files: number; bytes: number },
  m: Measured | string,
  findings: number | null = null,
  note?: string,
): Row {
  const mb = round(corpus.bytes / 1e6);
  if (typeof m === 'string')
    return {
      task,
      tool,
      files: corpus.files,
      mb,
      wallS: null,
      mbPerS: null,
      peakRssMb: null,
      findings: null,
      vsHarden: null,
      status: m,
      note,
    };
  const wallS = m.wallMs / 1000;
  return {
    task,
    tool,
    files: corpus.files,
    mb,
    wallS: round(wallS),
    mbPerS: round(corpus.bytes / 1e6 / wallS),
    peakRssMb: m.peakRssMb === null ? null : Math.round(m.peakRssMb),
    findings: m.ok ? findings : null,
    vsHarden: null,
    status: m.ok ? 'ok' : `failed (${m.error})`,
    note,
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
  const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, 'oxlint@^1.94'], {
    encoding: 'utf8',
  });
  const bin = path.join(prefix, 'node_modules', '.bin', 'oxlint');
  return r.status === 0 && fs.existsSync(bin) ? bin : null;
}

/** The finding count of a text report's summary line (`✖ 424 findings (…)`, or none). */
function textFindings(stdout: string): number | null {
  const m = /(\d+) findings?\b/.exec(stdout.split('\n').filter(Boolean).pop() ?? '');
  return m ? Number(m[1]) : /no findings/i.test(stdout) ? 0 : null;
}

/**
 * Share of the corpus files the scan parses: those where some detector's pre-filter matches
 * (the rest are read and matched against the triggers only). Computed in-process with the
 * same detectors and defaults as the CLI.
 */
function parsedShare(dir: string): number | null {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { detectorApplies } = require(
      path.join(ROOT, 'dist', 'src', 'detect', 'detect-file.js'),
    ) as typeof import('../src/detect/detect-file');
    const { codeDetectors } = require(
      path.join(ROOT, 'dist', 'src', 'registry', 'detectors.js'),
    ) as typeof import('../src/registry/detectors');
    const { defaultConfig } = require(
      path.join(ROOT, 'dist', 'src', 'config', 'config-schema.js'),
    ) as typeof import('../src/config/config-schema');
    const { languageOf } = require(
      path.join(ROOT, 'dist', 'src', 'parse', 'parse-options.js'),
    ) as typeof import('../src/parse/parse-options');
    const project = {
      root: dir,
      config: defaultConfig(),
      iacHandlers: new Map(),
      usesLambda: false,
      packageDependencies: new Set<string>(),
    };
    let files = 0;
    let parsed = 0;
    for (const part of fs.readdirSync(dir)) {
      for (const name of fs.readdirSync(path.join(dir, part))) {
        const lang = languageOf(name);
        if (!lang) continue;
        files++;
        const text = fs.readFileSync(path.join(dir, part, name), 'utf8');
        const file = { path: `${part}/${name}`, absPath: path.join(dir, part, name), text, lang };
        // the first pass: the callers facts are read in a second pass around changed contracts only
        if (codeDetectors.some((d) => d.name !== 'callers' && detectorApplies(d, file, project))) parsed++;
      }
    }
    return files ? round((100 * parsed) / files, 1) : null;
  } catch {
    return null; // an older build without detectorApplies
  }
}

function scanRows(
  dir: string,
  corpus: { files: number; bytes: number },
  tmp: string,
  eslintConfig: string,
  cacheFlag: string[],
): Row[] {
  const rows: Row[] = [];
  // the default text report: detection only, as a linter reports
  const h = measure(process.execPath, [BIN, 'scan', dir, '--quiet', ...cacheFlag], { cwd: tmp, tmp, okCodes: [0, 1] });
  const share = parsedShare(dir);
  rows.push(
    row(
      'scan',
      'harden-codemod (all rules, cold)',
      corpus,
      h,
      textFindings(h.stdout),
      share === null ? undefined : `${share}% of files parsed`,
    ),
  );
  // the same scan again with the on-disk cache: unchanged files are not detected again
  const cached = ['scan', dir, '--quiet'];
  measure(process.execPath, [BIN, ...cached], { cwd: tmp, tmp, okCodes: [0, 1] });
  const warm = measure(process.execPath, [BIN, ...cached], { cwd: tmp, tmp, okCodes: [0, 1] });
  rows.push(row('scan', 'harden-codemod (all rules, warm cache)', corpus, warm, textFindings(warm.stdout)));
  // JSON, SARIF and --dry-run reports settle `fixable` by computing every fix in memory
  const json = measure(process.execPath, [BIN, 'scan', dir, '--format', 'json', ...cacheFlag], {
    cwd: tmp,
    tmp,
    okCodes: [0, 1],
  });
  rows.push(
    row(
      'scan',
      'harden-codemod --format json (also computes every fix)',
      corpus,
      json,
      safeJson<{ findings: unknown[] }>(json.stdout)?.findings.length ?? null,
    ),
  );

  if (fs.existsSync(dotBin('eslint'))) {
    const e = measure(dotBin('eslint'), ['-c', eslintConfig, '--format', 'json', dir], {
      cwd: tmp,
      tmp,
      okCodes: [0, 1],
    });
    const results = safeJson<Array<{ messages: Array<{ ruleId: string | null; fatal?: boolean }> }>>(e.stdout) ?? [];
    const messages = results.flatMap((r) => r.messages);
    const fatal = messages.filter((m) => m.fatal).length;
    rows.push(
      row(
        'scan',
        'ESLint (no-console, no-empty)',
        corpus,
        e,
        messages.filter((m) => m.ruleId).length,
        `${fatal} files failed to parse`,
      ),
    );
  } else rows.push(row('scan', 'ESLint (no-console, no-empty)', corpus, 'not installed'));

  const oxlint = oxlintBin(tmp);
  if (oxlint) {
    const o = measure(oxlint, ['-A', 'all', '-D', 'no-console', '-D', 'no-empty', dir], {
      cwd: tmp,
      tmp,
      okCodes: [0, 1],
    });
    const found = /Found (\d+) warnings? and (\d+) errors?/.exec(o.stdout);
    rows.push(
      row('scan', 'oxlint (no-console, no-empty)', corpus, o, found ? Number(found[1]) + Number(found[2]) : null),
    );
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
    const m = measure(
      dotBin('jscodeshift'),
      ['-t', path.join(ROOT, 'transforms', `${t}.ts`), '--parser=tsx', '--dry', '--silent', dir],
      { cwd: ROOT, tmp, okCodes: [0, 1] },
    );
    wallMs += m.wallMs;
    peak = Math.max(peak, m.peakRssMb ?? 0);
    if (!m.ok) failures.push(`${t}: ${m.error}`);
  }
  const total: Measured = {
    ok: failures.length === 0,
    wallMs,
    peakRssMb: peak || null,
    exitCode: 0,
    stdout: '',
    error: failures.join('; '),
  };
  rows.push(
    row(
      'fix',
      label,
      corpus,
      total,
      null,
      missing.length ? `skipped (no transform yet): ${missing.join(', ')}` : undefined,
    ),
  );
  return rows;
}

/**
 * The parse alone, @babel/parser as detection runs it against oxc-parser (installed into the
 * benchmark's temp folder, as oxlint is), in one child process over the same files, each twice:
 * the second pass is what a worker sees once its JIT is warm. oxc-parser returns ESTree, so
 * adopting it would add a conversion to the Babel shapes the detectors read on top of its time.
 */
function parseRows(dir: string, corpus: { files: number; bytes: number }, tmp: string): Row[] {
  const prefix = path.join(tmp, 'tools');
  const install = spawnSync(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, 'oxc-parser@^0.159'],
    { encoding: 'utf8' },
  );
  const oxc = path.join(prefix, 'node_modules', 'oxc-parser');
  if (install.status !== 0 || !fs.existsSync(oxc)) return [row('parse', 'oxc-parser', corpus, 'not installed')];
  const script = path.join(tmp, 'parse-compare.js');
  fs.writeFileSync(
    script,
    `
const fs = require('fs'), path = require('path');
const { parseSync, rawTransferSupported } = require(${JSON.stringify(oxc)});
const { parseSource } = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'parse', 'parse-source.js'))});
const { languageOf } = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'parse', 'parse-options.js'))});
const files = [];
for (const part of fs.readdirSync(process.argv[2])) for (const n of fs.readdirSync(path.join(process.argv[2], part))) files.push(path.join(process.argv[2], part, n));
const texts = files.map((f) => [f, fs.readFileSync(f, 'utf8'), languageOf(f)]).filter((x) => x[2]);
const time = (fn) => { const s = process.hrtime.bigint(); let failed = 0; for (const [f, t, l] of texts) { try { if (!fn(f, t, l)) failed++; } catch { failed++; } } return { ms: Number(process.hrtime.bigint() - s) / 1e6, failed }; };
const babel = (f, t, l) => parseSource(t, l).ok;
const oxc = (f, t, l) => parseSync(path.basename(f).replace(/\\.[cm]js$/, '.js'), t, { lang: l === 'js' ? 'jsx' : l }).program !== undefined;
const out = { babelCold: time(babel), oxcCold: time(oxc), babelWarm: time(babel), oxcWarm: time(oxc), rawTransfer: typeof rawTransferSupported === 'function' && rawTransferSupported() };
process.stdout.write(JSON.stringify(out));
`,
  );
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [script, dir], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const out = safeJson<
    Record<'babelCold' | 'oxcCold' | 'babelWarm' | 'oxcWarm', { ms: number; failed: number }> & { rawTransfer: boolean }
  >(r.stdout);
  if (!out) return [row('parse', 'oxc-parser', corpus, `failed (${(r.stderr ?? '').split('\n').slice(-2).join(' ')})`)];
  // oxc's fast path (raw transfer: the AST read straight from Rust's memory) needs Node >= 22;
  // without it every AST crosses as JSON, which is what these rows measure
  const rawNote = out.rawTransfer
    ? 'raw transfer available, not used'
    : `no raw transfer on Node ${process.versions.node}`;
  const m = (ms: number): Measured => ({ ok: true, wallMs: ms, peakRssMb: null, exitCode: 0, stdout: '' });
  void wall;
  const rows = [
    row(
      'parse',
      'harden-codemod: @babel/parser, cold (first pass)',
      corpus,
      m(out.babelCold.ms),
      null,
      `${out.babelCold.failed} files failed`,
    ),
    row(
      'parse',
      'oxc-parser 0.159, cold (first pass)',
      corpus,
      m(out.oxcCold.ms),
      null,
      `${out.oxcCold.failed} files failed; ${rawNote}`,
    ),
    row(
      'parse',
      'harden-codemod: @babel/parser, warm (second pass)',
      corpus,
      m(out.babelWarm.ms),
      null,
      `${out.babelWarm.failed} files failed`,
    ),
    row(
      'parse',
      'oxc-parser 0.159, warm (second pass)',
      corpus,
      m(out.oxcWarm.ms),
      null,
      `${out.oxcWarm.failed} files failed`,
    ),
  ];
  // each oxc row against the Babel row of the same pass
  rows[1]!.vsHarden = round(out.oxcCold.ms / out.babelCold.ms);
  rows[3]!.vsHarden = round(out.oxcWarm.ms / out.babelWarm.ms);
  return rows;
}

/**
 * 8,000 dependency calls (a generated API client) in one file against the same calls split over
 * 8 files: the cost inside one file must stay linear.
 */
function largeFileRows(tmp: string, cacheFlag: string[]): Row[] {
  const calls = 8000;
  const client = (from: number, count: number): string => {
    let text = "import axios from 'axios';\nconst api = axios.create({ baseURL: process.env.API_URL });\n";
    for (let i = from; i < from + count; i++)
      text += `export async function get${i}(id: string) {\n  const res = await api.get(\`/items/${i}/\${id}\`);\n  return res.data;\n}\n`;
    return text;
  };
  const rows: Row[] = [];
  for (const parts of [8, 1]) {
    const dir = path.join(tmp, `calls-${parts}`);
    fs.mkdirSync(dir, { recursive: true });
    let bytes = 0;
    for (let p = 0; p < parts; p++) {
      const text = client((p * calls) / parts, calls / parts);
      fs.writeFileSync(path.join(dir, `client-${p}.ts`), text);
      bytes += text.length;
    }
    const m = measure(process.execPath, [BIN, 'scan', dir, '--quiet', ...cacheFlag], {
      cwd: tmp,
      tmp,
      okCodes: [0, 1],
    });
    rows.push(
      row(
        'large file',
        `harden-codemod, ${calls} calls in ${parts === 1 ? 'one file' : `${parts} files`}`,
        { files: parts, bytes },
        m,
        textFindings(m.stdout),
      ),
    );
  }
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
    lines.push(
      `| ${r.task} | ${r.tool} | ${r.files} | ${r.mb} | ${cell(r.wallS)} | ${cell(r.mbPerS)} | ${cell(r.peakRssMb)} | ${cell(r.findings)} | ${r.vsHarden === null ? '—' : `${r.vsHarden}×`} | ${status} |`,
    );
  }
  return lines.join('\n');
}

/** Each tool's time relative to harden-codemod's on the same corpus and task. */
function addRatios(rows: Row[]): void {
  for (const r of rows) {
    if (r.task === 'parse') continue;
    const base = rows.find(
      (b) =>
        b.task === r.task && (b.files === r.files || b.task === 'large file') && b.tool.startsWith('harden-codemod'),
    );
    if (base && base !== r && base.status === 'ok' && base.wallS && r.wallS !== null)
      r.vsHarden = round(r.wallS / base.wallS);
  }
}

function main(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('build first: npm run build');
  const started = Date.now();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'harden-bench-'));
  const sources = listSources(path.join(ROOT, 'node_modules'));
  const wanted = process.env.BENCH_SIZES
    ? process.env.BENCH_SIZES.split(',').map(Number)
    : [1000, 3000, sources.length];
  const sizes = [...new Set(wanted.map((n) => Math.min(n, sources.length)))];
  process.stderr.write(
    `corpus: ${sources.length} JS/TS files from node_modules; sizes ${sizes.join(', ')}; in ${tmp}\n`,
  );
  const eslintConfig = path.join(tmp, 'eslint.config.mjs');
  fs.writeFileSync(
    eslintConfig,
    "export default [{ files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'], rules: { 'no-console': 'error', 'no-empty': 'error' } }];\n",
  );
  // the cache would make repeated runs measure nothing; older builds have no such flag
  const help = spawnSync(process.execPath, [BIN, 'scan', '--help'], { encoding: 'utf8' }).stdout ?? '';
  const cacheFlag = help.includes('--no-cache') ? ['--no-cache'] : [];

  const loadBefore = os.loadavg().map((l) => round(l));
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
  const parseCorpus = corpora.get(sizes.find((s) => s >= 3000) ?? sizes[sizes.length - 1]!)!;
  process.stderr.write(`parse: ${parseCorpus.files} files, @babel/parser against oxc-parser\n`);
  rows.push(...parseRows(parseCorpus.dir, parseCorpus, tmp));
  process.stderr.write('large file: 8000 calls\n');
  rows.push(...largeFileRows(tmp, cacheFlag));
  addRatios(rows);

  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.availableParallelism(),
    /** 1, 5 and 15 minute load averages before and after: the machine is shared, read ratios, not seconds */
    loadAverage: { before: loadBefore, after: os.loadavg().map((l) => round(l)) },
    corpus: {
      source: 'node_modules (sorted walk; no .min.js, .d.ts, tests, files > 500 KB)',
      files: sources.length,
      mb: round(sources.reduce((n, f) => n + f.bytes, 0) / 1e6),
    },
    harden: { noCacheFlag: cacheFlag.length > 0 },
    benchSeconds: round((Date.now() - started) / 1000, 1),
    rows,
  };
  const table = markdown(rows);
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `${table}\n\nload average (1/5/15 min) before ${loadBefore.join(' / ')}, after ${result.loadAverage.after.join(' / ')}; ${result.cpus} CPUs; Node ${process.version}\n\n${JSON.stringify(result, null, 2)}\n`,
  );
  if (!process.env.BENCH_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
}

main();
