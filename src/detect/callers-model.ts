import path from 'node:path';
import type { CallerFact, CallSiteFact, ContractData, FunctionRef } from '../contract-types';
import { isFunctionRef } from '../contract-types';
import type { FileFacts } from './detector-api';
import type { LambdaHandler } from '../discovery/discovery-types';
import { resolveRelative } from './relative-modules';

/*
 * The callers model: joins every file's call-site facts into the callers of each function whose
 * contract a fix would change (finding data `contract`), across files and through the functions
 * a rejection passes on to (`return f()`, an `await f()` with no catch), so that the fix knows,
 * for each caller, whether it takes a rejection: caught, a route or Lambda handler whose
 * runtime answers it, or not (an unhandled rejection, a callback nobody is known to await).
 */

/** How far a rejection is followed up the call chain before the model gives up. */
const MAX_DEPTH = 6;

export interface CallersInput {
  /** code facts by file (posix, relative to the root) */
  facts: Map<string, FileFacts>;
  /** relative module specifiers by file, for every scanned file (also files no detector parsed) */
  imports: Map<string, Set<string>>;
  lambdaHandlers: LambdaHandler[];
  /** files whose exports have callers outside the scan (a package's entry module); value: why */
  openFiles?: Map<string, string>;
  /** the scan saw part of the project only (shard, changed files, a package): why */
  partial?: string;
}

interface Site {
  file: string;
  fact: CallSiteFact;
}

/** Builds the callers of functions over the whole scan, once. */
export function callersModel(
  input: CallersInput,
): (file: string, ref: FunctionRef) => Pick<ContractData, 'callers' | 'callersIncomplete'> {
  const knownFiles = new Set(input.imports.keys());
  for (const f of input.facts.keys()) knownFiles.add(f);
  /** call sites by the file of the function they call */
  const sitesByTarget = new Map<string, Site[]>();
  const addSite = (target: string, site: Site): void => {
    const list = sitesByTarget.get(target) ?? [];
    list.push(site);
    sitesByTarget.set(target, list);
  };
  for (const [file, facts] of input.facts) {
    for (const fact of facts.calls ?? []) {
      if ('local' in fact.callee) addSite(file, { file, fact });
      else {
        const target = resolveRelative(file, fact.callee.source, knownFiles);
        if (target) addSite(target, { file, fact });
      }
    }
  }
  /**
   * files that import a module but whose calls were not recorded (not parsed, or parse failed), by
   * the module: one pass over every import when first asked, not one per module asked about
   */
  let unanalysed: Map<string, string[]> | null = null;
  const unanalysedImporters = (target: string): string[] => {
    if (!unanalysed) {
      const byTarget = new Map<string, string[]>();
      for (const [file, specs] of input.imports) {
        if (input.facts.get(file)?.calls) continue;
        const targets = new Set([...specs].map((spec) => resolveRelative(file, spec, knownFiles)));
        for (const t of targets) {
          if (!t || t === file) continue;
          const list = byTarget.get(t) ?? [];
          list.push(file);
          byTarget.set(t, list);
        }
      }
      unanalysed = byTarget;
    }
    return unanalysed.get(target) ?? [];
  };
  const lambdaExports = new Map<string, Set<string>>();
  for (const h of input.lambdaHandlers)
    lambdaExports.set(h.file, new Set([...(lambdaExports.get(h.file) ?? []), h.exportName]));

  const callersOf = (file: string, ref: FunctionRef, via: string[], visiting: Set<string>): CallerFact[] => {
    const key = `${file}#${ref.name ?? ref.line}`;
    if (visiting.has(key)) return [];
    if (via.length > MAX_DEPTH)
      return [
        {
          file,
          line: ref.line,
          testsDefault: false,
          verdict: { kind: 'unsafe', reason: 'the call chain is too deep to follow' },
          via,
        },
      ];
    const seen = new Set(visiting).add(key);
    const out: CallerFact[] = [];
    if (ref.route) {
      out.push({
        file,
        line: ref.route.line,
        testsDefault: false,
        via,
        verdict: ref.route.handlesRejection
          ? { kind: 'handles' }
          : { kind: 'route', framework: ref.route.framework, line: ref.route.line },
      });
    }
    const lambda = ref.exports.some((e) => lambdaExports.get(file)?.has(e));
    if (lambda) out.push({ file, line: ref.line, testsDefault: false, via, verdict: { kind: 'handles' } });
    if (!ref.route && !lambda && ref.name === null && ref.exports.length === 0) {
      out.push({
        file,
        line: ref.line,
        testsDefault: false,
        via,
        verdict: {
          kind: 'unsafe',
          reason: 'an anonymous function (a callback or a method): who calls it is not known',
        },
      });
      return out;
    }
    for (const site of sitesByTarget.get(file) ?? []) {
      const callee = site.fact.callee;
      const matches =
        'local' in callee
          ? site.file === file && callee.local === ref.name
          : callee.name === '*' || ref.exports.includes(callee.name);
      if (!matches) continue;
      out.push(...verdictsOf(site, via, seen));
    }
    if (ref.exports.length) {
      for (const importer of unanalysedImporters(file)) {
        out.push({
          file: importer,
          line: 1,
          testsDefault: false,
          via,
          verdict: { kind: 'unsafe', reason: 'it imports the module, but its calls could not be analysed' },
        });
      }
    }
    return out;
  };

  const verdictsOf = (site: Site, via: string[], visiting: Set<string>): CallerFact[] => {
    const { fact } = site;
    const base = { file: site.file, line: fact.line, testsDefault: fact.testsDefault, via };
    switch (fact.handling) {
      case 'caught':
        return [{ ...base, verdict: { kind: 'handles' } }];
      case 'propagates': {
        const within = fact.within!;
        const name =
          within.name ??
          within.exports[0] ??
          (within.route
            ? `the ${within.route.framework} route handler at line ${within.line}`
            : `the function at line ${within.line}`);
        // the caller itself, then the callers its rejection reaches
        return [
          { ...base, verdict: { kind: 'passes-on', to: name } },
          ...callersOf(site.file, within, [...via, name], visiting),
        ];
      }
      case 'unhandled':
        return [
          {
            ...base,
            verdict: {
              kind: 'unsafe',
              reason: 'called without await, return or .catch: a rejection would be unhandled and stop the process',
            },
          },
        ];
      case 'escapes':
        if (fact.route) {
          const r = fact.route;
          return [
            {
              ...base,
              verdict: r.handlesRejection
                ? { kind: 'handles' }
                : {
                    kind: 'unsafe',
                    reason: `registered as an ${r.framework} route handler here, and ${r.framework === 'express' ? 'Express 4' : r.framework} does not catch a rejected handler`,
                  },
            },
          ];
        }
        return [
          {
            ...base,
            verdict: {
              kind: 'unsafe',
              reason: 'passed on as a value: who calls it, and whether a rejection is caught, is not known',
            },
          },
        ];
      default:
        return [
          {
            ...base,
            verdict: { kind: 'unsafe', reason: 'its promise is stored or passed on in a way that is not followed' },
          },
        ];
    }
  };

  return (file, ref) => {
    if (ref.caughtInside) return { callers: [] };
    const out: Pick<ContractData, 'callers' | 'callersIncomplete'> = { callers: callersOf(file, ref, [], new Set()) };
    // a Lambda handler is called by the runtime; other exports may have callers the scan does not see
    if (ref.exports.length && !ref.exports.some((e) => lambdaExports.get(file)?.has(e))) {
      const open = input.openFiles?.get(file) ?? input.partial;
      if (open) out.callersIncomplete = open;
    }
    return out;
  };
}

