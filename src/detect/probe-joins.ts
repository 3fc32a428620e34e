import type { FileFacts } from './detector-api';
import { resolveRelative } from './relative-modules';

/**
 * A server often listens in one file on an app made in another (`const app = require('./app');
 * app.listen(port)`), whose routes live in further modules. The health-probes detector reports
 * such a listen with the app's module in `data.appModule`; this keeps the finding only when that
 * module is a server app (it imports a server framework) and no module it reaches through its
 * relative imports answers a probe route (`servesProbe`).
 */
export function joinImportedAppProbes<
  T extends { file: string; finding: { ruleId: string; data?: Record<string, unknown> } },
>(raw: T[], facts: Map<string, FileFacts>): T[] {
  const known = new Set(facts.keys());
  const reach = (start: string): Set<string> => {
    const seen = new Set<string>([start]);
    const queue = [start];
    while (queue.length) {
      const file = queue.pop()!;
      for (const spec of facts.get(file)?.relativeImports ?? []) {
        const next = resolveRelative(file, spec, known);
        if (next && !seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return seen;
  };
  return raw.filter(({ file, finding }) => {
    const spec = finding.ruleId === 'no-health-probes' ? finding.data?.appModule : undefined;
    if (typeof spec !== 'string') return true;
    const app = resolveRelative(file, spec, known);
    const frameworks = app ? facts.get(app)?.frameworks : undefined;
    if (!app || !frameworks || ![...frameworks].some((f) => f !== 'http')) return false;
    return ![...reach(app)].some((f) => facts.get(f)?.servesProbe);
  });
}
