import type { ResolvedConfig } from '../../config/config-schema';
import type { IacFinding } from '../../types';
import type { IacModel, IacQueue, IacWhere } from '../iac-model';
import type { FactAt, ReliabilityFacts } from '../reliability/facts-types';

/** What every check sees: all models of the scan, so references may cross files. */
export interface CheckInput {
  models: IacModel[];
  /** the reliability facts read with the models (databases, tables, compute, network…) */
  facts: ReliabilityFacts;
  /** the scan root and every file walked: evidence such as redrive scripts */
  root: string;
  repoFiles: readonly string[];
  /** the dead-letter targets that are stream event sources' on-failure destinations (they hold record pointers) */
  streamFailureRefs?: ReadonlySet<string>;
  config: ResolvedConfig;
}

/**
 * An IaC check: the catalog rule ids it reports (the join key with the catalog, --only/--skip
 * and the documents) and the findings it reports over every model of the scan.
 */
export interface IacCheck {
  ruleIds: readonly string[];
  run(input: CheckInput): IacFinding[];
}

/** another queue's (or source's) dead-letter target anywhere in the scan: set once when every model is read */
export function isDlq(q: IacQueue): boolean {
  return q.isDlq === true;
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

/**
 * A finding at a resource the reliability facts list (its key's line). `component` names it as
 * the plan's single-point-of-failure table does, `detail` says what falls short, `mitigation`
 * what already softens it: the message is `component: detail`.
 */
export function factFinding(
  ruleId: string,
  fact: Pick<FactAt, 'file' | 'line' | 'column' | 'id'> & { format?: FactAt['format'] },
  what: { component: string; detail: string; mitigation?: string },
): IacFinding {
  return {
    ruleId,
    file: fact.file,
    line: fact.line,
    column: fact.column ?? 1,
    endLine: fact.line,
    endColumn: (fact.column ?? 1) + fact.id.length,
    message: `${what.component}: ${what.detail}`,
    data: {
      resource: fact.id,
      ...(fact.format ? { format: fact.format } : {}),
      component: what.component,
      detail: what.detail,
      ...(what.mitigation ? { mitigation: what.mitigation } : {}),
    },
  };
}
