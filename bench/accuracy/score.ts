import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import { checkoutDir, readLabelsDir, type ServiceLabels } from './label-schema';
import { byClass, classTable } from './by-class';
import { combine, matchFindings, scoreOf, withoutRules, type MatchResult, type Score } from './match';
import { detailLists, DOMINANT_RULE, ruleTable } from './report-table';
import { runScan } from './run-scan';

/** Compiled to dist/bench/accuracy/score.js: the repository is three levels up. */
const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'harden-codemod.js');
const HERE = path.join(REPO, 'bench', 'accuracy');

const USAGE = `usage: npm run accuracy -- [--root /tmp/realcode] [--service name] [--min-recall 0.85] [--min-precision 0.9] [--set all|dev|held-out] [--out file] [--quiet]
  --root           folder holding one checkout per labelled repository, named owner+name
  --service        score only this service (repeatable)
  --min-recall     exit 1 when the chosen set's overall recall is below this
  --min-precision  exit 1 when the chosen set's overall precision is below this
  --set            the set the thresholds apply to (default all)
  --out            results JSON (default bench/accuracy/results.json)
  --quiet          only the tables, no lists of misses and findings`;

function catalogRules(): string[] {
  const catalog = YAML.parse(fs.readFileSync(path.join(REPO, 'config', 'anti-patterns.yaml'), 'utf8')) as {
    rules: Array<{ id: string }>;
  };
  return catalog.rules.map((r) => r.id);
}

function threshold(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new Error(`${name} must be a number between 0 and 1 (got "${value}")`);
  return n;
}

interface ServiceRun {
  labels: ServiceLabels;
  result: MatchResult;
  wallMs: number;
}

function setScores(
  runs: readonly ServiceRun[],
  rules: readonly string[],
): { overall: Score; overallWithoutLogging: Score; byRule: Record<string, Score> } {
  const joined = combine(runs.map((r) => r.result));
  const byRule: Record<string, Score> = {};
  for (const rule of rules) {
    const s = scoreOf(joined, rule);
    if (s.labelled + s.reported + s.lookAlikes > 0) byRule[rule] = s;
  }
  return { overall: scoreOf(joined), overallWithoutLogging: scoreOf(withoutRules(joined, [DOMINANT_RULE])), byRule };
}

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      root: { type: 'string', default: '/tmp/realcode' },
      service: { type: 'string', multiple: true },
      'min-recall': { type: 'string' },
      'min-precision': { type: 'string' },
      set: { type: 'string', default: 'all' },
      out: { type: 'string', default: path.join(HERE, 'results.json') },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const minRecall = threshold(values['min-recall'], '--min-recall');
  const minPrecision = threshold(values['min-precision'], '--min-precision');
  if (!['all', 'dev', 'held-out'].includes(values.set))
    throw new Error(`--set must be all, dev or held-out (got "${values.set}")`);

  const rules = catalogRules();
  const all = readLabelsDir(path.join(HERE, 'labels')).filter(
    (l) => !values.service || values.service.includes(l.service),
  );
  for (const l of all) {
    const unknown = [...new Set(l.entries.map((e) => e.rule).filter((r) => !rules.includes(r)))];
    if (unknown.length) throw new Error(`${l.service}: rule ids not in the catalog: ${unknown.join(', ')}`);
  }

  const runs: ServiceRun[] = [];
  const skipped: string[] = [];
  for (const labels of all) {
    const dir = checkoutDir(path.resolve(values.root), labels);
    if (!fs.existsSync(dir)) {
      skipped.push(`${labels.service} (no checkout at ${dir})`);
      continue;
    }
    const scan = runScan(BIN, dir);
    runs.push({ labels, result: matchFindings(labels.entries, scan.findings), wallMs: scan.wallMs });
  }

  const sets = {
    dev: runs.filter((r) => !r.labels.heldOut),
    'held-out': runs.filter((r) => r.labels.heldOut),
    all: runs,
  };
  const out: string[] = [];
  for (const r of runs) {
    const s = scoreOf(r.result);
    out.push(
      `${r.labels.service.padEnd(34)} ${r.labels.heldOut ? 'held-out' : 'dev     '} recall ${s.recall?.toFixed(2) ?? '-'} (${s.found}/${s.labelled})  precision ${s.precision?.toFixed(2) ?? '-'} (${s.correct}/${s.correct + s.wrong}, ${s.unjudged} unjudged)  look-alikes flagged ${s.lookAlikesFlagged}/${s.lookAlikes}  ${(r.wallMs / 1000).toFixed(1)} s`,
    );
  }
  out.push('');
  for (const [name, set] of Object.entries(sets))
    if (set.length)
      out.push(
        ruleTable(`${name} (${set.map((r) => r.labels.service).join(', ')})`, combine(set.map((r) => r.result)), rules),
      );
  if (skipped.length) out.push(`not scored: ${skipped.join('; ')}`, '');
  const perService = runs.map((r) => ({ service: r.labels.service, result: r.result }));
  const classes = byClass(perService);
  out.push(
    classTable('misses by class of code', classes.misses),
    classTable('wrong findings by class of code', classes.wrong),
  );
  if (!values.quiet) out.push(detailLists(perService));
  process.stdout.write(`${out.join('\n')}\n`);

  const results = {
    version: 1,
    scanner: JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version as string,
    byClass: classes,
    sets: Object.fromEntries(
      Object.entries(sets).map(([name, set]) => [
        name,
        { services: set.map((r) => r.labels.service), ...setScores(set, rules) },
      ]),
    ),
    services: runs.map((r) => ({
      service: r.labels.service,
      repository: r.labels.repository,
      commit: r.labels.commit,
      scope: r.labels.scope,
      heldOut: r.labels.heldOut,
      score: scoreOf(r.result),
      misses: r.result.misses.map((l) => ({
        file: l.file,
        line: l.line,
        rule: l.rule,
        class: l.class,
        reason: l.reason,
      })),
      wrong: r.result.wrong.map((w) => ({
        file: w.finding.file,
        line: w.finding.line,
        rule: w.finding.ruleId,
        why: w.why,
        reason: w.label.reason,
        class: w.label.class,
      })),
      unjudged: r.result.unjudged,
    })),
    skipped,
  };
  fs.writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);

  const gate = scoreOf(combine(sets[values.set as keyof typeof sets].map((r) => r.result)));
  const failures: string[] = [];
  if (minRecall !== undefined && (gate.recall ?? 0) < minRecall)
    failures.push(`recall ${gate.recall?.toFixed(2) ?? '-'} < ${minRecall}`);
  if (minPrecision !== undefined && (gate.precision ?? 0) < minPrecision)
    failures.push(`precision ${gate.precision?.toFixed(2) ?? '-'} < ${minPrecision}`);
  if (failures.length) {
    process.stderr.write(`accuracy below the threshold on ${values.set}: ${failures.join(', ')}\n`);
    return 1;
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 2;
}
