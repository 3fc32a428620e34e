/**
 * Scans and fixes a fixed sample of real JavaScript and TypeScript that nobody here wrote (the
 * installed packages), then checks that the tree is never broken: no crash, every written file
 * re-parses, a second run changes nothing, and no file outside the change list is touched.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/config-schema';
import { computeChanges, type ComputedChanges } from '../../src/engine/compute-changes';
import { writeChanges } from '../../src/engine/write-changes';
import { languageOf } from '../../src/parse/parse-options';
import { scan } from '../../src/scan/scan';
import type { Finding, ScanResult } from '../../src/types';
import { REPO } from '../helpers/cli';
import {
  copyFiles,
  everyKth,
  hashTree,
  reparseProblem,
  shortDiff,
  sourceFilesUnder,
  treeDifferences,
} from '../helpers/robustness';

const NODE_MODULES = path.join(REPO, 'node_modules');
/** at least this many files: every k-th of the sorted walk, k = ⌊candidates / MIN_SAMPLE⌋, so 2,000 to 4,000 files */
const MIN_SAMPLE = 2_000;
const config = defaultConfig();

interface Crash {
  file: string;
  stage: string;
  error: string;
}

interface Run {
  root: string;
  files: string[];
  crashes: Crash[];
  first: ScanResult;
  fix: ComputedChanges;
  before: Map<string, string>;
  after: Map<string, string>;
  second: ScanResult | null;
  refix: ComputedChanges | null;
}

const errorText = (err: unknown): string =>
  err instanceof Error ? (err.stack ?? err.message).split('\n').slice(0, 4).join(' | ') : String(err);

/** Every explicit path is scanned, whatever folder it sits in (dist/, test/, …), as node_modules lays them out. */
function scanSample(root: string, files: string[], crashes: Crash[], stage: string): ScanResult {
  const paths = files.map((f) => path.join(root, f));
  try {
    return scan({ root, paths, config });
  } catch (whole) {
    // find the files that throw, report them, and scan the rest
    const bad = new Set<string>();
    for (const f of files) {
      try {
        scan({ root, paths: [path.join(root, f)], config });
      } catch (err) {
        bad.add(f);
        crashes.push({ file: f, stage, error: errorText(err) });
      }
    }
    if (!bad.size) crashes.push({ file: '(whole sample)', stage, error: errorText(whole) });
    return scan({ root, paths: files.filter((f) => !bad.has(f)).map((f) => path.join(root, f)), config });
  }
}

/** The fix engine over every finding; a file whose fix throws is reported and left out. */
async function fixSample(result: ScanResult, crashes: Crash[], stage: string): Promise<ComputedChanges> {
  try {
    return await computeChanges(result, config);
  } catch (whole) {
    const bad = new Set<string>();
    for (const file of new Set(result.findings.map((f) => f.file))) {
      try {
        await computeChanges(result, config, (f: Finding) => f.file === file);
      } catch (err) {
        bad.add(file);
        crashes.push({ file, stage, error: errorText(err) });
      }
    }
    if (!bad.size) crashes.push({ file: '(whole sample)', stage, error: errorText(whole) });
    return computeChanges(result, config, (f) => !bad.has(f.file));
  }
}

/** A fix step that threw inside the engine: the engine keeps going, but it is a bug. */
function stepFailures(computed: ComputedChanges, stage: string): Crash[] {
  return computed.left
    .filter((l) => / failed: /.test(l.reason))
    .map((l) => ({
      file: `${l.finding.file}:${l.finding.line}`,
      stage: `${stage} (${l.finding.ruleId})`,
      error: l.reason,
    }));
}

let run: Run;

