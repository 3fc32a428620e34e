import type { ResolvedConfig } from '../config/config-schema';
import { moduleSource } from '../../transforms/lib/module-sources';
import { policyKey } from '../../transforms/lib/policy-call-sites';

/** The cockatiel policy builders the generated module composes, by what they do. */
const BUILDERS: Record<string, string> = { retry: 'retry', circuitBreaker: 'circuit breaker', timeout: 'timeout' };

/**
 * The composition, outer to inner, of a policies module's `wrap(...)`, read from its source:
 * `const retryPolicy = retry(…)` … `wrap(retryPolicy, breaker, attemptTimeout)` →
 * ['retry', 'circuit breaker', 'timeout']. Documents describe the module they ship from this,
 * so they cannot drift from the code.
 */
export function compositionOf(source: string): string[] {
  const kinds = new Map<string, string>();
  for (const m of source.matchAll(/\b(?:const|let|var)\s+(\w+)\s*=\s*(retry|circuitBreaker|timeout)\(/g))
    kinds.set(m[1]!, BUILDERS[m[2]!]!);
  const wrapped = /\bwrap\(([^()]*)\)/.exec(source)?.[1] ?? '';
  return wrapped
    .split(',')
    .map((arg) => arg.trim().split('.').pop() ?? '')
    .map((name) => kinds.get(name))
    .filter((k): k is string => Boolean(k));
}

/** The composition of the policies module the fix generates with this configuration. */
export function generatedComposition(config: ResolvedConfig): string[] {
  return compositionOf(moduleSource('policies', { typescript: true, esm: true, config }));
}

/** The name a dependency's calls pass to `policyFor` in the fixed code. */
export function policyKeyOf(dependencyName: string): string {
  return policyKey(dependencyName);
}
