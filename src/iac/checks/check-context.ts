import type { ResolvedConfig } from '../../config/config-schema';
import type { IacFinding } from '../../types';
import type { IacModel, IacQueue, IacWhere } from '../iac-model';

/** What every check sees: all models of the scan, so references may cross files. */
export interface CheckInput {
  models: IacModel[];
  /** logical ids and names used as a dead-letter target anywhere */
  dlqRefs: ReadonlySet<string>;
  /** the dead-letter targets that are stream event sources' on-failure destinations (they hold record pointers) */
  streamFailureRefs?: ReadonlySet<string>;
  /** true when the repository holds a DLQ redrive procedure */
  hasRedriveProcedure: boolean;
  /** redrive workflows of the repository above the scan root, each covering the queues it names */
  redriveWorkflows?: string[];
  config: ResolvedConfig;
}

export function isDlq(input: CheckInput, q: IacQueue): boolean {
  return input.dlqRefs.has(q.id) || (q.name !== undefined && input.dlqRefs.has(q.name));
}

/** a queue that receives a stream event source's failed-batch records (pointers into the stream, not messages) */
export function isStreamFailureDestination(input: CheckInput, q: IacQueue): boolean {
  const refs = input.streamFailureRefs;
  return refs !== undefined && (refs.has(q.id) || (q.name !== undefined && refs.has(q.name)));
}

/** A finding at a model entry; `data` carries what the fix needs to find it again. */
export function findingAt(ruleId: string, where: IacWhere, message: string, data: Record<string, unknown>): IacFinding {
  return {
    ruleId,
    file: where.file,
    ...where.span,
    message,
    data: { format: where.format, path: where.path, ...data, ...(where.helper ? helperNoFix(where.helper) : {}) },
  };
}

/** a construct made by a shared helper is fixed in the helper, for every caller at once: a reviewer's call */
function helperNoFix(helper: string): Record<string, unknown> {
  return {
    fix: null,
    fixable: false,
    reason: `no automatic fix: made by ${helper}(), which every call shares; change the helper (or pass the setting in) by hand`,
    helper,
  };
}
