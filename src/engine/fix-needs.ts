import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { loadCatalog } from '../catalog/catalog';
import type { ResolvedConfig } from '../config/config-schema';
import { describeNeed } from '../iac/needs/infra-needs';
import { applyInfraNeed } from '../iac/needs/apply-need';
import { recommendedLibraries } from '../report/libraries';
import type { Finding } from '../types';
import type { FixNeed, RunView, ServiceState } from '../api/fix-context';
import { packageRootOf } from '../../transforms/lib/generated-modules';
import { fixFile, type FileFixResult } from './code-fixes';
import { typescriptAtLeast, type CodeUnit, type CodeUnits, type TypeScriptVersion } from './code-units';
import { CODE_FIX_STEPS } from '../registry/fix-steps';
import type { IacTexts } from './iac-texts';

/**
 * A code fix is made only with everything it needs: each need it declares (a dependency, a
 * generated module, infrastructure) is checked against the deployable unit that runs the file
 * (its runtime, its package, its IaC). A step with a need that cannot be met is dropped (with
 * the findings of the steps that build on it) and the file is fixed again without it; the
 * findings dropped are left with the reason. Infrastructure is added to the IaC texts only
 * when the whole file's fix stands.
 */

/** Generated TypeScript uses `import type` (TypeScript 3.8). */
const GENERATED_TYPESCRIPT_MIN = '3.8.0';
const MAX_ROUNDS = 4;

export interface NeedsContext {
  root: string;
  config: ResolvedConfig;
  units: CodeUnits;
  iac: IacTexts;
}

export interface CodeFileOutcome extends FileFixResult {
  state: ServiceState;
  /** absolute directory of the package.json the file's new dependencies go to */
  packageDir: string | null;
  /** what was added to the IaC for this file's fixes */
  iacNotes: string[];
}

interface Unmet {
  step: string | undefined;
  reason: string;
}

function requirementsOf(name: string): { node?: number; typescript?: string } {
  return recommendedLibraries().find((l) => l.npm === name)?.requires ?? {};
}

/** The Lambda runtime ships the AWS SDK v3 (clients and the DynamoDB helpers) from Node.js 18 on. */
function providedByRuntime(name: string, unit: CodeUnit): boolean {
  return (
    /^@aws-sdk\/(client-|lib-dynamodb$|util-dynamodb$)/.test(name) && unit.nodeMajor !== null && unit.nodeMajor >= 18
  );
}

function functionNames(unit: CodeUnit): string {
  const names = [...new Set(unit.functions.map((f) => f.id))];
  return names.length === 1 ? `function ${names[0]}` : `functions ${names.join(', ')}`;
}

function runtimeText(unit: CodeUnit): string {
  const runtimes = [...new Set(unit.functions.map((f) => f.runtime).filter(Boolean))];
  return runtimes.join('/');
}

/** Serverless `package.patterns`: later patterns win; `!` excludes. */
function includedByPatterns(relToService: string, patterns: string[]): boolean {
  let included = true;
  for (const p of patterns) {
    const exclude = p.startsWith('!');
    const glob = exclude ? p.slice(1) : p;
    if (picomatch(glob, { dot: true })(relToService)) included = !exclude;
  }
  return included;
}

function checkDependency(
  need: Extract<FixNeed, { kind: 'dependency' }>,
  unit: CodeUnit | null,
  ts: TypeScriptVersion | null,
  typescript: boolean,
  fileDir: string,
  lambda: boolean,
): string | null {
  const req = requirementsOf(need.name);
  if (typescript && req.typescript && ts && !typescriptAtLeast(ts, `${req.typescript}.0`)) {
    return `the package compiles with TypeScript ${ts.version}; the type declarations of ${need.name} need TypeScript ${req.typescript} or later`;
  }
  // Lambda code whose IaC this tool cannot read (Terraform, CDK in another language): its
  // dependencies go to the nearest package.json; with none, nothing would deploy them
  if (!unit) {
    if (!lambda || fs.existsSync(path.join(packageRootOf(fileDir), 'package.json'))) return null;
    return `Lambda code with no package.json at or above it: ${need.name} would not be deployed with it`;
  }
  if (unit.outside)
    return `the file is outside the code ${functionNames(unit)} ships (${unit.declared}): ${need.name} could not be loaded from it`;
  if (req.node && unit.nodeMajor !== null && unit.nodeMajor < req.node) {
    return `${functionNames(unit)} runs ${runtimeText(unit)}; ${need.name} needs Node.js ${req.node} or later (raise the runtime first)`;
  }
  if (!unit.packageDir && !providedByRuntime(need.name, unit)) {
    return unit.bundled
      ? `no package.json above the code of ${functionNames(unit)} to add ${need.name} to`
      : `the code of ${functionNames(unit)} (${unit.declared}) has no package.json and is not bundled: ${need.name} would not be deployed with it`;
  }
  return null;
}

