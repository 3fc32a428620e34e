import fs from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config/config-schema';
import { fixIacFile } from '../iac/fix-iac';
import type { IacFinding, IacScanResult } from '../iac/scan-iac';
import { operationalWorkflows } from '../iac/workflows';
import type { FileChange, Finding, ScanResult } from '../types';

/** IaC fixes (phase 4.4) through the yaml Document API / jscodeshift, and the 4.5 workflows. */
export function iacChanges(result: ScanResult, findings: Finding[], config: ResolvedConfig): {
  changes: FileChange[]; fixed: Finding[]; left: Array<{ finding: Finding; reason: string }>;
} {
  const out = { changes: [] as FileChange[], fixed: [] as Finding[], left: [] as Array<{ finding: Finding; reason: string }> };
  const toIac = (f: Finding): IacFinding => ({ ruleId: f.ruleId, file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, message: f.message, data: f.data });
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
    const same = (a: IacFinding, b: Finding): boolean => a.ruleId === b.ruleId && a.line === b.line && a.file === b.file;
    for (const f of list) {
      const skipped = fixed.skipped.find((s) => same(s.finding, f));
      if (fixed.fixed.some((x) => same(x, f))) out.fixed.push(f);
      else out.left.push({ finding: f, reason: skipped?.reason ?? 'no safe rewrite for this resource' });
    }
    if (fixed.after !== text) out.changes.push({ file, kind: 'modify', before: text, after: fixed.after, fixes: [...new Set(fixed.fixed.map((f) => f.ruleId))] });
  }
  if (redrive.length) {
    const scanLike: IacScanResult = { findings: redrive.map(toIac), handlers: [], kinds: result.discovery.iac, notes: [] };
    const workflows = operationalWorkflows(scanLike, (p) => fs.existsSync(path.join(result.root, p)));
    for (const w of workflows) {
      out.changes.push({ file: w.path, kind: 'create', before: '', after: w.content, fixes: [...new Set(w.fixes.map((f) => f.ruleId))] });
    }
    for (const f of redrive) {
      if (workflows.some((w) => w.fixes.some((x) => x.line === f.line && x.file === f.file))) out.fixed.push(f);
      else out.left.push({ finding: f, reason: 'a redrive workflow already exists or the queue could not be named' });
    }
  }
  return out;
}
