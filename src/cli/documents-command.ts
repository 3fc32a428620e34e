import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { reliabilityFacts } from '../iac/reliability-facts';
import { reliabilityPlan } from '../report/reliability-plan';
import { readinessReview } from '../report/review';
import { scanSelection } from '../session/open-session';
import type { SelectionOptions } from '../session/selection';

export const DEFAULT_REVIEW = '.opencode/docs/PRODUCTION-READINESS-REVIEW.md';
export const DEFAULT_PLAN = '.opencode/docs/RELIABILITY-IMPROVEMENT-PLAN.md';

type DocumentOptions = SelectionOptions & { out: string; availabilityTarget?: string };

/** Regenerates a document in place: what the user wrote outside the generated sections is kept. */
function writeDocument(root: string, out: string, render: (existing: string | undefined) => string): string {
  const file = path.resolve(root, out);
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic.sync(file, render(existing));
  return file;
}

/** `harden-codemod review` (seed 001/002) and `harden-codemod plan` (seed 003). */
export async function documentCommand(
  kind: 'review' | 'plan',
  paths: string[],
  options: DocumentOptions,
): Promise<number> {
  const { result } = await scanSelection(paths, options);
  const facts = result.reliability ?? reliabilityFacts(result.iacFiles ?? []);
  const date = new Date().toISOString().slice(0, 10);
  const file = writeDocument(result.root, options.out, (existing) =>
    kind === 'review'
      ? readinessReview(result, facts, { date, existing })
      : reliabilityPlan(result, facts, { date, availabilityTarget: options.availabilityTarget, existing }),
  );
  const title = kind === 'review' ? 'Production-readiness review' : 'Reliability improvement plan';
  process.stdout.write(
    `${title} written: ${path.relative(process.cwd(), file) || file} (${result.findings.length} findings)\n`,
  );
  return 0;
}
