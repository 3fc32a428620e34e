import { isScalar, type Node } from 'yaml';
import type { FunctionSettings, IacFunction, IacModel, SettledFunction } from '../iac-model';
import type { YamlReader } from '../yaml-nodes';
import type { CfnIntegration } from './cfn-facts';
import type { ReliabilityFacts } from './facts-types';

/** Platform defaults when a template writes no timeout. */
export const DEFAULT_TIMEOUT = { serverless: 6, sam: 3, cloudformation: 3, cdk: 3 } as const;
/** API Gateway REST integration timeout when none is written (HTTP APIs: 30 s). */
export const DEFAULT_API_TIMEOUT = 29;

const HEALTH_PATH = /(^|\/)_?(health|healthz|healthcheck|ready|readyz|readiness|live|livez|liveness|ping)(\/|$)/i;

export function isHealthPath(path: string): boolean {
  return HEALTH_PATH.test(path);
}

interface Route {
  line: number;
  path?: string;
  /** seconds, null = default */
  timeout: number | null;
  defaultTimeout: number;
}

/** Records a function's settings on its model entry (the one object the checks and the documents read). */
export function settle(
  fn: IacFunction,
  timeout: number | undefined,
  fallback: number,
  rest: Pick<FunctionSettings, 'memory' | 'deployment' | 'rollbackAlarms'>,
): SettledFunction {
  fn.settings = { timeout: timeout ?? fallback, timeoutDefaulted: timeout === undefined, ...rest };
  return fn as SettledFunction;
}

function addRoutes(facts: ReliabilityFacts, file: string, fn: SettledFunction, routes: Route[]): void {
  for (const route of routes) {
    const apiTimeout = route.timeout ?? route.defaultTimeout;
    facts.apiIntegrations.push({
      file,
      line: route.line,
      functionId: fn.id,
      apiTimeout,
      apiTimeoutDefaulted: route.timeout === null,
      functionTimeout: fn.settings.timeout,
      lambdaOutlivesApi: fn.settings.timeout >= apiTimeout,
    });
    if (route.path && isHealthPath(route.path))
      facts.healthChecks.push({
        file,
        line: route.line,
        id: fn.id,
        format: fn.format,
        kind: 'http-route',
        path: route.path,
      });
  }
}

/** serverless.yml functions: provider defaults, http/httpApi routes, the canary-deployments plugin settings. */
export function readServerlessFunctions(r: YamlReader, model: IacModel, facts: ReliabilityFacts): void {
  const root = r.doc.contents;
  const providerTimeout = r.num(r.get(root, 'provider', 'timeout'));
  const providerMemory = r.num(r.get(root, 'provider', 'memorySize'));
  const defaultDeploy = r.get(root, 'custom', 'deploymentSettings');
  for (const fn of model.functions.filter((f) => f.format === 'serverless' && f.path[0] === 'functions')) {
    const def = r.get(root, ...fn.path);
    const deploy = r.get(def, 'deploymentSettings') ?? defaultDeploy;
    const fact = settle(fn, r.num(r.get(def, 'timeout')) ?? providerTimeout, DEFAULT_TIMEOUT.serverless, {
      memory: r.num(r.get(def, 'memorySize')) ?? providerMemory ?? null,
      deployment: r.str(r.get(deploy, 'type')) ?? null,
      rollbackAlarms: r.items(r.get(deploy, 'alarms')).length,
    });
    facts.functions.push(fact);
    const routes: Route[] = [];
    for (const event of r.items(r.get(def, 'events'))) {
      for (const kind of ['http', 'httpApi'] as const) {
        const pair = r.pair(event, kind);
        if (!pair) continue;
        const value = r.deref(pair.value);
        const shorthand = r.str(value);
        const path = shorthand ? shorthand.trim().split(/\s+/).pop() : r.str(r.get(value, 'path'));
        routes.push({
          line: r.keySpan(pair).line,
          ...(path ? { path } : {}),
          // http (REST) events may set `timeout` in seconds; HTTP APIs cap integrations at 30 s
          timeout: kind === 'http' ? (r.num(r.get(value, 'timeout')) ?? null) : null,
          defaultTimeout: kind === 'http' ? DEFAULT_API_TIMEOUT : 30,
        });
      }
    }
    addRoutes(facts, fn.file, fact, routes);
  }
}

/**
 * A DeploymentPreference Type as written, or through `!Ref` to a template parameter: its default,
 * else the parameter's name (chosen at deploy time, not all at once by itself).
 */
function deploymentType(r: YamlReader, node: Node | undefined): string | null {
  const literal = r.str(node);
  if (literal !== undefined) return literal;
  const n = r.deref(node);
  if (!n) return null;
  // only a plain `!Ref X` / `{ Ref: X }`: a FindInMap or If built from a Ref is not the Ref's value
  const ref = isScalar(n)
    ? n.tag === '!Ref' && typeof n.value === 'string'
      ? n.value
      : undefined
    : r.entries(n).length === 1
      ? r.str(r.get(n, 'Ref'))
      : undefined;
  if (!ref) return 'a Type computed at deploy time';
  const declared = r.get(r.doc.contents, 'Parameters', ref);
  return r.str(r.get(declared, 'Default')) ?? `the ${ref} parameter`;
}

/** SAM / CloudFormation functions (also those under serverless `resources`): Globals, DeploymentPreference, Api events. */
export function readTemplateFunctions(
  r: YamlReader,
  model: IacModel,
  facts: ReliabilityFacts,
  globals: Node | undefined,
  integrations: CfnIntegration[],
): void {
  const byId = new Map<string, SettledFunction>();
  for (const fn of model.functions.filter((f) => f.path[0] !== 'functions')) {
    const res = r.get(r.doc.contents, ...fn.path);
    const p = r.get(res, 'Properties');
    const sam = r.str(r.get(res, 'Type')) === 'AWS::Serverless::Function';
    const g = sam ? globals : undefined;
    const prop = (k: string) => r.get(p, k) ?? r.get(g, k);
    const preference = prop('DeploymentPreference');
    const fact = settle(
      fn,
      r.num(prop('Timeout')),
      fn.format === 'sam' ? DEFAULT_TIMEOUT.sam : DEFAULT_TIMEOUT.cloudformation,
      {
        memory: r.num(prop('MemorySize')) ?? null,
        deployment:
          r.bool(r.get(preference, 'Enabled')) === false ? null : deploymentType(r, r.get(preference, 'Type')),
        rollbackAlarms: r.items(r.get(preference, 'Alarms')).length,
      },
    );
    facts.functions.push(fact);
    byId.set(fn.id, fact);
    const routes: Route[] = [];
    for (const { value, pair } of r.entries(r.get(p, 'Events'))) {
      const type = r.str(r.get(value, 'Type'));
      if (type !== 'Api' && type !== 'HttpApi') continue;
      const ep = r.get(value, 'Properties');
      const path = r.str(r.get(ep, 'Path'));
      const timeout = r.num(r.get(ep, 'TimeoutInMillis'));
      routes.push({
        line: r.keySpan(pair).line,
        ...(path ? { path } : {}),
        timeout: timeout === undefined ? null : timeout / 1000,
        defaultTimeout: type === 'Api' ? DEFAULT_API_TIMEOUT : 30,
      });
    }
    addRoutes(facts, fn.file, fact, routes);
  }
  for (const integration of integrations) {
    for (const id of integration.functionIds) {
      const fact = byId.get(id);
      if (!fact) continue;
      addRoutes(facts, integration.file, fact, [
        { line: integration.line, timeout: integration.timeout, defaultTimeout: integration.defaultTimeout },
      ]);
    }
  }
}
