import fs from 'node:fs';
import path from 'node:path';
import type { RepositoryFix } from '../api/iac-fix';
import { loadCatalog } from '../catalog/catalog';
import type { ResolvedConfig } from '../config/config-schema';
import { asIacFinding, fixIacFile } from '../iac/fix-iac';
import { REPOSITORY_FIXES, repositoryFixFor } from '../registry/iac-fix-families';
import type { FileChange, Finding, IacFinding, ScanResult } from '../types';

export interface IacChanges {
  changes: FileChange[];
  fixed: Finding[];
  left: Array<{ finding: Finding; reason: string }>;
  /** values to supply before the next deploy (the fixed templates deploy without them) */
  deployInputs: string[];
  /** reserved concurrency units added across all functions */
  reservedAdded: number;
  /** packages new IaC code imports, by the IaC file that imports them (CDK v1 modules) */
  dependencies: Array<{ file: string; name: string }>;
}

/** IaC fixes (phase 4.4) through the yaml Document API / jscodeshift, and the 4.5 workflows. */
export function iacChanges(result: ScanResult, findings: Finding[], config: ResolvedConfig): IacChanges {
  const out: IacChanges = { changes: [], fixed: [], left: [], deployInputs: [], reservedAdded: 0, dependencies: [] };
  // findings of a family that writes repository files go to it once the templates are fixed
  const catalog = loadCatalog();
  const byFile = new Map<string, Finding[]>();
  const byRepositoryFix = new Map<RepositoryFix, Finding[]>();
  for (const f of findings) {
    const repositoryFix = repositoryFixFor(catalog.byId.get(f.ruleId)?.transform);
    if (repositoryFix) byRepositoryFix.set(repositoryFix, [...(byRepositoryFix.get(repositoryFix) ?? []), f]);
    else byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  }
  for (const [file, list] of byFile) {
    const abs = path.join(result.root, file);
    const text = fs.readFileSync(abs, 'utf8');
    const fixed = fixIacFile({ path: file, absPath: abs, text }, list.map(asIacFinding), config);
    const same = (a: IacFinding, b: Finding): boolean =>
      a.ruleId === b.ruleId && a.line === b.line && a.file === b.file;
    for (const f of list) {
      const skipped = fixed.skipped.find((s) => same(s.finding, f));
      if (fixed.fixed.some((x) => same(x, f))) out.fixed.push(f);
      else out.left.push({ finding: f, reason: skipped?.reason ?? 'no safe rewrite for this resource' });
    }
    if (fixed.after !== text) {
      out.changes.push({
        file,
        kind: 'modify',
        before: text,
        after: fixed.after,
        fixes: [...new Set(fixed.fixed.map((f) => f.ruleId))],
      });
      out.deployInputs.push(...(fixed.deployInputs ?? []));
      out.reservedAdded += fixed.reservedAdded ?? 0;
      out.dependencies.push(...(fixed.dependencies ?? []).map((name) => ({ file, name })));
    }
  }
  const templateChanges = [...out.changes];
  // every repository fix runs, also one no chosen finding asks for: a template fix may add what it handles
  for (const repositoryFix of REPOSITORY_FIXES) {
    const done = repositoryFix.apply(result, byRepositoryFix.get(repositoryFix) ?? [], templateChanges, config);
    out.changes.push(...done.changes);
    out.fixed.push(...done.fixed);
    out.left.push(...done.left);
  }
  return out;
}