function checkModule(
  need: Extract<FixNeed, { kind: 'generated-module' }>,
  unit: CodeUnit | null,
  ts: TypeScriptVersion | null,
  typescript: boolean,
): string | null {
  if (typescript && ts && !typescriptAtLeast(ts, GENERATED_TYPESCRIPT_MIN))
    return `the package compiles with TypeScript ${ts.version}; the generated modules need TypeScript 3.8 or later`;
  if (!unit) return null;
  if (unit.outside) return `the file is outside the code ${functionNames(unit)} ships (${unit.declared})`;
  if (unit.patterns.length) {
    const rel = path.relative(unit.dir, need.file).split(path.sep).join('/');
    if (!includedByPatterns(rel, unit.patterns))
      return `the serverless package patterns leave ${rel} out of the deployed package: include it, then run again`;
  }
  return null;
}

/** Every step a dropped step takes with it: those that build on its modules (`after`). */
function withDependents(steps: Set<string>): Set<string> {
  const out = new Set(steps);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of CODE_FIX_STEPS) {
      if (!out.has(s.name) && s.requires.some((a) => out.has(a))) {
        out.add(s.name);
        grew = true;
      }
    }
  }
  return out;
}

/** Fixes one code file with every need of its fixes met, dropping the steps whose needs cannot be. */
export function fixCodeFileWithNeeds(
  absPath: string,
  findings: Finding[],
  runRules: Set<string>,
  ctx: NeedsContext,
  run?: RunView,
): CodeFileOutcome {
  const rel = path.relative(ctx.root, absPath).split(path.sep).join('/');
  const unit = ctx.units.unitOf(rel);
  const lambda = unit !== null || ctx.units.runsInLambda(rel);
  const typescript = /\.[cm]?tsx?$/.test(absPath);
  const ts = typescript ? ctx.units.typescriptFor(unit?.packageDir ?? unit?.dir ?? path.dirname(absPath)) : null;
  const catalog = loadCatalog();
  const stepOf = (f: Finding): string | undefined => catalog.byId.get(f.ruleId)?.transform;
  const dropped: FileFixResult['left'] = [];
  let current = findings;
  let rules = new Set(runRules);
  for (let round = 0; ; round++) {
    const state: ServiceState = {
      modules: new Map(),
      dependencies: new Map(),
      skipped: [],
      needs: [],
      ...(unit && !unit.outside ? { placement: { sourceRoot: unit.sourceRoot } } : {}),
    };
    const result = fixFile(absPath, current, ctx.config, state, rules, run);
    const outcome: CodeFileOutcome = {
      ...result,
      left: [...dropped, ...result.left],
      state,
      packageDir: unit?.packageDir ?? null,
      iacNotes: [],
    };
    if (result.after === null) return outcome;

    const unmet: Unmet[] = [];
    const trial = ctx.iac.trial();
    for (const need of state.needs ?? []) {
      let reason: string | null = null;
      if (need.kind === 'dependency')
        reason = checkDependency(need, unit, ts, typescript, path.dirname(absPath), lambda);
      else if (need.kind === 'generated-module') reason = checkModule(need, unit, ts, typescript);
      else {
        const infra = need.infra;
        const fns = (unit?.functions ?? []).filter(
          (f) => f.handlerFile === rel && (infra.kind !== 'idempotency-table' || f.exportName === infra.exportName),
        );
        const runs = infra.kind === 'idempotency-table' ? `${rel} (export ${infra.exportName})` : rel;
        if (fns.length === 0)
          reason = `no function in the IaC runs ${runs}, so ${describeNeed(infra)} cannot be added with the fix`;
        for (const fn of fns) {
          if (reason) break;
          const applied = applyInfraNeed(trial.input(fn.iacFile), fn, infra, ctx.config);
          if ('error' in applied) reason = `${fn.iacFile}: ${applied.error}`;
          else trial.set(fn.iacFile, applied.after, applied.added, applied.dependencies ?? []);
        }
      }
      if (reason && !unmet.some((u) => u.step === need.step && u.reason === reason))
        unmet.push({ step: need.step, reason });
    }
    if (unmet.length === 0) {
      outcome.iacNotes = trial.commit();
      return outcome;
    }
    const steps = withDependents(new Set(unmet.map((u) => u.step ?? '')));
    const drop = current.filter((f) => steps.has(stepOf(f) ?? '') || unmet.some((u) => u.step === undefined));
    const reasonFor = (f: Finding): string => {
      const own = unmet.find((u) => u.step === stepOf(f)) ?? unmet[0]!;
      return `not fixed: ${own.reason}`;
    };
    if (drop.length === 0 || round >= MAX_ROUNDS) {
      return {
        after: null,
        before: result.before,
        fixed: [],
        left: [...dropped, ...current.map((f) => ({ finding: f, reason: reasonFor(f) }))],
        notes: [],
        state: { modules: new Map(), dependencies: new Map(), skipped: [] },
        packageDir: null,
        iacNotes: [],
      };
    }
    dropped.push(...drop.map((f) => ({ finding: f, reason: reasonFor(f) })));
    current = current.filter((f) => !drop.includes(f));
    // follow-up passes must not bring back what was dropped
    rules = new Set([...rules].filter((id) => !steps.has(catalog.byId.get(id)?.transform ?? '')));
    if (current.length === 0)
      return {
        ...outcome,
        after: null,
        fixed: [],
        left: dropped,
        notes: [],
        state: { modules: new Map(), dependencies: new Map(), skipped: [] },
        iacNotes: [],
      };
  }
}
