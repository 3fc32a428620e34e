import type { ResolvedConfig } from '../../src/config/config-schema';

/*
 * Two timers on one request race: the policy's attempt timeout (`timeouts.httpMs`) and the
 * client's own (axios `timeout`, fetch `AbortSignal.timeout`). When they are equal, which error
 * the caller sees is a matter of milliseconds: sometimes the policy's TransientError, sometimes
 * the client's own timeout error. The client's timeout is set just above the attempt timeout, so
 * that for a wrapped call the policy decides, and an unwrapped call still has its deadline.
 */

/** How far above the policy's attempt timeout a client's own timeout is set, in ms. */
export const CLIENT_TIMEOUT_MARGIN_MS = 1000;

/** The timeout an HTTP client gets from the fixes: the attempt timeout plus the margin. */
export function clientTimeoutMs(config: ResolvedConfig): number {
  return config.timeouts.httpMs + CLIENT_TIMEOUT_MARGIN_MS;
}