const countBy = (keys: string[]): string => {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return (
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ×${n}`)
      .join('; ') || 'none'
  );
};

beforeAll(async () => {
  const candidates = sourceFilesUnder(NODE_MODULES);
  const step = Math.max(1, Math.floor(candidates.length / MIN_SAMPLE));
  const files = everyKth(candidates, step);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-real-'));
  copyFiles(NODE_MODULES, root, files);
  // a package root inside the sample, so generated modules and dependencies stay in it
  fs.writeFileSync(
    path.join(root, 'package.json'),
    `${JSON.stringify({ name: 'real-code-sample', version: '1.0.0', private: true }, null, 2)}\n`,
  );
  const crashes: Crash[] = [];
  const before = hashTree(root);
  const first = scanSample(root, files, crashes, 'scan');
  const fix = await fixSample(first, crashes, 'fix');
  crashes.push(...stepFailures(fix, 'fix step'));
  let writeError: string | null = null;
  try {
    await writeChanges(root, fix.changes, { allowDirty: true });
  } catch (err) {
    writeError = errorText(err);
    crashes.push({ file: '(write)', stage: 'write', error: writeError });
  }
  const after = hashTree(root);
  let second: ScanResult | null = null;
  let refix: ComputedChanges | null = null;
  if (!writeError) {
    second = scanSample(root, files, crashes, 'second scan');
    refix = await fixSample(second, crashes, 'second fix');
    crashes.push(...stepFailures(refix, 'second fix step'));
  }
  run = { root, files, crashes, first, fix, before, after, second, refix };

  const changed = fix.changes.filter((c) => c.kind === 'modify' && languageOf(c.file) !== null);
  const discarded = fix.left.filter((l) => l.reason.startsWith('rewrite discarded'));
  console.log(
    [
      `real-code sample: ${files.length} files (1 in ${step} of ${candidates.length}; ${files.filter((f) => /\.[cm]?tsx?$/.test(f)).length} TypeScript)`,
      `  scanned: ${first.filesScanned}, parse notes: ${first.notes.filter((n) => n.kind === 'parse-error').length}, skipped: ${first.notes.filter((n) => n.kind !== 'parse-error').length}`,
      `  with findings: ${new Set(first.findings.map((f) => f.file)).size} files, ${first.findings.length} findings (${first.findings.filter((f) => f.fixable).length} fixable)`,
      `  changed: ${changed.length} files, created: ${fix.changes.filter((c) => c.kind === 'create').length}, fixed: ${fix.fixed.length}, left: ${fix.left.length}, discarded rewrites: ${discarded.length}`,
      `  re-parsed: ${fix.changes.filter((c) => languageOf(c.file) !== null).length} files, crashes: ${crashes.length}`,
      `  fixed by rule: ${countBy(fix.fixed.map((f) => f.ruleId))}`,
      `  left by reason: ${countBy(fix.left.map((l) => `${l.finding.ruleId}: ${l.reason}`))}`,
      `  second run: ${refix ? `${refix.changes.length} changes` : 'not run'}`,
    ].join('\n'),
  );
}, 240_000);

afterAll(() => {
  if (run) fs.rmSync(run.root, { recursive: true, force: true });
});

describe('fixing a sample of real packages', () => {
  it('samples at least 2,000 files, both JavaScript and TypeScript', () => {
    expect(run.files.length).toBeGreaterThanOrEqual(MIN_SAMPLE);
    expect(run.files.some((f) => /\.[cm]?ts$/.test(f))).toBe(true);
    expect(run.files.some((f) => /\.[cm]?js$/.test(f))).toBe(true);
    expect(run.first.filesScanned).toBe(run.files.length);
  });

  it('never crashes: scan, fix steps and writes report problems per file instead of throwing', () => {
    const list = run.crashes.map((c) => `${c.file} [${c.stage}]: ${c.error}`).join('\n');
    expect(run.crashes, `crashes:\n${list}`).toEqual([]);
  });

  it('finds and fixes something, so the checks below are not vacuous', () => {
    expect(run.first.findings.length).toBeGreaterThan(0);
    expect(run.fix.changes.some((c) => c.kind === 'modify')).toBe(true);
  });

  it('every written file re-parses without recovered errors', () => {
    const problems: string[] = [];
    for (const c of run.fix.changes) {
      const problem = reparseProblem(c.file, fs.readFileSync(path.join(run.root, c.file), 'utf8'));
      if (problem) problems.push(`${c.file}: ${problem}`);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('touches only the files the change list names', () => {
    const named = new Set(run.fix.changes.map((c) => c.file));
    const untouched = treeDifferences(run.before, run.after).filter((f) => !named.has(f));
    expect(untouched, `changed without being in the change list:\n${untouched.join('\n')}`).toEqual([]);
    const created = run.fix.changes.filter((c) => c.kind === 'create').map((c) => c.file);
    // the generated modules (errors, policies, logger; .mjs/.cjs beside ES/CommonJS modules of those kinds) and their
    // generated failure tests, in __tests__ or beside the modules as the package's own tests are (src/engine/failure-tests.ts testFileFor)
    const unexpected = created.filter(
      (f) =>
        !/(^|\/)resilience\/((__tests__\/)?[^/]+\.failure\.(test|spec)|errors|policies|logger)\.[cm]?[jt]s$/.test(f),
    );
    expect(unexpected, 'created files other than the generated modules').toEqual([]);
    const rewrittenOutside = run.fix.changes.filter(
      (c) => c.kind === 'modify' && !run.files.includes(c.file) && c.file !== 'package.json',
    );
    expect(rewrittenOutside.map((c) => c.file)).toEqual([]);
  });

  it('a second scan and fix changes nothing', () => {
    expect(run.refix, 'the second run did not happen (see the crash list)').not.toBeNull();
    const changes = run.refix!.changes;
    const report = changes
      .map((c) => `${c.file} [${c.fixes.join(', ') || c.kind}]\n${shortDiff(c.file, c.before, c.after)}`)
      .join('\n\n');
    expect(
      changes.map((c) => c.file),
      `not idempotent on real files:\n\n${report}`,
    ).toEqual([]);
  });
});
