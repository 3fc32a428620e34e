import type { ProjectFacts } from '../../src/detect/detector-api';

/** The dependency ranges of the package.json nearest to a file (posix path relative to the root). */
export function nearestDependencies(project: ProjectFacts, file: string): Record<string, string> | null {
  let best: { dir: string; dependencies: Record<string, string> } | null = null;
  for (const m of project.manifests ?? []) {
    const inside = m.dir === '' || file === m.dir || file.startsWith(`${m.dir}/`);
    if (inside && (!best || m.dir.length > best.dir.length)) best = m;
  }
  return best?.dependencies ?? null;
}

/**
 * The lowest major version a range allows (`^4.17.1` → 4, `~5.0` → 5, `>=5` → 5, `5.x` → 5);
 * null for tags, URLs and workspace links, whose version cannot be read from the range.
 */
export function lowestMajor(range: string): number | null {
  const m = /^\s*(?:[~^]|>=?|=)?\s*v?(\d+)(?:\.|$|\s|-)/.exec(range.split('||')[0] ?? '');
  return m ? Number(m[1]) : null;
}
