import { z } from 'zod';
import type { ScanResult } from '../types';
import { fingerprinter } from './fingerprint';

const entrySchema = z.object({
  ruleId: z.string().min(1),
  file: z.string().min(1),
  fingerprint: z.string().min(1),
  message: z.string(),
});

const baselineSchema = z.object({
  version: z.literal(1),
  entries: z.array(entrySchema),
});

export type BaselineEntry = z.output<typeof entrySchema>;

/**
 * The accepted findings as of now, to be checked in: later scans report only what is new. Entries
 * carry the same fingerprint as SARIF's partialFingerprints, so moving code does not revive them.
 */
export function writeBaseline(result: ScanResult): string {
  const fingerprint = fingerprinter(result.root);
  const entries: BaselineEntry[] = result.findings.map((f) => ({
    ruleId: f.ruleId,
    file: f.file,
    fingerprint: fingerprint(f),
    message: f.message,
  }));
  return `${JSON.stringify({ version: 1, entries }, null, 2)}\n`;
}

function parseBaseline(text: string): BaselineEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`baseline: not valid JSON: ${(err as Error).message}`);
  }
  const parsed = baselineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`baseline: ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  }
  return parsed.data.entries;
}

/**
 * Drops the findings the baseline already holds. Matching is by fingerprint and counts copies:
 * if the baseline holds one of two identical findings, the other is still reported.
 */
export function applyBaseline(result: ScanResult, baselineText: string): { result: ScanResult; baselined: number } {
  const remaining = new Map<string, number>();
  for (const entry of parseBaseline(baselineText))
    remaining.set(entry.fingerprint, (remaining.get(entry.fingerprint) ?? 0) + 1);
  const fingerprint = fingerprinter(result.root);
  let baselined = 0;
  const findings = result.findings.filter((f) => {
    const key = fingerprint(f);
    const left = remaining.get(key) ?? 0;
    if (left === 0) return true;
    remaining.set(key, left - 1);
    baselined++;
    return false;
  });
  return { result: { ...result, findings }, baselined };
}
