import type { ModuleSourceOptions } from '../lib/module-sources';

/**
 * The generated `resilience/policies` module (spec phase 4.2): one composed cockatiel ^3.2.1
 * policy per dependency (retry, circuit breaker, timeout), built on first use and reused by
 * warm Lambda invocations. Retry and breaker act on transient errors only, as sorted by the
 * generated `errors` module; lifecycle events are logged through the generated `logger`.
 */
export function policiesSource({ typescript, esm, config }: ModuleSourceOptions): string {
  const t = (annotation: string): string => (typescript ? annotation : '');
  const exp = esm ? 'export ' : '';
  // Node's ES module loader needs the extension; TypeScript sources keep the usual extensionless form
  const sibling = (name: string): string => (esm && !typescript ? `./${name}.js` : `./${name}`);
  const cockatielNames = [
    'BrokenCircuitError', 'ConsecutiveBreaker', 'ExponentialBackoff', 'TimeoutStrategy',
    'circuitBreaker', 'handleWhen', 'retry', 'timeout', 'wrap',
  ];

  const imports = esm
    ? [
        'import {',
        ...cockatielNames.map((n) => `  ${n},`),
        "} from 'cockatiel';",
        ...(typescript ? ["import type { CircuitBreakerPolicy, FailureReason } from 'cockatiel';"] : []),
        `import { DependencyDownError, TransientError, classify } from '${sibling('errors')}';`,
        `import { logger } from '${sibling('logger')}';`,
      ]
    : [
        "'use strict';",
        '',
        `const { ${cockatielNames.join(', ')} } = require('cockatiel');`,
        `const { DependencyDownError, TransientError, classify } = require('${sibling('errors')}');`,
        `const { logger } = require('${sibling('logger')}');`,
      ];

  const types = typescript
    ? [
        `${exp}interface PolicySettings {`,
        '  /** Time limit of one attempt, in ms. */',
        '  timeoutMs: number;',
        '  /** Retries after the first call: cockatiel counts retries, so 3 means up to 4 calls. */',
        '  maxAttempts: number;',
        '  /** First and largest backoff delay, in ms (exponential, with decorrelated jitter). */',
        '  initialDelayMs: number;',
        '  maxDelayMs: number;',
        '  /** Consecutive failed attempts that open the circuit breaker. */',
        '  consecutiveFailures: number;',
        '  /** How long an open breaker fails fast before it lets one probe call through, in ms. */',
        '  halfOpenAfterMs: number;',
        '}',
        '',
        `${exp}interface PolicyContext {`,
        '  /** Aborted when the attempt times out: pass it to the call so the request is cancelled. */',
        '  signal: AbortSignal;',
        '  /** 0 for the first call, then 1, 2... for retries */',
        '  attempt: number;',
        '}',
        '',
        `${exp}interface DependencyPolicy {`,
        '  /** Runs `fn` under timeout, retry and breaker; read response bodies inside `fn`. */',
        '  execute<T>(fn: (context: PolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T>;',
        '  /** The breaker itself: `state`, `toJSON()` (to hydrate `initialState`), `isolate()`. */',
        '  readonly breaker: CircuitBreakerPolicy;',
        '}',
        '',
      ]
    : [];

  const { timeouts, retry, breaker } = config;
  const body = [
    '/** Settings of every dependency unless `dependencySettings` says otherwise (from the harden-codemod config). */',
    `${exp}const defaultSettings${t(': PolicySettings')} = {`,
    `  timeoutMs: ${timeouts.httpMs},`,
    `  maxAttempts: ${retry.maxAttempts},`,
    `  initialDelayMs: ${retry.initialDelayMs},`,
    `  maxDelayMs: ${retry.maxDelayMs},`,
    `  consecutiveFailures: ${breaker.consecutiveFailures},`,
    `  halfOpenAfterMs: ${breaker.halfOpenAfterMs},`,
    '};',
    '',
    '/**',
    " * Per-dependency overrides, keyed by the name given to policyFor, e.g. `payments: { timeoutMs: 2000 }`.",
    ' * Read when that dependency\'s policy is first built.',
    ' */',
    `${exp}const dependencySettings${t(': Record<string, Partial<PolicySettings>>')} = {};`,
    '',
    `const policies = new Map${t('<string, DependencyPolicy>')}();`,
    '',
    `function errorOf(reason${t(': FailureReason<unknown>')})${t(': unknown')} {`,
    "  return 'error' in reason ? reason.error : reason.value;",
    '}',
    '',
    '/**',
    ' * The policy of one dependency, built on first use and then shared by every call to it.',
    ' *',
    ' * Composition, outer to inner: retry → circuit breaker → timeout. The timeout is per attempt',
    ' * (innermost) rather than around all retries (the spec\'s "timeout → retry → breaker"): with an',
    ' * outer timeout one hung attempt spends the whole budget, so a hang is never retried, and the',
    ' * breaker never counts hangs, the failure that hurts most. Here each timed-out attempt is a',
    ' * transient failure that is retried and counted by the breaker. Worst case per call:',
    ' * (maxAttempts + 1) × timeoutMs plus backoff delays; keep that below the Lambda timeout.',
    ' */',
    `${exp}function policyFor(dependency${t(': string')})${t(': DependencyPolicy')} {`,
    '  const existing = policies.get(dependency);',
    '  if (existing) return existing;',
    '  const settings = { ...defaultSettings, ...dependencySettings[dependency] };',
    '  // only transient failures (timeouts, network errors, throttling, 5xx) are retried and open the breaker',
    '  const transient = handleWhen((err) => classify(err, dependency) instanceof TransientError);',
    '',
    '  const retryPolicy = retry(transient, {',
    '    maxAttempts: settings.maxAttempts,',
    '    backoff: new ExponentialBackoff({ initialDelay: settings.initialDelayMs, maxDelay: settings.maxDelayMs }),',
    '  });',
    '  const breaker = circuitBreaker(transient, {',
    '    halfOpenAfter: settings.halfOpenAfterMs,',
    '    breaker: new ConsecutiveBreaker(settings.consecutiveFailures),',
    '  });',
    '  // Aggressive: the call is abandoned at the deadline and `signal` aborts it (and again once it returns)',
    '  const attemptTimeout = timeout(settings.timeoutMs, TimeoutStrategy.Aggressive);',
    '',
    '  retryPolicy.onRetry((event) => {',
    "    logger.warn('Retrying dependency call', { dependency, attempt: event.attempt, delayMs: Math.round(event.delay), error: errorOf(event) });",
    '  });',
    '  retryPolicy.onGiveUp((reason) => {',
    "    logger.error('Dependency call failed', { dependency, error: errorOf(reason) });",
    '  });',
    '  attemptTimeout.onTimeout(() => {',
    "    logger.warn('Dependency call timed out', { dependency, timeoutMs: settings.timeoutMs });",
    '  });',
    '  breaker.onBreak((reason) => {',
    "    logger.error('Circuit breaker opened: failing fast', { dependency, halfOpenAfterMs: settings.halfOpenAfterMs, error: 'isolated' in reason ? 'isolated' : errorOf(reason) });",
    '  });',
    '  breaker.onHalfOpen(() => {',
    "    logger.info('Circuit breaker half-open: probing', { dependency });",
    '  });',
    '  breaker.onReset(() => {',
    "    logger.info('Circuit breaker closed', { dependency });",
    '  });',
    '',
    '  const composed = wrap(retryPolicy, breaker, attemptTimeout);',
    `  const policy${t(': DependencyPolicy')} = {`,
    '    breaker,',
    `    async execute(fn, signal) {`,
    '      try {',
    '        return await composed.execute(fn, signal);',
    '      } catch (err) {',
    '        // an open (or isolated) breaker: the dependency is known to be down',
    '        if (err instanceof BrokenCircuitError) {',
    '          throw new DependencyDownError(`${dependency} is unavailable: circuit breaker open`, { cause: err, dependency });',
    '        }',
    '        throw err;',
    '      }',
    '    },',
    '  };',
    '  policies.set(dependency, policy);',
    '  return policy;',
    '}',
    '',
  ];

  const header = [
    "// Resilience policies for this service's dependencies (generated by harden-codemod).",
    "// Call a dependency through its policy and pass the signal on to the request:",
    "//   await policyFor('payments').execute(({ signal }) => client.get(url, { signal }))",
    '// Tune one dependency in `dependencySettings`; an open breaker surfaces as DependencyDownError.',
  ];
  const lines = [...header, '', ...imports, '', ...types, ...body];
  if (!esm) lines.push('module.exports = { policyFor, defaultSettings, dependencySettings };', '');
  return lines.join('\n');
}
