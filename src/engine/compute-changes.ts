import path from 'node:path';
import { loadCatalog } from '../catalog/catalog';
import type { ResolvedConfig } from '../config/config-schema';
import { readPackageFacts } from '../discovery/package-facts';
import { findWorkspaces } from '../workspaces/find-workspaces';
import { languageOf } from '../parse/parse-options';
import type { FileChange, Finding, ScanResult } from '../types';
import { packageRootOf } from '../../transforms/lib/generated-modules';
import type { RunView } from '../api/fix-context';
import type { FindingRef } from '../contract-types';
import { isHarnessScript } from '../files/artifacts';
import { CodeUnits } from './code-units';
import { fixCodeFileWithNeeds, type CodeFileOutcome, type NeedsContext } from './fix-needs';
import { IacTexts } from './iac-texts';
import { isCodeFixStep } from '../registry/fix-steps';
import { failureTests } from './failure-tests';
import { iacChanges } from './iac-changes';
import { addDependencies, installCommand, readIfExists } from './package-json-edit';
import { formatWithProjectPrettier } from './prettier-format';

function hasWorkspaces(root: string): boolean {
  try {
    return findWorkspaces(root).length > 0;
  } catch {
    return false;
  }
}

export interface ComputeOptions {
  /** phase 4.6: the dependencies (policy keys) whose failure-mode tests are generated; default all */
  tests?: (key: string) => boolean;
  /**
   * Findings fixed in the same run but not computed here (a preview of one item within the
   * user's whole selection): a fix that is safe only together with one of them may count on it.
   */
  alongside?: (f: Finding) => boolean;
}

export interface ComputedChanges {
  changes: FileChange[];
  /** phase 4.6: the failure-mode test file created for each newly wrapped dependency (policy key) */
  tests: Array<{ key: string; file: string }>;
  fixed: Finding[];
  left: Array<{ finding: Finding; reason: string }>;
  /** install commands to run once the package.json files are written */
  installCommands: string[];
  /** things the user should know: kept files, etc. */
  notes: string[];
  /** what the code fixes chose, per file and line (e.g. how each wrapped call is retried) */
  fixNotes: Array<{ file: string; line: number; text: string }>;
  /** values to supply before the next deploy (the fixed templates deploy without them) */
  beforeDeploy: string[];
  /** reserved concurrency units the IaC fixes added, over all functions */
  reservedConcurrencyAdded: number;
}

const posix = (p: string): string => p.split(path.sep).join('/');

/**
 * CDK v1 ships each service as its own package: the modules the IaC fixes import go to the
 * app's package.json at the version of its @aws-cdk/core.
 */
function addCdkModules(
  root: string,
  imports: Array<{ file: string; name: string }>,
  depsByPackage: Map<string, Map<string, string>>,
  notes: string[],
): void {
  for (const { file, name } of imports) {
    const pkgRoot = packageRootOf(path.dirname(path.join(root, file)));
    let core: string | undefined;
    try {
      const pkg = JSON.parse(readIfExists(path.join(pkgRoot, 'package.json')) ?? '{}') as Record<
        string,
        Record<string, string> | undefined
      >;
      core = pkg.dependencies?.['@aws-cdk/core'] ?? pkg.devDependencies?.['@aws-cdk/core'];
    } catch {
      core = undefined;
    }
    if (!core) {
      notes.push(
        `${file} now imports ${name}: add it to the CDK app's dependencies at the version of its @aws-cdk/core`,
      );
      continue;
    }
    const deps = depsByPackage.get(pkgRoot) ?? new Map<string, string>();
    deps.set(name, core);
    depsByPackage.set(pkgRoot, deps);
  }
}

/**
 * Computes every change a fix run makes, in memory: code files (one AST each), IaC files,
 * generated modules (created once, a differing existing file is kept), workflows and
 * package.json dependencies. Nothing is written here.
 */
