import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import { enclosingFunction } from '../src/parse/walk';
import { analyzeDependencies, type DependencyCall } from './lib/dependency-calls';
import { describeTarget } from './lib/dependency-category';
import { useDependencyModel, type DependencyModel } from './lib/dependency-model';
import { callTimeout, instanceTimeout } from './lib/dependency-timeouts';
import { DEPENDENCY_TRIGGERS, moduleSpecifierPattern } from './lib/dependency-triggers';
import { protectionAnalyzer, type Protection } from './lib/policy-protection';
import { callFactsOf } from './lib/call-facts';
import { breakerNotDue } from './lib/call-frequency';
import { breakerWrappedImports, outerFunctionName } from './lib/call-breakers-elsewhere';
import { toFindingData, type CallFacts, type DependencyCallData } from '../src/rule-data/policy-rules';
import { mergeVisitors } from '../src/parse/merge-visitors';

const NO_RETRY = 'no-retry';
const NO_BREAKER = 'no-circuit-breaker';

/** Imports that show which resilience libraries a codebase already uses. */
const RESILIENCE_LIBRARIES = new Set([
  'cockatiel',
  'opossum',
  'p-retry',
  'async-retry',
  'axios-retry',
  'retry-axios',
  'p-timeout',
  'p-queue',
  'p-limit',
  'promise-retry',
  'exponential-backoff',
  'bottleneck',
  'brakes',
]);

function recordLibraries(ctx: DetectorContext): void {
  for (const source of ctx.imports.sources) {
    if (RESILIENCE_LIBRARIES.has(source)) ctx.facts.resilienceLibraries.add(source);
    else if (source.startsWith('@aws-lambda-powertools/'))
      ctx.facts.resilienceLibraries.add(source.split('/').slice(0, 2).join('/'));
  }
}

/** Clients whose calls are not checked (databases, brokers, key sets, table rows with `calls: none`). */
const UNCHECKED_CLIENTS = new Set(['kafkajs', 'jose', 'jwks-rsa']);

/**
 * no-retry / no-circuit-breaker: each HTTP call and AWS SDK command not guarded by a retry
 * (cockatiel, p-retry, async-retry, axios-retry, the SDK's own) or a breaker (cockatiel,
 * opossum). One finding per rule, dependency and enclosing function.
 */
function check(ctx: DetectorContext, m: DependencyModel): void {
  recordLibraries(ctx);
  const analysis = analyzeDependencies(m);
  const protect = protectionAnalyzer(m, analysis);
  const facts = new Set<string>();
  const addFact = (f: DetectorContext['facts']['dependencies'][number]): void => {
    const key = JSON.stringify(f);
    if (facts.has(key)) return;
    facts.add(key);
    ctx.facts.dependencies.push(f);
  };
  // one finding per rule, dependency and function; `data.lines` lists every call it stands for, so the fix wraps them all
  const grouped = new Map<
    string,
    { ruleId: string; call: DependencyCall; message: string; lines: number[]; calls: CallFacts[] }
  >();
  const report = (ruleId: string, call: DependencyCall, message: string, protection: Protection): void => {
    const scope = enclosingFunction(call.path)?.node ?? m.program;
    const key = `${ruleId}|${call.dependency.name}|${scope?.start ?? 0}`;
    const line = call.node.loc?.start.line ?? 0;
    const facts = callFactsOf(m, call, protection);
    const known = grouped.get(key);
    if (known) {
      known.lines.push(line);
      known.calls.push(facts);
    } else grouped.set(key, { ruleId, call, message, lines: [line], calls: [facts] });
  };

  for (const call of analysis.calls) {
    const p = protect(call);
    const t = callTimeout(m, call);
    addFact({
      ...call.dependency,
      module: call.module,
      timeout: t !== 'missing' && t !== 'off',
      retry: p.retry,
      breaker: p.breaker,
    });
    const what = `${call.callee}()${describeTarget(call.dependency, call.client)}`;
    if (!p.retry) report(NO_RETRY, call, `${what} is not retried`, p);
    // a breaker only for a dependency the request or message path keeps calling (lib/call-frequency);
    // AWS SDK v3's standard retry strategy has a retry quota that stops retrying a failing
    // service, and the AWS endpoints are regional and redundant: a breaker per command is noise
    if (!p.breaker && call.client !== 'aws-sdk' && call.spec?.breaker !== false && !breakerNotDue(m, call))
      report(NO_BREAKER, call, `${what} has no circuit breaker`, p);
  }
  for (const { ruleId, call, message, lines, calls } of grouped.values()) {
    const data: DependencyCallData = { client: call.client, form: 'call', callee: call.callee, lines, calls };
    // the function a breaker in another file may wrap (the scan drops the finding then)
    const fn = ruleId === NO_BREAKER ? outerFunctionName(call.path) : null;
    ctx.report({
      ruleId,
      node: call.node,
      messageId: ruleId === NO_RETRY ? 'callNotRetried' : 'callWithoutBreaker',
      message,
      dependency: call.dependency,
      data: { ...toFindingData(data), ...(fn ? { function: fn } : {}) },
    });
  }
  const wrapped = breakerWrappedImports(m, protect);
  if (wrapped.length) ctx.facts.breakerWrapped = [...(ctx.facts.breakerWrapped ?? []), ...wrapped];
  // databases, brokers and key sets are dependencies too, though their calls are not checked
  for (const inst of analysis.instances) {
    if (!UNCHECKED_CLIENTS.has(inst.client) && inst.spec?.calls !== 'none') continue;
    const t = instanceTimeout(m, inst);
    addFact({
      ...inst.dependency,
      module: inst.module,
      timeout: t !== 'missing' && t !== 'off',
      retry: false,
      breaker: false,
    });
  }
}

const detector: CodeDetector = {
  name: 'dependency-policies',
  ruleIds: [NO_RETRY, NO_BREAKER],
  // resilience libraries are recorded from the modules a file imports
  triggers: [
    ...DEPENDENCY_TRIGGERS,
    moduleSpecifierPattern(['cockatiel', 'opossum', 'retry', 'p-queue', 'p-limit', 'p-timeout', 'powertools']),
  ],
  records: ['dependencies', 'resilienceLibraries', 'breakerWrapped'],
  create(ctx) {
    const { model, visitors } = useDependencyModel(ctx);
    return mergeVisitors(visitors, { 'Program:exit': () => check(ctx, model) });
  },
};

export default detector;