/** Relative module specifiers as written (`'./a'`, `"../b/c"`, `'..'`), in any import or require form. */
const RELATIVE_SPECIFIER = /(?:\bfrom|\brequire\s*\(|\bimport\s*\(?)\s*['"`](\.{1,2}(?:\/[^'"`\n]*)?)['"`]/g;

/** Whether a raw finding carries a function contract the callers model answers for. */
export function hasContract(finding: { data?: Record<string, unknown> }): boolean {
  const contract = finding.data?.contract;
  return Boolean(contract) && isFunctionRef(contract as ContractData['contract']);
}

/**
 * The files whose call-site facts the callers model can read for contracts in `targets`: those
 * files and every file that imports one of them, directly or through others (a rejection passes
 * up through the functions that return or await the call, and through barrels). The scan
 * collects call sites only there, in a second pass once the findings are known, so the callers
 * detector does not parse every file that imports something.
 */
export function filesNeedingCalls(targets: Iterable<string>, texts: Map<string, string>): Set<string> {
  const known = new Set(texts.keys());
  const importers = new Map<string, string[]>();
  for (const [file, text] of texts) {
    for (const m of text.matchAll(RELATIVE_SPECIFIER)) {
      const target = resolveRelative(file, m[1]!, known);
      if (!target) continue;
      const list = importers.get(target) ?? [];
      list.push(file);
      importers.set(target, list);
    }
  }
  const out = new Set<string>();
  const queue = [...targets];
  for (const t of queue) out.add(t);
  while (queue.length) {
    for (const importer of importers.get(queue.pop()!) ?? []) {
      if (out.has(importer)) continue;
      out.add(importer);
      queue.push(importer);
    }
  }
  return out;
}

/** Adds `callers` to the data of every raw finding that carries a function contract. */
export function attachCallers(
  findings: Array<{ file: string; finding: { data?: Record<string, unknown> } }>,
  input: CallersInput,
): void {
  let model: ReturnType<typeof callersModel> | null = null;
  for (const { file, finding } of findings) {
    const contract = finding.data?.contract as ContractData['contract'] | undefined;
    if (!contract || !isFunctionRef(contract)) continue;
    model ??= callersModel(input);
    Object.assign(finding.data!, model(file, contract));
  }
}

/** The modules a package exposes to other packages (main, module, exports, index): their exports have callers the scan cannot see. */
export function entryModules(
  manifests: Array<{ dir: string; entries?: string[] }>,
  known: Set<string>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of manifests) {
    const candidates = [...(m.entries ?? []), 'index', 'src/index'];
    for (const entry of candidates) {
      const rel = path.posix.normalize(path.posix.join(m.dir, entry)).replace(/^\.\//, '');
      const file = resolveRelative('x', `./${rel}`, known);
      if (file) out.set(file, "the package's entry module: other packages may call it");
    }
  }
  return out;
}
