import fs from 'node:fs';
import path from 'node:path';
import { loadCatalog } from '../catalog/catalog';
import { UsageError } from '../errors';
import { loadConfig } from '../config/load-config';
import type { ResolvedConfig } from '../config/config-schema';
import type { CodeDetector, FileFacts, PackageManifest, ProjectFacts } from '../detect/detector-api';
import type { FileDetection } from '../detect/detect-file';
import { toPlainProject } from '../detect/plain-facts';
import { relativeImportsOf } from '../detect/relative-modules';
import { suppressionWarnings } from '../detect/suppressions';
import { closest } from 'fastest-levenshtein';
import { buildDiscovery } from '../discovery/build-discovery';
import type { LambdaHandler } from '../discovery/discovery-types';
import { deploysOnlyToHeroku } from '../discovery/heroku';
import { readPackageFacts, type PackageFacts } from '../discovery/package-facts';
import { discoverFiles } from '../files/discover-files';
import { classifyFile, reportedOnRole } from '../files/file-role';
import { readSource } from '../files/read-source';
import { languageOf } from '../parse/parse-options';
import { createProgress } from '../report/progress';
import type { FileNote, Finding, RawFinding, ScanResult, SuppressedFinding } from '../types';
import { changedSince } from '../workspaces/changed-since';
import { findWorkspaces, packageOf, selectPackages } from '../workspaces/find-workspaces';
import { inShard, type Shard } from '../workspaces/shard';
import { runJob, selectDetectors, type DetectJob, type DetectOutcome, type FileProgress } from './detect-job';
import { cacheKeyParts, openCache } from './detection-cache';
import { applySuppressions, ruleEnabled, sortFindings, toFinding, type RuleFilter } from './finalize-findings';
import { runIacStage, type IacStageResult } from './iac-stage';
import { attachCallers, entryModules, filesNeedingCalls, hasContract } from '../detect/callers-model';
import { dropBreakerWrappedElsewhere } from '../detect/breaker-joins';
import { joinImportedAppProbes } from '../detect/probe-joins';
import { dropLogOnlyTargets } from '../detect/log-only-targets';
import { importersOf, lambdaFiles } from './lambda-closure';
import { DetectionPool, detectMany } from './worker-pool';

export interface ScanOptions extends RuleFilter {
  /** paths to scan (files or directories); default: the root */
  paths?: string[];
  /** the directory findings are relative to; default: the single directory argument, else cwd */
  root?: string;
  configFile?: string;
  config?: ResolvedConfig;
  includeTests?: boolean;
  /** also report findings in scripts run by hand (default: the config's includeScripts) */
  includeScripts?: boolean;
  include?: string[];
  exclude?: string[];
  /** --package: workspace names or globs */
  packages?: string[];
  shard?: Shard;
  changedSince?: string;
  /** read and write the on-disk detection cache (scanAsync only); default true */
  cache?: boolean;
  quiet?: boolean;
}

const posix = (p: string): string => p.split(path.sep).join('/');

/**
 * The module system a file runs as: .mts/.cts and .mjs/.cjs say it, a .ts file is what its
 * tsconfig compiles it to, anything else by its syntax.
 */
function moduleStyleOf(file: string, text: string, tsModule: 'esm' | 'cjs' | null): 'esm' | 'cjs' {
  if (/\.m[jt]s$/.test(file)) return 'esm';
  if (/\.c[jt]s$/.test(file)) return 'cjs';
  if (/\.tsx?$/.test(file) && tsModule) return tsModule;
  return /^\s*(import|export)\s/m.test(text) ? 'esm' : /\brequire\(|module\.exports/.test(text) ? 'cjs' : 'esm';
}

/** The root of a run: the one directory given, else the current directory. */
export function resolveRoot(paths: string[] | undefined, cwd = process.cwd()): string {
  if (paths && paths.length === 1) {
    const abs = path.resolve(cwd, paths[0]!);
    if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) return abs;
    if (fs.existsSync(abs)) return path.dirname(abs);
  }
  return path.resolve(cwd);
}

