import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import { analyzeDependencies, type DependencyCall, type DependencyInstance } from './lib/dependency-calls';
import { describeTarget } from './lib/dependency-category';
import { DEPENDENCY_TRIGGERS } from './lib/dependency-triggers';
import { toFindingData } from '../src/rule-data/policy-rules';
import type { TimeoutData } from '../src/rule-data/timeout-rule';
import type { Node } from '@babel/types';
import {
  importAt,
  optionsObject,
  resolveValue,
  useDependencyModel,
  type DependencyModel,
} from './lib/dependency-model';
import { callTimeout, instanceTimeout, ownCallTimeout, type TimeoutState } from './lib/dependency-timeouts';
import { isOffValue, memberChain, objectShape } from './lib/dependency-ast';
import { mergeVisitors } from '../src/parse/merge-visitors';
import { propertyName } from './lib/node-text';
import { hostOf, isLoopbackHost } from './lib/url-literals';
import { unwrap } from './lib/unwrap';

const RULE = 'no-timeout';

function what(state: TimeoutState): string {
  return state === 'off' ? 'has its timeout turned off' : 'has no timeout';
}

/**
 * A client used only to sign URLs (`s3.getSignedUrl(...)`, v3 `getSignedUrl(s3, command)`) makes
 * no request of its own: a timeout would never apply.
 */
