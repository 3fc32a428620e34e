import fs from 'node:fs';
import path from 'node:path';
import { gitRootOf } from '../../files/git-root';
import type { IacModel } from '../iac-model';
import type { IacFinding } from '../../types';
import { findingAt, isDlq, isStreamFailureDestination, type CheckInput, type IacCheck } from './check-context';

const PROCEDURE_PLACES = /(^|\/)(\.github\/workflows|scripts|docs\/runbooks)\//;
const REDRIVE_WORDS = /redrive|start-message-move-task|StartMessageMoveTask/i;

/** A workflow, script or runbook whose name or text mentions redriving a DLQ. */
function hasRedriveProcedure(root: string, repoFiles: readonly string[]): boolean {
  for (const file of repoFiles) {
    if (!PROCEDURE_PLACES.test(file)) continue;
    if (REDRIVE_WORDS.test(path.posix.basename(file))) return true;
    try {
      const stat = fs.statSync(path.join(root, file));
      if (stat.size > 512 * 1024) continue;
      if (REDRIVE_WORDS.test(fs.readFileSync(path.join(root, file), 'utf8'))) return true;
    } catch {
      /* unreadable: not evidence */
    }
  }
  return false;
}

/**
 * Redrive workflows of the repository that sit above the scan root (a monorepo package's
 * services share the repository's .github/workflows): each covers the queues it names.
 */
function repositoryRedriveWorkflows(root: string): string[] {
  const top = gitRootOf(root);
  if (!top || path.resolve(top) === path.resolve(root)) return [];
  const dir = path.join(top, '.github', 'workflows');
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n));
  } catch {
    return [];
  }
  return names
    .map((n) => {
      try {
        return fs.readFileSync(path.join(dir, n), 'utf8');
      } catch {
        return '';
      }
    })
    .filter((t) => REDRIVE_WORDS.test(t));
}

function checkDlqRedrive(input: CheckInput): IacFinding[] {
  // the repository is searched only when some queue is a dead-letter target
  if (!input.models.some((m) => m.dlqRefs.length > 0)) return [];
  if (hasRedriveProcedure(input.root, input.repoFiles)) return [];
  const workflows = repositoryRedriveWorkflows(input.root);
  const names = (q: { id: string; name?: string }) => [`'${q.id}'`, ...(q.name ? [q.name] : [])];
  const covered = (q: { id: string; name?: string }) => workflows.some((t) => names(q).some((n) => t.includes(n)));
  // a dead-letter queue that a function reads is drained by it (re-processed, forwarded or logged):
  // nothing stays in it for a redrive to move (a logical id means a queue of the same template, a
  // queue name is the same in every template)
  const readBy = (m: IacModel) => new Set(m.sqsSources.flatMap((s) => s.queueRefs));
  const drainedNames = new Set(input.models.flatMap((m) => [...readBy(m)]));
  const drained = (q: { id: string; name?: string }, m: IacModel) =>
    readBy(m).has(q.id) || (q.name !== undefined && drainedNames.has(q.name));
  return input.models.flatMap((m) =>
    m.queues
      // a stream's failure records point into the shard: recovery re-reads the stream, a redrive does not apply
      .filter((q) => isDlq(q) && !isStreamFailureDestination(input, q) && !covered(q) && !drained(q, m))
      .map((q) =>
        findingAt(
          'dlq-without-redrive',
          q,
          `Dead-letter queue ${q.id} has no redrive procedure in the repository (workflow, script or runbook): recovery after a fix is manual.`,
          { resource: q.id, fix: 'redrive-workflow', queueName: q.name ?? null, queueNameSub: q.nameSub ?? null },
        ),
      ),
  );
}

export default { ruleIds: ['dlq-without-redrive'], run: checkDlqRedrive } satisfies IacCheck;
