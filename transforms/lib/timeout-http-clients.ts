import type { JSCodeshift } from 'jscodeshift';
import { CHANGED, ensureOption, isUrlLike, skipped, type FixOutcome } from './call-arguments';
import { findProperty, isObjectLiteral } from './object-literals';

/*
 * Timeouts for promise HTTP clients, one call at a time: axios (`timeout` ms in the config),
 * got (`timeout: { request }`) and ky (10 s by default; only `timeout: false` needs a value).
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime below
type AnyNode = any;

export type HttpLibrary = 'axios' | 'got' | 'ky';

/** The call that makes an instance of a library (`axios.create`, `got.extend`, `ky.create`). */
export function isInstanceFactory(lib: HttpLibrary, method: string | null): boolean {
  if (lib === 'axios') return method === 'create';
  if (lib === 'got') return method === 'extend';
  return method === 'create' || method === 'extend';
}

const AXIOS_URL_CONFIG = new Set(['get', 'delete', 'head', 'options']);
const AXIOS_URL_DATA_CONFIG = new Set(['post', 'put', 'patch', 'postForm', 'putForm', 'patchForm']);
const GOT_URL_OPTIONS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'stream', 'paginate']);

/**
 * Where the config goes in a call of `method` (null = the callable itself): an index, null when
 * the method sends no request, or a reason to leave the call.
 */
function configIndex(lib: 'axios' | 'got', method: string | null, args: AnyNode[]): number | null | string {
  if (method === null || method === 'request') {
    if (isObjectLiteral(args[0])) return 0;
    if (method === 'request') return 'the config is not an object literal';
    // a bare `client(x)` takes a URL or a config: only a visible URL may get a second argument
    return isUrlLike(args[0]) ? 1 : 'cannot tell whether the first argument is a URL or a config';
  }
  if (isInstanceFactory(lib, method)) return 0;
  if (lib === 'axios') {
    if (AXIOS_URL_CONFIG.has(method)) return 1;
    if (AXIOS_URL_DATA_CONFIG.has(method)) return 2;
    return null;
  }
  if (GOT_URL_OPTIONS.has(method)) return isObjectLiteral(args[0]) ? 0 : 1;
  return null;
}

/**
 * Adds the library's timeout to one call (a request or an instance factory). Returns null for
 * calls that send no request (`axios.isAxiosError(e)`).
 */
export function fixClientCall(
  j: JSCodeshift,
  lib: HttpLibrary,
  call: AnyNode,
  method: string | null,
  ms: number,
): FixOutcome | null {
  if (lib === 'ky') return fixKyCall(j, call, ms);
  const index = configIndex(lib, method, call.arguments);
  if (index === null) return null;
  if (typeof index === 'string') return skipped(index);
  const value = lib === 'axios' ? String(ms) : `{ request: ${ms} }`;
  // an explicit `timeout: 0` means "none" in axios and got
  return ensureOption(j, call, index, 'timeout', value, isZero);
}

/** ky times out after 10 s by default; only an explicit `timeout: false` removes that. */
function fixKyCall(j: JSCodeshift, call: AnyNode, ms: number): FixOutcome | null {
  let changed = false;
  for (const arg of call.arguments) {
    if (!isObjectLiteral(arg)) continue;
    const prop = findProperty(arg, 'timeout');
    if (prop && prop.value?.type === 'BooleanLiteral' && prop.value.value === false) {
      prop.value = j.numericLiteral(ms);
      changed = true;
    }
  }
  return changed ? CHANGED : null;
}

const isZero = (v: AnyNode): boolean => v?.type === 'NumericLiteral' && v.value === 0;

/** Whether an instance factory call already sets a timeout (ky always has one unless disabled). */
export function factorySetsTimeout(lib: HttpLibrary, call: AnyNode): boolean {
  if (lib === 'ky') return true;
  const first = call.arguments[0];
  const prop = isObjectLiteral(first) ? findProperty(first, 'timeout') : undefined;
  return prop !== undefined && !isZero(prop.value);
}
