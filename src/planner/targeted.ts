import { UsageError } from '../errors';
import type { Finding, ScanResult } from '../types';

/** Targeted mode: does a finding belong to the dependency (or file) the user named? Case-insensitive substring. */
export function matchesDependency(name: string): (f: Finding) => boolean {
  const needle = name.trim().toLowerCase();
  return (f) => Boolean(f.dependency?.name.toLowerCase().includes(needle)) || f.file.toLowerCase().includes(needle);
}

/** The scan narrowed to one dependency; a name that matches nothing is a usage error listing the known ones. */
export function targetScan(result: ScanResult, name: string | undefined): ScanResult {
  if (name === undefined) return result;
  if (!name.trim()) throw new UsageError('--dependency needs a dependency name or a file path');
  const findings = result.findings.filter(matchesDependency(name));
  if (!findings.length) {
    const known = [...new Set(result.findings.flatMap((f) => (f.dependency ? [f.dependency.name] : [])))].sort();
    throw new UsageError(
      `--dependency "${name}" matches no finding's dependency or file${known.length ? ` (dependencies with findings: ${known.join('; ')})` : ''}`,
    );
  }
  return { ...result, findings };
}