function isPresignOnly(m: DependencyModel, inst: DependencyInstance): boolean {
  const presign = new Set(inst.spec?.presignOnly ?? []);
  let signs = false;
  for (const c of m.calls) {
    const node = c.node as { callee: Node; arguments: Node[] };
    const callee = unwrap(node.callee);
    if (
      callee &&
      (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') &&
      resolveValue(m, callee.object, c) === inst.node
    ) {
      if (!presign.has(propertyName(callee) ?? '')) return false;
      signs = true;
      continue;
    }
    const chain = memberChain(callee);
    const src = chain ? importAt(m, chain[0]!, c)?.source : undefined;
    if (src === '@aws-sdk/s3-request-presigner' && resolveValue(m, node.arguments[0] ?? null, c) === inst.node)
      signs = true;
  }
  return signs;
}

/** The text a URL value starts with: a string, a template's head (`http://localhost:${port}`), or `new AWS.Endpoint('…')`. */
function urlHead(m: DependencyModel, node: Node | null | undefined, at: DependencyInstance['path']): string | null {
  const n = unwrap(resolveValue(m, node, at) ?? node);
  if (!n) return null;
  if (n.type === 'StringLiteral') return n.value;
  if (n.type === 'TemplateLiteral') return n.quasis[0]?.value.cooked ?? n.quasis[0]?.value.raw ?? null;
  if (n.type === 'NewExpression' && /(^|\.)(Endpoint|URL)$/.test(memberChain(n.callee)?.join('.') ?? ''))
    return urlHead(m, n.arguments[0] as Node | undefined, at);
  return null;
}

/**
 * An AWS SDK client pointed at a local emulator (`new AWS.SNS({ endpoint: 'http://localhost:4002' })`,
 * DynamoDB Local, LocalStack, serverless-offline), on this machine or as the emulator's usual
 * compose service (`http://localstack:4566`): it only ever runs on a developer's machine or in CI,
 * so a deployed request never waits on it. The deployed client beside it (`new AWS.SNS()`) is
 * still checked.
 */
/** The service names AWS emulators are run under in docker-compose files. */
const EMULATOR_SERVICE = /^(localstack|dynamodb-local|dynamodb_local|elasticmq|motoserver)$/i;

function isLocalEmulatorClient(m: DependencyModel, inst: DependencyInstance): boolean {
  if (inst.client !== 'aws-sdk' && inst.spec?.dependency !== 'aws') return false;
  const options = optionsObject(m, inst.options, inst.path);
  if (typeof options === 'string') return false;
  const endpoint = objectShape(options).props.get('endpoint');
  const url = endpoint ? urlHead(m, endpoint, inst.path) : null;
  const host = url ? hostOf(url) : null;
  return !!host && (isLoopbackHost(host) || EMULATOR_SERVICE.test(host));
}

const CLIENT_FORM: Record<string, 'instance' | 'client'> = { axios: 'instance', got: 'instance', ky: 'instance' };

function instanceMessage(inst: DependencyInstance, state: TimeoutState): string {
  const held = inst.key ? ` ${inst.key}` : '';
  if (inst.spec) {
    const made = `${inst.node.type === 'NewExpression' ? 'new ' : ''}${inst.factory}()${held ? ` (${held.trim()})` : ''}`;
    const what =
      inst.spec.dependency === 'aws'
        ? 'request or connection timeout'
        : inst.dependency.category === 'database'
          ? 'connection or query timeout'
          : 'timeout';
    return state === 'off'
      ? `${made} has its timeout turned off`
      : `${made} has no ${what}: ${inst.spec.timeout.default}`;
  }
  switch (inst.client) {
    case 'aws-sdk':
      return `${inst.factory}${held ? ` (${held.trim()})` : ''} has no request or connection timeout`;
    default:
      return `${inst.client} instance${held}${describeTarget(inst.dependency, inst.client).replace(' to ', ' for ')} ${what(state)}`;
  }
}

/** What the timeout fix needs to know of a client made with no timeout. */
function instanceData(inst: DependencyInstance): Record<string, unknown> {
  const data: TimeoutData = {
    client: inst.client,
    form: CLIENT_FORM[inst.client] ?? 'client',
    callee: inst.factory,
    ...(inst.key ? { variable: inst.key } : {}),
    module: inst.module,
    made: inst.node.type === 'NewExpression' ? 'new' : 'factory',
    ...(inst.spec && inst.optionsSlot !== null ? { table: { id: inst.spec.id, options: inst.optionsSlot } } : {}),
  };
  return toFindingData(data);
}

/**
 * no-timeout: outbound calls and clients with no timeout. A client's timeout covers its calls, so
 * a client without one is reported once, where it is made; calls are reported on their own only
 * when nothing else can carry the timeout (default axios, fetch, http.request).
 */
function check(ctx: DetectorContext, m: DependencyModel): void {
  const { instances, calls } = analyzeDependencies(m);
  const callsOf = new Map<DependencyInstance, DependencyCall[]>();
  for (const c of calls) if (c.instance) callsOf.set(c.instance, [...(callsOf.get(c.instance) ?? []), c]);

  for (const inst of instances) {
    if (inst.base && (inst.client === 'aws-sdk' || inst.spec)) continue; // reported at the client it wraps
    const state = instanceTimeout(m, inst);
    if (state !== 'missing' && state !== 'off') continue;
    const own = callsOf.get(inst) ?? [];
    // an S3 client that only signs URLs sends no request; one for a local emulator is never deployed
    if (isPresignOnly(m, inst) || isLocalEmulatorClient(m, inst)) continue;
    // every call carries its own timeout: the instance needs none
    if (own.length > 0 && own.every((c) => ownCallTimeout(m, c) === 'set')) continue;
    ctx.report({
      ruleId: RULE,
      node: inst.node,
      messageId: state === 'off' ? 'clientTimeoutOff' : 'clientWithoutTimeout',
      message: instanceMessage(inst, state),
      dependency: inst.dependency,
      data: instanceData(inst),
    });
  }

  let defaultsReported = false;
  for (const d of m.defaultsTimeouts) {
    if (!isOffValue(d.value)) continue;
    const isModule = m.ctx.imports.sourceOf(d.target) === 'axios';
    if (!isModule) continue;
    defaultsReported = true;
    ctx.report({
      ruleId: RULE,
      node: d.path.node,
      messageId: 'axiosDefaultsTimeoutOff',
      message: `${d.target}.defaults.timeout is 0, so axios calls have no timeout`,
      data: { client: 'axios', form: 'defaults' },
    });
  }

  for (const c of calls) {
    if (c.client === 'aws-sdk') continue;
    const state = callTimeout(m, c);
    if (state !== 'missing' && state !== 'off') continue;
    // the instance was reported (or covers the call) unless the call itself turns the timeout off
    if (c.instance && ownCallTimeout(m, c) !== 'off') continue;
    if (!c.instance && c.client === 'axios' && defaultsReported && ownCallTimeout(m, c) !== 'off') continue;
    const hint = c.client === 'fetch' || c.client === 'undici' ? ' (no abort signal)' : '';
    ctx.report({
      ruleId: RULE,
      node: c.node,
      messageId: state === 'off' ? 'callTimeoutOff' : hint ? 'callWithoutSignal' : 'callWithoutTimeout',
      message: `${c.callee}()${describeTarget(c.dependency, c.client)} ${what(state)}${state === 'missing' ? hint : ''}`,
      dependency: c.dependency,
      data: { client: c.client, form: 'call', callee: c.callee },
    });
  }
}

const detector: CodeDetector = {
  name: 'timeouts',
  ruleIds: [RULE],
  triggers: DEPENDENCY_TRIGGERS,
  create(ctx) {
    const { model, visitors } = useDependencyModel(ctx);
    return mergeVisitors(visitors, { 'Program:exit': () => check(ctx, model) });
  },
};

export default detector;
