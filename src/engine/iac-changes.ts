import fs from 'node:fs';
import { loadCatalog } from '../catalog/catalog';
import path from 'node:path';
import type { ResolvedConfig } from '../config/config-schema';
import { fixIacFile } from '../iac/fix-iac';
import { cdkAppDir } from '../iac/cdk-model';
import { queueNameOf, redriveWorkflow, serviceOf, type RedriveService } from '../iac/redrive-workflows';
import { scanIac } from '../iac/scan-iac';
import type { GeneratedWorkflow } from '../iac/workflows';
import { workflowsDirFor } from '../files/git-root';
import type { FileChange, Finding, IacFinding, IacInputFile, ScanResult } from '../types';

/**
 * A DLQ the fix itself adds needs a redrive procedure too: the fixed templates are scanned
 * again in memory, and the redrive findings of queues the original scan did not know are
 * handled in the same run (otherwise a second run would still have work to do).
 */
function newDlqsNeedingRedrive(result: ScanResult, changes: FileChange[], config: ResolvedConfig): Finding[] {
  if (!changes.length || !result.iacFiles?.length) return [];
  const after = new Map(changes.map((c) => [c.file, c.after]));
  const inputs = result.iacFiles.map((f) => ({ ...f, text: after.get(f.path) ?? f.text }));
  const rescan = scanIac(inputs, { root: result.root, config, repoFiles: result.repoFiles ?? [] });
  const known = new Set(
    result.findings.filter((f) => f.ruleId === 'dlq-without-redrive').map((f) => String(f.data?.resource ?? '')),
  );
  return rescan.findings
    .filter((f) => f.ruleId === 'dlq-without-redrive' && !known.has(String(f.data?.resource ?? '')))
    .map((f) => ({ ...f, severity: loadCatalog().byId.get(f.ruleId)!.severity, fixable: true }));
}

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

/** The redrive workflows of the findings' services, in the repository's .github/workflows (never overwriting one). */
function redriveWorkflows(result: ScanResult, findings: IacFinding[]): GeneratedWorkflow[] {
  const dir = workflowsDirFor(result.root);
  const repoFiles = new Set(result.repoFiles ?? []);
  const read = (p: string): string | null => {
    try {
      return fs.readFileSync(path.join(result.root, p), 'utf8');
    } catch {
      return null;
    }
  };
  const services = new Map<string, RedriveService>();
  for (const f of findings) {
    const file = (result.iacFiles ?? []).find((x) => x.path === f.file);
    if (!file) continue;
    const svc = serviceOf(file, path.basename(result.root), read, cdkAppDir(file.path, repoFiles));
    const entry = services.get(svc.dir) ?? { ...svc, queues: [], fixes: [] };
    const id = String(f.data?.resource ?? '');
    if (!entry.queues.some((q) => q.id === id))
      entry.queues.push({ id, name: queueNameOf(f, serviceName(file) ?? svc.name, String(f.data?.format ?? '')) });
    entry.fixes.push(f);
    services.set(svc.dir, entry);
  }
  // one workflow per service: two services of the same name are told apart by their directories
  const all = [...services.values()];
  for (const svc of all) {
    if (all.some((o) => o !== svc && o.name === svc.name))
      svc.name = `${svc.name}-${svc.dir
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')}`.replace(/-+$/, '');
  }
  return all.map((svc) => redriveWorkflow(svc, dir)).filter((w) => !fs.existsSync(path.join(result.root, w.path)));
}

/** the literal `service:` of a serverless.yml, which its variables resolve to */
function serviceName(file: IacInputFile): string | null {
  return (
    /^service:\s*([A-Za-z0-9-]+)\s*$/m.exec(file.text)?.[1] ??
    /^service:\s*\n\s+name:\s*([A-Za-z0-9-]+)/m.exec(file.text)?.[1] ??
    null
  );
}

/** IaC fixes (phase 4.4) through the yaml Document API / jscodeshift, and the 4.5 workflows. */
export function iacChanges(result: ScanResult, findings: Finding[], config: ResolvedConfig): IacChanges {
  const out: IacChanges = { changes: [], fixed: [], left: [], deployInputs: [], reservedAdded: 0, dependencies: [] };
  const toIac = (f: Finding): IacFinding => ({
    ruleId: f.ruleId,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    message: f.message,
    data: f.data,
  });
  const byFile = new Map<string, Finding[]>();
  const redrive: Finding[] = [];
  for (const f of findings) {
    if (f.ruleId === 'dlq-without-redrive') redrive.push(f);
    else byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  }
  for (const [file, list] of byFile) {
    const abs = path.join(result.root, file);
    const text = fs.readFileSync(abs, 'utf8');
    const fixed = fixIacFile({ path: file, absPath: abs, text }, list.map(toIac), config);
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
  const added = newDlqsNeedingRedrive(result, out.changes, config);
  redrive.push(...added);
  if (redrive.length) {
    const workflows = redriveWorkflows(result, redrive.map(toIac));
    for (const w of workflows) {
      out.changes.push({
        file: w.path,
        kind: 'create',
        before: '',
        after: w.content,
        fixes: [...new Set(w.fixes.map((f) => f.ruleId))],
      });
    }
    for (const f of redrive) {
      if (workflows.some((w) => w.fixes.some((x) => x.line === f.line && x.file === f.file))) out.fixed.push(f);
      else out.left.push({ finding: f, reason: 'a redrive workflow for this service already exists' });
    }
  }
  // the added DLQs' workflows are part of the fix that added them, not findings of the scan
  out.fixed = out.fixed.filter((f) => !added.includes(f));
  out.left = out.left.filter((l) => !added.includes(l.finding));
  return out;
}