export async function computeChanges(
  result: ScanResult,
  config: ResolvedConfig,
  select: (f: Finding) => boolean = () => true,
  options: ComputeOptions = {},
): Promise<ComputedChanges> {
  const catalog = loadCatalog();
  const out: ComputedChanges = {
    changes: [],
    tests: [],
    fixed: [],
    left: [],
    installCommands: [],
    notes: [],
    fixNotes: [],
    beforeDeploy: [],
    reservedConcurrencyAdded: 0,
  };
  const chosen = result.findings.filter((f) => f.fixable && select(f));
  const runRules = new Set(chosen.map((f) => f.ruleId));
  const codeByFile = new Map<string, Finding[]>();
  const iacFindings: Finding[] = [];
  for (const f of chosen) {
    const transform = catalog.byId.get(f.ruleId)?.transform;
    if (transform && isCodeFixStep(transform) && languageOf(f.file))
      codeByFile.set(f.file, [...(codeByFile.get(f.file) ?? []), f]);
    else iacFindings.push(f);
  }

  // IaC fixes first: the infrastructure code fixes need is added on top of their output
  const iac = iacChanges(result, iacFindings, config);
  const iacTexts = new IacTexts(result.iacFiles ?? [], iac.changes);
  const needs: NeedsContext = { root: result.root, config, units: new CodeUnits(result, config), iac: iacTexts };

  const modules = new Map<string, { content: string }>();
  const depsByPackage = new Map<string, Map<string, string>>();
  const key = (r: FindingRef): string => `${r.ruleId} ${r.file}:${r.line}`;
  const chosenKeys = new Set(chosen.map(key));
  const alongsideKeys = new Set(
    options.alongside ? result.findings.filter((f) => f.fixable && options.alongside!(f)).map(key) : [],
  );
  /** findings a fix may not count on (their own fix did not happen): a dependent change is redone without them */
  const blocked = new Set<string>();
  const run: RunView = {
    willFix: (ref) => alongsideKeys.has(key(ref)) || (chosenKeys.has(key(ref)) && !blocked.has(key(ref))),
  };
  const results = new Map<string, CodeFileOutcome>();
  const fixOne = (file: string, findings: Finding[]): void => {
    results.set(file, fixCodeFileWithNeeds(path.join(result.root, file), findings, runRules, needs, run));
  };
  for (const [file, findings] of codeByFile) {
    const notService = isHarnessScript(file)
      ? 'a local harness script, not deployed code'
      : iacTexts.has(file)
        ? 'infrastructure code (a CDK app runs at synth time, not in the service)'
        : null;
    if (notService) out.left.push(...findings.map((finding) => ({ finding, reason: `${notService}: not rewritten` })));
    else fixOne(file, findings);
  }
  // a change that relies on another finding being fixed (a callee that may now reject, its route) is redone when that fix did not happen
  for (let round = 0; round < 3; round++) {
    const fixedKeys = new Set([...alongsideKeys, ...[...results.values()].flatMap((r) => r.fixed.map(key))]);
    const redo = [...results].filter(([, r]) =>
      (r.state.requires ?? []).some((ref) => !fixedKeys.has(key(ref)) && !blocked.has(key(ref))),
    );
    if (!redo.length) break;
    for (const [, r] of redo)
      for (const ref of r.state.requires ?? []) if (!fixedKeys.has(key(ref))) blocked.add(key(ref));
    for (const [file] of redo) fixOne(file, codeByFile.get(file)!);
  }
  for (const [file, fixed] of results) {
    const abs = path.join(result.root, file);
    out.fixed.push(...fixed.fixed);
    out.left.push(...fixed.left);
    out.notes.push(...fixed.iacNotes);
    if (fixed.after === null) continue;
    out.fixNotes.push(...fixed.notes.map((n) => ({ file, ...n })));
    const after = await formatWithProjectPrettier(abs, fixed.after, fixed.before);
    out.changes.push({
      file,
      kind: 'modify',
      before: fixed.before,
      after,
      fixes: [...new Set(fixed.fixed.map((f) => f.ruleId))],
    });
    for (const [k, v] of fixed.state.modules) modules.set(k, v);
    // dependencies go to the package that ships with the function's code
    const pkgRoot = fixed.packageDir ?? packageRootOf(path.dirname(abs));
    const deps = depsByPackage.get(pkgRoot) ?? new Map<string, string>();
    for (const [k, v] of fixed.state.dependencies) deps.set(k, v);
    depsByPackage.set(pkgRoot, deps);
  }

  for (const [abs, m] of [...modules].sort(([a], [b]) => a.localeCompare(b))) {
    const rel = posix(path.relative(result.root, abs));
    const existing = readIfExists(abs);
    if (existing === null) out.changes.push({ file: rel, kind: 'create', before: '', after: m.content, fixes: [] });
    else if (existing !== m.content)
      out.notes.push(`${rel} exists and differs from the generated module: kept as it is and imported from there`);
  }

  for (const change of iacTexts.changed()) {
    const own = iac.changes.find((c) => c.file === change.file);
    if (own) own.after = change.after;
    else iac.changes.push({ file: change.file, kind: 'modify', before: change.before, after: change.after, fixes: [] });
  }
  out.changes.push(...iac.changes);
  out.fixed.push(...iac.fixed);
  out.left.push(...iac.left);
  out.beforeDeploy.push(...new Set(iac.deployInputs));
  out.reservedConcurrencyAdded = iac.reservedAdded;
  addCdkModules(result.root, [...iac.dependencies, ...iacTexts.dependencies], depsByPackage, out.notes);

  for (const [pkgRoot, deps] of depsByPackage) {
    if (deps.size === 0) continue;
    const file = path.join(pkgRoot, 'package.json');
    const text = readIfExists(file);
    if (text === null) {
      out.notes.push(
        `no package.json at ${posix(path.relative(result.root, pkgRoot)) || '.'}: add ${[...deps.keys()].join(', ')} yourself`,
      );
      continue;
    }
    let after: string | null;
    try {
      after = addDependencies(text, deps);
    } catch (err) {
      out.notes.push(
        `${posix(path.relative(result.root, file))} is not valid JSON (${(err as Error).message}): add ${[...deps.keys()].join(', ')} yourself`,
      );
      continue;
    }
    if (after === null) continue;
    out.changes.push({ file: posix(path.relative(result.root, file)), kind: 'modify', before: text, after, fixes: [] });
    out.installCommands.push(
      installCommand(readPackageFacts(pkgRoot, result.root).packageManager, pkgRoot, process.cwd()),
    );
  }
  // in a workspace the package manager installs every package from the root: one command
  if (out.installCommands.length > 1 && hasWorkspaces(result.root)) {
    out.installCommands = [
      installCommand(readPackageFacts(result.root, result.root).packageManager, result.root, process.cwd()),
    ];
  }
  // 4.6: failure-mode tests of the newly wrapped dependencies (a package.json edit replaces the one above)
  const tests = failureTests(result, out.changes, result.root, options.tests);
  out.changes = [
    ...out.changes.filter((c) => !tests.some((t) => t.file === c.file)),
    ...tests.map(({ key: _key, ...change }) => change),
  ];
  for (const t of tests) if (t.key) out.tests.push({ key: t.key, file: t.file });
  out.changes.sort((a, b) => a.file.localeCompare(b.file));
  return out;
}
