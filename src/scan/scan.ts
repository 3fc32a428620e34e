import fs from 'node:fs';
import path from 'node:path';
import { codeDetectors } from '../../detectors';
import { loadCatalog } from '../catalog/catalog';
import { loadConfig } from '../config/load-config';
import type { ResolvedConfig } from '../config/config-schema';
import type { FileFacts, ProjectFacts } from '../detect/detector-api';
import { detectFile } from '../detect/detect-file';
import { buildDiscovery } from '../discovery/build-discovery';
import type { LambdaHandler } from '../discovery/discovery-types';
import { readPackageFacts } from '../discovery/package-facts';
import { discoverFiles } from '../files/discover-files';
import { readSource } from '../files/read-source';
import { languageOf } from '../parse/parse-options';
import type { FileNote, Finding, ScanResult, SuppressedFinding } from '../types';
import { applySuppressions, ruleEnabled, sortFindings, toFinding, type RuleFilter } from './finalize-findings';
import { runIacStage } from './iac-stage';
import { lambdaFiles } from './lambda-closure';

export interface ScanOptions extends RuleFilter {
  /** paths to scan (files or directories); default: the root */
  paths?: string[];
  /** the directory findings are relative to; default: the single directory argument, else cwd */
  root?: string;
  configFile?: string;
  config?: ResolvedConfig;
  includeTests?: boolean;
  include?: string[];
  exclude?: string[];
}

const posix = (p: string): string => p.split(path.sep).join('/');

const RELATIVE_IMPORT = /(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Relative module specifiers of a file, by text: also for files no detector needed to parse. */
export function relativeImportsOf(text: string): string[] {
  return [...text.matchAll(RELATIVE_IMPORT)].map((m) => m[1]!);
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

/** The whole scan: discovery, IaC, one parse per code file for all detectors, then findings. */
export function scan(options: ScanOptions = {}): ScanResult {
  const root = options.root ?? resolveRoot(options.paths);
  const targets = options.paths?.length ? options.paths.map((p) => path.resolve(p)) : [root];
  const config = options.config ?? loadConfig(root, options.configFile);
  const catalog = loadCatalog();
  const files = discoverFiles(root, targets, {
    includeTests: options.includeTests ?? config.includeTests,
    include: [...config.include, ...(options.include ?? [])],
    exclude: [...config.exclude, ...config.ignore, ...(options.exclude ?? [])],
  });
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
    usesLambda: iac.handlers.length > 0 || pkg.dependencies.has('@types/aws-lambda') || [...pkg.dependencies].some((d) => d.startsWith('@aws-lambda-powertools/')),
    packageDependencies: pkg.dependencies,
  };

  const detectors = codeDetectors.filter((d) => d.ruleIds.some(enabled));
  const factsByFile = new Map<string, FileFacts>();
  const moduleStyles = new Map<string, 'esm' | 'cjs'>();
  const raw: Array<{ file: string; finding: import('../detect/detect-file').RawFinding }> = [];
  for (const abs of files.source) {
    const rel = posix(path.relative(root, abs));
    const lang = languageOf(abs);
    if (!lang) continue;
    const text = read(abs);
    if (text === null) continue;
    const result = detectFile({ path: rel, absPath: abs, text, lang }, detectors, project);
    notes.push(...result.notes);
    for (const spec of relativeImportsOf(text)) result.facts.relativeImports.add(spec);
    factsByFile.set(rel, result.facts);
    moduleStyles.set(rel, /^\s*(import|export)\s/m.test(text) ? 'esm' : /\brequire\(|module\.exports/.test(text) ? 'cjs' : 'esm');
    for (const finding of result.findings) raw.push({ file: rel, finding });
  }

  const discovery = buildDiscovery({
    pkg,
    serviceName: pkg.name ?? path.basename(root),
    files: factsByFile,
    moduleStyles,
    iacKinds: iac.kinds,
    iacHandlers: iac.handlers,
  });
  const inLambda = lambdaFiles(
    discovery.lambdaHandlers.map((h) => h.file),
    new Map([...factsByFile].map(([f, facts]) => [f, facts.relativeImports])),
  );

  const byFile = new Map<string, Finding[]>();
  for (const { file, finding } of [...raw, ...iac.findings.map((f) => ({ file: f.file, finding: f }))]) {
    if (!enabled(finding.ruleId)) continue;
    if (finding.data?.scope === 'lambda' && !inLambda.has(file)) continue;
    const list = byFile.get(file) ?? [];
    list.push(toFinding(finding, file, catalog, config));
    byFile.set(file, list);
  }
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const [file, list] of byFile) {
    const { kept, suppressed: s } = applySuppressions(list, texts.get(file) ?? '');
    findings.push(...kept);
    suppressed.push(...s);
  }
  return {
    root,
    discovery,
    findings: sortFindings(findings),
    suppressed: sortFindings(suppressed),
    notes,
    filesScanned: files.source.length + iac.filesRead,
  };
}
