import type { FileFacts } from './detector-api';
import { resolveRelative } from './relative-modules';

/**
 * Drops the no-circuit-breaker findings whose function another file of the project already calls
 * through a circuit breaker (its `breakerWrapped` facts: the relative module and export name it
 * wraps). The finding names its function in `data.function`.
 */
export function dropBreakerWrappedElsewhere<
  T extends { file: string; finding: { ruleId: string; data?: Record<string, unknown> } },
>(raw: T[], facts: Map<string, FileFacts>): T[] {
  const known = new Set(facts.keys());
  const wrapped = new Set<string>();
  for (const [file, f] of facts) {
    for (const w of f.breakerWrapped ?? []) {
      const target = resolveRelative(file, w.source, known);
      if (target) wrapped.add(`${target}#${w.name}`);
    }
  }
  if (!wrapped.size) return raw;
  return raw.filter(({ file, finding }) => {
    if (finding.ruleId !== 'no-circuit-breaker') return true;
    const fn = finding.data?.function;
    return typeof fn !== 'string' || !wrapped.has(`${file}#${fn}`);
  });
}
