import path from 'node:path';
import { contractDataOf, isFunctionRef, type ContractData, type FindingRef } from '../../src/contract-types';
import { callersModel } from '../../src/detect/callers-model';
import callers from '../../detectors/callers';
import errorHandling from '../../detectors/error-handling';
import idempotency from '../../detectors/idempotency';
import type { FixContext } from '../../src/api/fix-context';
import { detectAlone } from './finding-facts';

/*
 * Whether a catch may start rethrowing: turning `return null` into `throw classify(err)`
 * changes the function's contract, so every caller must take the rejection (a try/catch, a
 * `.catch`, a framework or runtime that answers it). Where a caller reads the default back
 * (`=== null`), the default keeps its meaning for errors that are not infrastructure failures
 * and only outages are rethrown. The callers come from the scan, through the finding's data.
 */

/** The route rule whose fix makes an Express 4 route pass a rejection to its error handler. */
export const ROUTE_RULE = 'unhandled-route-rejection';

const SINGLE_FILE = 'a single-file run does not see the other files that may call it (harden-codemod fix checks them)';

export type ContractDecision =
  /** every caller takes a rejection: rethrow the classified error */
  | { action: 'rethrow'; requires: FindingRef[] }
  /** a caller reads the default back: rethrow infrastructure failures only, keep the default for the rest */
  | { action: 'rethrow-infra'; requires: FindingRef[] }
  | { action: 'leave'; reason: string };

const at = (file: string, line: number): string => `${file}:${line}`;

/** Decides, from the callers the scan found, how (and whether) a swallowed failure may be rethrown. */
export function decideContract(data: ContractData | null, ctx: Pick<FixContext, 'willFix'>): ContractDecision {
  if (!data)
    return {
      action: 'leave',
      reason: 'the callers of this function are not known, and a rethrow could reach one that does not catch it',
    };
  const contract = data.contract;
  if (!isFunctionRef(contract)) return { action: 'leave', reason: `a rethrow here: ${contract.unknown}` };
  if (contract.caughtInside) return { action: data.localDefault ? 'rethrow-infra' : 'rethrow', requires: [] };
  // callers not resolved by the scan (a finding found again after a first rewrite): unknown
  if (!data.callers)
    return {
      action: 'leave',
      reason: 'the callers of this function were not resolved, and a rethrow could reach one that does not catch it',
    };
  if (data.callersIncomplete)
    return { action: 'leave', reason: `${contract.name ?? 'the function'} is exported and ${data.callersIncomplete}` };
  const requires: FindingRef[] = [];
  let readsDefault = data.localDefault === true;
  for (const caller of data.callers ?? []) {
    if (caller.testsDefault) readsDefault = true;
    const v = caller.verdict;
    if (v.kind === 'unsafe')
      return {
        action: 'leave',
        reason: `a caller cannot take a rejection (${at(caller.file, caller.line)}: ${v.reason})`,
      };
    if (v.kind === 'route') {
      const ref = { ruleId: ROUTE_RULE, file: caller.file, line: v.line };
      if (!ctx.willFix(ref)) {
        return {
          action: 'leave',
          reason: `its caller, the ${v.framework} route handler at ${at(caller.file, v.line)}, does not catch a rejection and would crash the process: fix ${ROUTE_RULE} there in the same run`,
        };
      }
      requires.push(ref);
    }
  }
  return { action: readsDefault ? 'rethrow-infra' : 'rethrow', requires };
}

/**
 * The contract data of the swallows of one file when the transform runs on its own (no scan):
 * the same detectors and callers model over this file alone. Callers in other files are
 * unknown then, so exported functions are left.
 */
export function singleFileContracts(ctx: FixContext): Array<{ line: number; data: ContractData | null }> {
  const text = ctx.root.toSource();
  const name = path.basename(ctx.file);
  const detection = detectAlone(ctx.file, text, [errorHandling, callers, idempotency]);
  // Lambda handlers by their signature (the idempotency detector records them): the runtime is their caller
  const lambdaHandlers = [...detection.facts.handlerExports.keys()].map((exportName) => ({
    file: name,
    exportName,
    triggers: [],
    source: 'code' as const,
  }));
  const model = callersModel({
    facts: new Map([[name, detection.facts]]),
    imports: new Map([[name, detection.facts.relativeImports]]),
    lambdaHandlers,
    partial: SINGLE_FILE,
  });
  return detection.findings.map((f) => {
    const data = contractDataOf(f.data);
    if (data && isFunctionRef(data.contract)) Object.assign(data, model(name, data.contract));
    return { line: f.line, data };
  });
}

/** The contract data of the swallow reported on one of `lines`. */
export function contractAt(
  contracts: Array<{ line: number; data: ContractData | null }>,
  lines: Array<number | undefined>,
): ContractData | null {
  return contracts.find((c) => lines.includes(c.line))?.data ?? null;
}