/** The modules a package.json exposes (main, module, exports), relative and without extension. */
function entriesOf(pkg: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (value: unknown): void => {
    if (typeof value === 'string') out.push(value.replace(/^\.\//, '').replace(/\.[cm]?[jt]sx?$/, ''));
    else if (value && typeof value === 'object') for (const v of Object.values(value)) add(v);
  };
  add(pkg.main);
  add(pkg.module);
  const exports = pkg.exports;
  add(
    exports && typeof exports === 'object' && '.' in exports
      ? (exports as Record<string, unknown>)['.']
      : typeof exports === 'string'
        ? exports
        : null,
  );
  return out;
}

/** A command that runs a source file with Node: `node cmd/convert.js`, `ts-node scripts/x.ts`, `npx tsx tools/y.ts`. */
const NODE_RUN =
  /(?:^|[\s;&|(])(?:npx\s+)?(?:node|ts-node|ts-node-esm|tsx|babel-node)\s+((?:-{1,2}[\w-]+(?:[= ][^\s-][^\s]*)?\s+)*)([^\s;&|'"]+\.[cm]?[jt]s)\b/g;

/** npm script names that run the service itself (and their pre/post and `:variant` forms). */
const SERVICE_SCRIPT =
  /^(pre|post)?(start|serve|server|dev|develop|watch|debug|prod|production|worker|workers|consumer|run|app|main)([:.-].*)?$/i;

/** The source files a package's npm scripts run with Node, relative to the root (Windows separators read as posix). */
function scriptFilesOf(pkg: Record<string, unknown>, dir: string): string[] {
  const scripts = pkg.scripts;
  if (!scripts || typeof scripts !== 'object') return [];
  const out: string[] = [];
  for (const [name, command] of Object.entries(scripts as Record<string, unknown>)) {
    // `start`, `serve`, `dev`, `worker`…: how the service itself runs, not a tool beside it
    if (typeof command !== 'string' || SERVICE_SCRIPT.test(name)) continue;
    for (const m of command.replace(/\\+/g, '/').matchAll(NODE_RUN))
      out.push(path.posix.normalize(path.posix.join(dir, m[2]!)));
  }
  return out;
}

/** Every package.json of the walked tree with the dependency ranges it declares (read once per scan). */
function readManifests(root: string, all: string[]): PackageManifest[] {
  const out: PackageManifest[] = [];
  for (const rel of all) {
    if (rel !== 'package.json' && !rel.endsWith('/package.json')) continue;
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8')) as Record<string, unknown>;
      const dependencies: Record<string, string> = {};
      for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const [name, range] of Object.entries((pkg[key] as Record<string, unknown> | undefined) ?? {})) {
          if (typeof range === 'string' && !(name in dependencies)) dependencies[name] = range;
        }
      }
      const dir = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
      out.push({ dir, dependencies, entries: entriesOf(pkg), scriptFiles: scriptFilesOf(pkg, dir) });
    } catch {
      // a malformed package.json is reported by the package facts; its ranges are unknown
    }
  }
  return out;
}

/** Why a run sees only part of the project (its exported functions may have callers it does not scan). */
function partialReason(options: ScanOptions): string | null {
  if (options.shard) return 'the run covers one shard of the files';
  if (options.changedSince) return 'the run covers the changed files only';
  if (options.packages?.length) return 'the run covers some packages only';
  return null;
}

/** Everything known before the code files are parsed: files, package, IaC, project facts. */
interface Prepared {
  root: string;
  config: ResolvedConfig;
  pkg: PackageFacts;
  notes: FileNote[];
  texts: Map<string, string>;
  iac: IacStageResult;
  project: ProjectFacts;
  /** the detectors of the first pass (every chosen one but the callers facts) */
  detectors: readonly CodeDetector[];
  /** the callers facts detector, run in a second pass where a contract needs it; null when its rule is off */
  callers: CodeDetector | null;
  /** the chosen code files to detect */
  jobs: DetectJob[];
  enabled: (id: string) => boolean;
  filesScanned: number;
  filesFound: number;
  packageLabel: (rel: string) => string | undefined;
  /** --package, --shard and --changed-since choose the files reported on (posix, relative) */
  chosen: (rel: string) => boolean;
  /** some files of the tree are not chosen: the Lambda closure then needs the others' imports */
  partial: boolean;
  /** every code file of the tree, chosen or not (relative → absolute) */
  allSource: Map<string, string>;
  read: (abs: string) => string | null;
  /** the run sees part of the project only: callers of exported functions may be outside it */
  partialReason?: string;
  /** report findings in scripts run by hand too */
  includeScripts: boolean;
}

function prepare(options: ScanOptions): Prepared {
  for (const given of options.paths ?? []) {
    if (!fs.existsSync(given)) throw new UsageError(`path not found: ${given}`);
  }
  const root = options.root ?? resolveRoot(options.paths);
  const targets = options.paths?.length ? options.paths.map((p) => path.resolve(p)) : [root];
  const config = options.config ?? loadConfig(root, options.configFile);
  const files = discoverFiles(root, targets, {
    includeTests: options.includeTests ?? config.includeTests,
    include: [...config.include, ...(options.include ?? [])],
    exclude: [...config.exclude, ...config.ignore, ...(options.exclude ?? [])],
  });
  // workspaces label the progress bar; a malformed manifest only matters when --package needs it
  let workspaces: ReturnType<typeof findWorkspaces> = [];
  try {
    workspaces = findWorkspaces(root);
  } catch (err) {
    if (options.packages?.length) throw err;
  }
  // the selection chooses which files are reported on; project facts (IaC, handlers, the import
  // graph) still come from the whole tree, so a shard reports exactly its part of the full run
  const tests: Array<(abs: string) => boolean> = [];
  if (options.packages?.length) {
    const chosen = new Set(selectPackages(workspaces, options.packages));
    tests.push((abs) => chosen.has(packageOf(workspaces, abs)!));
  }
  if (options.shard) {
    const shard = options.shard;
    tests.push((abs) => inShard(posix(path.relative(root, abs)), shard));
  }
  if (options.changedSince) {
    const changed = changedSince(root, options.changedSince);
    tests.push((abs) => changed.has(abs));
  }
  const keep = (abs: string): boolean => tests.every((t) => t(abs));
  const chosen = (rel: string): boolean => keep(path.join(root, rel));

  const pkg = readPackageFacts(root, root);
  const notes: FileNote[] = [...pkg.notes];
  const enabled = (id: string): boolean => ruleEnabled(id, options, config);
  const texts = new Map<string, string>();
  const unreadable = new Set<string>();
  const read = (abs: string): string | null => {
    const rel = posix(path.relative(root, abs));
    const known = texts.get(rel);
    if (known !== undefined) return known;
    if (unreadable.has(rel)) return null;
    const outcome = readSource(abs);
    if (!outcome.ok) {
      unreadable.add(rel);
      notes.push({ file: rel, kind: outcome.kind, message: outcome.message });
      return null;
    }
    texts.set(rel, outcome.text);
    return outcome.text;
  };

  const iac = runIacStage(root, files, config, read);
  notes.push(...iac.notes);
  const iacHandlers = new Map<string, LambdaHandler[]>();
  for (const h of iac.handlers) iacHandlers.set(h.file, [...(iacHandlers.get(h.file) ?? []), h]);
  const project: ProjectFacts = {
    root,
    config,
    iacHandlers,
    usesLambda:
      iac.handlers.length > 0 ||
      pkg.dependencies.has('@types/aws-lambda') ||
      [...pkg.dependencies].some((d) => d.startsWith('@aws-lambda-powertools/')),
    packageDependencies: pkg.dependencies,
    manifests: readManifests(root, files.all),
    ...(deploysOnlyToHeroku(root, files.all, iac.kinds) ? { herokuOnly: true } : {}),
  };
  const jobs: DetectJob[] = [];
  const allSource = new Map<string, string>();
  for (const abs of files.source) {
    const rel = posix(path.relative(root, abs));
    const lang = languageOf(abs);
    if (!lang || unreadable.has(rel)) continue;
    allSource.set(rel, abs);
    if (keep(abs)) jobs.push({ path: rel, absPath: abs, lang, ...(texts.has(rel) ? { text: texts.get(rel)! } : {}) });
  }
  const iacRead = iac.inputs.filter((i) => !/\.[cm]?ts$/.test(i.path) && chosen(i.path)).length;
  return {
    root,
    config,
    pkg,
    notes,
    texts,
    iac,
    project,
    jobs,
    enabled,
    chosen,
    allSource,
    read,
    partial: tests.length > 0,
    includeScripts: options.includeScripts ?? config.includeScripts,
    // a detector that records project facts runs whatever rules are chosen (its findings are filtered later)
    detectors: selectDetectors().filter(
      (d) => d.name !== CALLERS && (d.ruleIds.some(enabled) || Boolean(d.records?.length)),
    ),
    callers: selectDetectors([CALLERS]).find((d) => d.ruleIds.some(enabled)) ?? null,
    filesScanned: files.source.filter(keep).length + iacRead,
    filesFound: files.source.length + iac.inputs.filter((i) => !/\.[cm]?ts$/.test(i.path)).length,
    packageLabel: (rel) => (workspaces.length ? packageOf(workspaces, path.join(root, rel))?.name : undefined),
    ...(partialReason(options) ? { partialReason: partialReason(options)! } : {}),
  };
}

const CALLERS = 'callers';

/**
 * The second pass: call-site facts for the files the callers model reads (those holding a
 * changed contract and their importers). Returns the jobs to detect with the callers detector
 * alone and how to merge their facts into the first pass's; null when nothing needs them.
 */
function callSitePass(
  p: Prepared,
  outcomes: DetectOutcome[],
): { jobs: DetectJob[]; merge(results: DetectOutcome[]): void } | null {
  if (!p.callers) return null;
  const targets = outcomes.filter((o) => o.detection?.findings.some(hasContract)).map((o) => o.path);
  if (!targets.length) return null;
  const texts = new Map<string, string>();
  for (const o of outcomes) if (o.detection && o.text !== null) texts.set(o.path, o.text);
  const needed = filesNeedingCalls(targets, texts);
  const byPath = new Map(outcomes.map((o) => [o.path, o]));
  return {
    // files no first-pass detector needed are parsed here for the first time
    jobs: p.jobs
      .filter((j) => needed.has(j.path) && texts.has(j.path))
      .map((j) => ({ ...j, text: texts.get(j.path)! })),
    merge(results) {
      for (const result of results) {
        const calls = result.detection?.facts.calls;
        const facts = byPath.get(result.path)?.detection?.facts;
        if (calls && facts) facts.calls = calls;
      }
    },
  };
}

/** Relative imports of every code file of the tree, by text (the Lambda closure's import graph). */
function importGraph(p: Prepared, outcomes: DetectOutcome[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const detected = new Map(outcomes.map((o) => [o.path, o.text]));
  for (const [rel, abs] of p.allSource) {
    const text = detected.has(rel) ? detected.get(rel)! : p.read(abs);
    if (text !== null) graph.set(rel, new Set(relativeImportsOf(text)));
  }
  return graph;
}

/**
 * The files outside the selection whose handler exports decide whether a chosen file runs in
 * Lambda: those that import a chosen file holding a Lambda-only finding. Empty for a full run.
 */
function closureJobs(p: Prepared, outcomes: DetectOutcome[]): DetectJob[] {
  if (!p.partial) return [];
  const scoped = outcomes
    .filter((o) => o.detection?.findings.some((f) => f.data?.scope === 'lambda' && p.enabled(f.ruleId)))
    .map((o) => o.path);
  if (!scoped.length) return [];
  const jobs: DetectJob[] = [];
  for (const rel of importersOf(scoped, importGraph(p, outcomes))) {
    const abs = p.allSource.get(rel);
    if (abs && !p.chosen(rel)) jobs.push({ path: rel, absPath: abs, lang: languageOf(abs)! });
  }
  return jobs;
}

/**
 * Discovery, the Lambda closure, catalog severities, filters and suppressions over the detections.
 * `outside` holds detections of files outside the selection, read only for their handler exports.
 */
function finish(p: Prepared, outcomes: DetectOutcome[], outside: DetectOutcome[] = []): ScanResult {
  const factsByFile = new Map<string, FileFacts>();
  const moduleStyles = new Map<string, 'esm' | 'cjs'>();
  let raw: Array<{ file: string; finding: RawFinding }> = [];
  for (const o of outcomes) {
    if (o.readNote) {
      p.notes.push(o.readNote);
      continue;
    }
    if (!o.detection || o.text === null) continue;
    const result: FileDetection = o.detection;
    p.texts.set(o.path, o.text);
    p.notes.push(...result.notes);
    for (const spec of relativeImportsOf(o.text)) result.facts.relativeImports.add(spec);
    factsByFile.set(o.path, result.facts);
    moduleStyles.set(o.path, moduleStyleOf(o.path, o.text, p.pkg.tsModule));
    for (const finding of result.findings) raw.push({ file: o.path, finding });
  }
  const discovery = buildDiscovery({
    pkg: p.pkg,
    serviceName: p.pkg.name ?? path.basename(p.root),
    files: factsByFile,
    moduleStyles,
    iacKinds: p.iac.kinds,
    iacHandlers: p.iac.handlers,
  });
  const handlerFiles = [
    ...discovery.lambdaHandlers.map((h) => h.file),
    ...outside.filter((o) => o.detection?.facts.handlerExports.size).map((o) => o.path),
  ];
  const inLambda = lambdaFiles(
    handlerFiles,
    p.partial ? importGraph(p, outcomes) : new Map([...factsByFile].map(([f, facts]) => [f, facts.relativeImports])),
  );
  attachCallers(raw, {
    facts: factsByFile,
    imports: new Map([...factsByFile].map(([f, facts]) => [f, facts.relativeImports])),
    lambdaHandlers: discovery.lambdaHandlers,
    openFiles: entryModules(p.project.manifests ?? [], new Set(factsByFile.keys())),
    partial: p.partialReason,
  });
  // front-end code and scripts run by hand are not the service: their code findings are noise
  const context = { manifests: p.project.manifests ?? [], handlerFiles: new Set(p.iac.handlers.map((h) => h.file)) };
  const roles = new Map(
    outcomes.filter((o) => o.text !== null).map((o) => [o.path, classifyFile(o.path, o.text!, context).role]),
  );
  const includeScripts = p.includeScripts;
  const onRole = ({ file, finding }: { file: string; finding: RawFinding }): boolean =>
    reportedOnRole(roles.get(file) ?? 'service', finding.ruleId, includeScripts);
  const catalog = loadCatalog();
  const byFile = new Map<string, Finding[]>();
  raw = dropBreakerWrappedElsewhere(raw, factsByFile);
  raw = joinImportedAppProbes(raw, factsByFile);
  const iacFindings = dropLogOnlyTargets(
    p.iac.findings.filter((f) => p.chosen(f.file)).map((f) => ({ file: f.file, finding: f })),
    factsByFile,
    p.iac.handlers,
  );
  for (const { file, finding } of [...raw.filter(onRole), ...iacFindings]) {
    if (!p.enabled(finding.ruleId)) continue;
    if (finding.data?.scope === 'lambda' && !inLambda.has(file)) continue;
    const list = byFile.get(file) ?? [];
    const f = toFinding(finding, file, catalog, p.config);
    const pkgName = p.packageLabel(file);
    if (pkgName) f.package = pkgName;
    list.push(f);
    byFile.set(file, list);
  }
  const ruleIds = catalog.rules.map((r) => r.id);
  for (const [file, text] of p.texts) {
    if (text.includes('harden-codemod-ignore') && p.chosen(file))
      p.notes.push(...suppressionWarnings(file, text, ruleIds, (id) => closest(id, ruleIds)));
  }
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const [file, list] of byFile) {
    const { kept, suppressed: s } = applySuppressions(list, p.texts.get(file) ?? '');
    findings.push(...kept);
    suppressed.push(...s);
  }
  return {
    root: p.root,
    discovery,
    findings: sortFindings(findings),
    suppressed: sortFindings(suppressed),
    // notes are about files: a selection reports those of its own files
    notes: p.notes.filter((n) => p.chosen(n.file)),
    filesScanned: p.filesScanned,
    filesFound: p.filesFound,
    iacFiles: p.iac.inputs,
    repoFiles: p.iac.repoFiles,
    reliability: p.iac.facts,
  };
}

/** The whole scan in this thread: discovery, IaC, one parse per code file for all detectors, then findings. */
export function scan(options: ScanOptions = {}): ScanResult {
  const p = prepare(options);
  const outcomes = p.jobs.map((job) => runJob(job, p.detectors, p.project));
  const second = callSitePass(p, outcomes);
  second?.merge(second.jobs.map((job) => runJob(job, [p.callers!], p.project)));
  return finish(
    p,
    outcomes,
    closureJobs(p, outcomes).map((job) => runJob(job, p.detectors, p.project)),
  );
}

/**
 * The scan the CLI runs: the same stages, with the on-disk cache (unless `cache: false`),
 * worker threads for large trees, and a progress bar on a TTY.
 */
export async function scanAsync(options: ScanOptions = {}): Promise<ScanResult> {
  const p = prepare(options);
  const plainProject = toPlainProject(p.project);
  const detectorNames = p.detectors.map((d) => d.name);
  const cache = openCache(
    p.root,
    cacheKeyParts({ detectorNames, config: p.config, project: plainProject }),
    options.cache !== false,
  );
  const bar = createProgress({ quiet: options.quiet });
  const jobs = p.jobs.map(({ text: _text, ...job }) => job);
  // a long file shows how far its detection is, so a large generated file never looks stuck
  let current: FileProgress | null = null;
  const label = (done: number, total: number): string | undefined => {
    const pkg = p.packageLabel(jobs[Math.min(done, total) - 1]?.path ?? '');
    const inside = current
      ? `${path.posix.basename(current.path)} ${current.fraction < 0.5 ? 'parsing' : `${Math.round(current.fraction * 100)}%`}`
      : undefined;
    return [pkg, inside].filter(Boolean).join(' · ') || undefined;
  };
  let doneSoFar = 0;
  // the workers of the first pass (if it used any) also run the callers and closure passes
  const pool = new DetectionPool();
  let outcomes: DetectOutcome[];
  let outside: DetectOutcome[];
  try {
    outcomes = await detectMany(
      jobs,
      plainProject,
      (done, total) => {
        doneSoFar = done;
        bar.update(done, total, label(done, total));
      },
      {
        detectorNames,
        cache,
        pool,
        onFileProgress: (progress) => {
          if (progress.fraction < 1) current = progress;
          else if (current?.path === progress.path) current = null;
          bar.update(doneSoFar, jobs.length, label(doneSoFar, jobs.length));
        },
      },
    );
    bar.stop();
    const second = callSitePass(p, outcomes);
    if (second) {
      const callersCache = openCache(
        p.root,
        cacheKeyParts({ detectorNames: [CALLERS], config: p.config, project: plainProject }),
        options.cache !== false,
      );
      second.merge(
        await detectMany(
          second.jobs.map(({ text: _text, ...job }) => job),
          plainProject,
          undefined,
          { detectorNames: [CALLERS], cache: callersCache, pool },
        ),
      );
      callersCache.flush();
    }
    outside = await detectMany(closureJobs(p, outcomes), plainProject, undefined, { detectorNames, cache, pool });
    cache.flush();
  } finally {
    // closed before the findings are put together: the workers' heaps are not needed any more
    await pool.close();
  }
  return finish(p, outcomes, outside);
}
