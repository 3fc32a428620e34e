import { spawnSync } from 'node:child_process';
import os from 'node:os';
import type { ReportedFinding } from './match';

export interface ScanRun {
  findings: ReportedFinding[];
  wallMs: number;
}

/**
 * Scans one service with the built CLI, all rules, the service's folder as the root, exactly as
 * a user's first `harden-codemod scan --format json` would (default excludes, no cache written
 * into the checkout). Exit codes 0 and 1 both mean "scanned".
 */
export function runScan(bin: string, dir: string): ScanRun {
  const started = Date.now();
  const r = spawnSync(process.execPath, [bin, 'scan', dir, '--format', 'json', '--no-cache', '--quiet'], {
    cwd: os.tmpdir(),
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1' },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 600_000,
  });
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`scan of ${dir} exited ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const report = JSON.parse(r.stdout) as { findings: ReportedFinding[] };
  return {
    findings: report.findings.map((f) => ({ ruleId: f.ruleId, file: f.file, line: f.line, message: f.message })),
    wallMs: Date.now() - started,
  };
}
