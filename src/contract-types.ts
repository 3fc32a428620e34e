/*
 * What a fix that changes a function's contract (it returned a default on failure, it will
 * reject) needs to know about the code that calls it. The scan computes these facts once (the
 * call sites of every file, then the callers of each function across the project) and hands
 * them to the fix in the finding's `data`; the fix never looks for callers itself.
 * Plain JSON throughout: the facts cross worker threads and the detection cache.
 */

/** Web frameworks whose route handlers the model recognises. */
export type RouteFramework = 'express' | 'fastify' | 'koa';

/** A route handler: a rejection of it is the framework's to handle. */
export interface RouteRef {
  framework: RouteFramework;
  /** the framework turns a rejected handler into an error answer (Express 5, express-async-errors, Fastify, Koa) */
  handlesRejection: boolean;
  /** line and column (1-based) of the handler function: where the route finding is reported */
  line: number;
  column: number;
}

/** The function whose promise a rejection reaches. */
export interface FunctionRef {
  /** its top-level name in its file; null for callbacks, methods and other anonymous functions */
  name: string | null;
  /** the names other modules import it by (`default` for a default export) */
  exports: string[];
  /** 1-based line of the function */
  line: number;
  /** set when the function is a route handler registered in its own file */
  route?: RouteRef;
  /** an enclosing try/catch of the function itself catches what the changed code throws */
  caughtInside?: boolean;
}

/** How a rejection of the call is treated where the call is made. */
export type CallHandling =
  /** awaited in a try with a catch, `.catch(...)`, `.then(ok, failed)`, `Promise.allSettled` */
  | 'caught'
  /** awaited or returned with no catch: the rejection goes on to the enclosing function's caller */
  | 'propagates'
  /** neither awaited, returned nor caught: a rejection is an unhandled rejection */
  | 'unhandled'
  /** the function is passed on as a value (a callback, a re-export): who calls it is not known */
  | 'escapes'
  /** stored or passed in a way the model does not follow */
  | 'unknown';

/** One call of (or reference to) a function of the project, as recorded in the caller's file. */
export interface CallSiteFact {
  /** a top-level function of the same file, or an import from a relative module */
  callee: { local: string } | { source: string; name: string };
  line: number;
  column: number;
  handling: CallHandling;
  /** the caller reads the default back (`=== null`, `!x`, `x ?? y`, `if (x)`): the default means something to it */
  testsDefault: boolean;
  /** for 'propagates': the function the rejection reaches */
  within?: FunctionRef;
  /** for 'escapes': the value is registered as a route handler */
  route?: RouteRef;
}

/** Why a caller is, or is not, able to take a rejection. */
export type CallerVerdict =
  | { kind: 'handles' }
  /** awaits or returns the call without a catch: the callers of `to` (listed after it) receive the rejection */
  | { kind: 'passes-on'; to: string }
  /** a route handler of a framework that does not catch rejections (Express 4): safe only if the route fix runs */
  | { kind: 'route'; framework: RouteFramework; line: number }
  | { kind: 'unsafe'; reason: string };

/** A caller of a function, resolved across files (posix path relative to the scan root). */
export interface CallerFact {
  file: string;
  line: number;
  testsDefault: boolean;
  verdict: CallerVerdict;
  /** the chain of functions the rejection passes through on its way to this caller (`getStatus ← loadPayment`) */
  via?: string[];
}

/**
 * Finding data of a fix that turns a default value into a rejection: the function that changes
 * and, once the scan has resolved them, its callers. `callers` absent means the scan did not
 * resolve them (a single file on its own): then the fix treats callers in other files as unknown.
 */
export interface ContractData {
  contract: FunctionRef | { unknown: string };
  callers?: CallerFact[];
  /** the function's callers outside the scanned files cannot be known (entry module of a package, partial scan) */
  callersIncomplete?: string;
  /** `.catch(() => default)` whose default the same function reads back (`meta?.title`, `if (!data)`) */
  localDefault?: boolean;
}

/** A finding of another rule, by where it is: what a fix may depend on. */
export interface FindingRef {
  ruleId: string;
  file: string;
  line: number;
}

export function isFunctionRef(value: ContractData['contract']): value is FunctionRef {
  return !('unknown' in value);
}

/** The contract data of a finding, when it has some. */
export function contractDataOf(data: Record<string, unknown> | undefined): ContractData | null {
  const contract = data?.contract;
  return contract && typeof contract === 'object' ? (data as unknown as ContractData) : null;
}
