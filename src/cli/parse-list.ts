import { UsageError } from '../errors';
import { SEVERITIES, type Severity } from '../types';

/** Comma- or space-separated values of a repeatable option, flattened. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(/[\s,]+/).filter(Boolean)];
}

export function severity(value: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(value)) {
    throw new UsageError(`--severity must be one of ${SEVERITIES.join(', ')} (got "${value}")`);
  }
  return value as Severity;
}

/** `--max-findings <n>`: a whole number of findings tolerated before the run fails. */
export function maxFindings(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n))
    throw new UsageError(`--max-findings must be a whole number (got "${value}")`);
  return n;
}
