import fs from 'node:fs';
import path from 'node:path';
import type { RepositoryFix } from '../api/iac-fix';
import { loadCatalog } from '../catalog/catalog';
import type { ResolvedConfig } from '../config/config-schema';
import { workflowsDirFor } from '../files/git-root';
import type { FileChange, Finding, IacFinding, IacInputFile, ScanResult } from '../types';
import { cdkAppDir } from './cdk-model';
import { queueNameOf, redriveWorkflow, serviceOf, type RedriveService } from './redrive-workflows';
import { asIacFinding } from './fix-iac';
import { scanIac } from './scan-iac';
import type { GeneratedWorkflow } from './workflows';

const RULE = 'dlq-without-redrive';

/**
 * A DLQ the fix itself adds needs a redrive procedure too: the fixed templates are scanned
 * again in memory, and the redrive findings of queues the original scan did not know are
 * handled in the same run (otherwise a second run would still have work to do).
 */
function newDlqsNeedingRedrive(result: ScanResult, changes: readonly FileChange[], config: ResolvedConfig): Finding[] {
  if (!changes.length || !result.iacFiles?.length) return [];
  const after = new Map(changes.map((c) => [c.file, c.after]));
  const inputs = result.iacFiles.map((f) => ({ ...f, text: after.get(f.path) ?? f.text }));
  const rescan = scanIac(inputs, { root: result.root, config, repoFiles: result.repoFiles ?? [] });
  const known = new Set(result.findings.filter((f) => f.ruleId === RULE).map((f) => String(f.data?.resource ?? '')));
  return rescan.findings
    .filter((f) => f.ruleId === RULE && !known.has(String(f.data?.resource ?? '')))
    .map((f) => ({ ...f, severity: loadCatalog().byId.get(f.ruleId)!.severity, fixable: true }));
}

/** the literal `service:` of a serverless.yml, which its variables resolve to */
function serviceName(file: IacInputFile): string | null {
  return (
    /^service:\s*([A-Za-z0-9-]+)\s*$/m.exec(file.text)?.[1] ??
    /^service:\s*\n\s+name:\s*([A-Za-z0-9-]+)/m.exec(file.text)?.[1] ??
    null
  );
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

/** Operational workflows (phase 4.5): a dlq-redrive workflow per service whose DLQs have no redrive procedure. */
export const operationalWorkflows: RepositoryFix = {
  name: 'operational-workflows',
  apply(result, findings, templateChanges, config) {
    const out: ReturnType<RepositoryFix['apply']> = { changes: [], fixed: [], left: [] };
    const added = newDlqsNeedingRedrive(result, templateChanges, config);
    const redrive = [...findings, ...added];
    if (!redrive.length) return out;
    const workflows = redriveWorkflows(result, redrive.map(asIacFinding));
    for (const w of workflows) {
      out.changes.push({
        file: w.path,
        kind: 'create',
        before: '',
        after: w.content,
        fixes: [...new Set(w.fixes.map((f) => f.ruleId))],
      });
    }
    // the added DLQs' workflows are part of the fix that added them, not findings of the scan
    for (const f of findings) {
      if (workflows.some((w) => w.fixes.some((x) => x.line === f.line && x.file === f.file))) out.fixed.push(f);
      else out.left.push({ finding: f, reason: 'a redrive workflow for this service already exists' });
    }
    return out;
  },
};
