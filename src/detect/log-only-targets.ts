import type { LambdaHandler } from '../discovery/discovery-types';
import type { FileFacts } from './detector-api';

/**
 * Drops the no-dlq findings of asynchronous triggers (an EventBridge rule's targets, a function
 * invoked asynchronously) whose every target function's handler does nothing but log: an event
 * lost there loses a log line, and a dead-letter queue would hold nothing worth replaying. The
 * handler is found by the function's id in the same IaC file; a target whose handler is not found
 * in the scanned code keeps the finding. (A bus keeps its no-event-replay finding whatever this
 * service's consumers do: other services may read it.)
 */
export function dropLogOnlyTargets<
  T extends { file: string; finding: { ruleId: string; data?: Record<string, unknown> } },
>(iac: T[], facts: Map<string, FileFacts>, handlers: readonly LambdaHandler[]): T[] {
  const logOnly = (iacFile: string, id: string): boolean => {
    const h = handlers.find((x) => x.functionName === id && x.declaredAt?.file === iacFile);
    return Boolean(h && facts.get(h.file)?.logOnlyExports?.includes(h.exportName));
  };
  return iac.filter(({ file, finding }) => {
    if (finding.ruleId !== 'no-dlq' || !finding.data) return true;
    const { resource, asyncTriggers, targets, targetFunctions } = finding.data;
    let ids: string[];
    if (Array.isArray(targetFunctions)) {
      // a rule: every target must be such a function (other targets, a queue or a bus, keep it)
      if (targetFunctions.length === 0 || targetFunctions.length !== targets) return true;
      ids = targetFunctions.filter((x): x is string => typeof x === 'string');
    } else if (Array.isArray(asyncTriggers) && typeof resource === 'string') ids = [resource];
    else return true;
    return !ids.every((id) => logOnly(file, id));
  });
}
