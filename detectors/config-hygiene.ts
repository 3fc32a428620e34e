import type { Node } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import type { NodePath } from '../src/parse/walk';
import { memberChain, objectShape } from './lib/dependency-ast';
import { analyzeDependencies } from './lib/dependency-calls';
import { optionsObject, useDependencyModel, type DependencyModel } from './lib/dependency-model';
import { NON_SERVICE_PATH } from './lib/http-servers';
import { isModuleScope } from './lib/local-scope';
import { keyName, propertyName } from './lib/node-text';
import { displayUrl, isDeploymentUrl, isDocumentationUrl, isEnvironmentUrl, literalUrl } from './lib/url-literals';
import { unwrap } from './lib/unwrap';
import { mergeVisitors } from '../src/parse/merge-visitors';

const ENV_RULE = 'scattered-env-config';
const URL_RULE = 'hardcoded-url';
/**
 * A module whose job is configuration: reading the environment there is the point. Judged by the
 * file's name (`config.ts`, `db-config.js`, `app.config.ts`) or a folder named for it
 * (`src/config/`), not by a name that only mentions it (`2-config-service/`, `configChanged.js`).
 */
const CONFIG_MODULE =
  /(^|\/)([\w-]+[._-])?(config|configuration|env|environment|settings)(\.[\w-]+)?\.[cm]?[jt]sx?$|(^|\/)(config|configs|configuration|env|settings)\//i;
/** Values the platform sets, read where needed by design. */
const PLATFORM_VARS =
  /^(NODE_ENV|TZ|DEBUG|CI|AWS_REGION|AWS_DEFAULT_REGION|AWS_EXECUTION_ENV|AWS_LAMBDA_\w+|_X_AMZN_TRACE_ID|_HANDLER|LAMBDA_TASK_ROOT)$/;
/** Libraries of infrastructure programs (CDK v1/v2, CDK for Terraform, Pulumi). */
const IAC_PROGRAM = /^(aws-cdk-lib(\/.*)?|@aws-cdk\/.+|constructs|cdktf|@cdktf\/.+|@pulumi\/.+)$/;
/** Reads inside functions before a file counts as scattering its configuration. */
const MIN_NAMES = 2;
/** Keys and variables that hold where a service lives. */
const URL_NAME =
  /^(base_?url|url|uri|endpoint|host|prefix_?url)$|(Url|URL|Uri|URI|Endpoint|ENDPOINT|_url|_uri|_endpoint|BaseUrl)$/;
const URL_OPTION_KEYS = ['baseURL', 'prefixUrl', 'prefix', 'endpoint', 'url'];
/** Objects of an API description or package metadata whose URLs point readers somewhere. */
const DOCUMENT_KEYS =
  /^(license|licence|contact|externalDocs|termsOfService|docs|documentation|homepage|repository|bugs|author)$/;

interface EnvRead {
  node: Node;
  name: string;
}

function isEnvObject(node: Node | null | undefined): boolean {
  const chain = memberChain(node);
  return !!chain && chain.length === 2 && chain[0] === 'process' && chain[1] === 'env';
}

/** The variable name of a `process.env.NAME` read, or null. */
function envRead(node: Node | null | undefined): string | null {
  const n = unwrap(node);
  if (n?.type !== 'MemberExpression' || !isEnvObject(n.object)) return null;
  return propertyName(n) ?? '[computed]';
}

/** Literal URLs handed to a client: the call's URL argument, or a client's base URL / endpoint option. */
function clientUrls(m: DependencyModel): Array<{ node: Node; what: string }> {
  const out: Array<{ node: Node; what: string }> = [];
  const { instances, calls } = analyzeDependencies(m);
  for (const inst of instances) {
    const obj = optionsObject(m, inst.options, inst.path);
    if (typeof obj === 'string') continue;
    for (const key of URL_OPTION_KEYS) {
      const value = objectShape(obj).props.get(key);
      if (value && literalUrl(value)) out.push({ node: unwrap(value)!, what: `${inst.factory}() ${key}` });
    }
  }
  for (const call of calls) {
    const first = call.node.arguments[0] as Node | undefined;
    if (literalUrl(first)) out.push({ node: unwrap(first)!, what: `${call.callee}()` });
  }
  return out;
}

/** Flags configuration that lives in code: environment reads scattered in functions, hard-coded service URLs. */
const configHygiene: CodeDetector = {
  name: 'config-hygiene',
  ruleIds: [ENV_RULE, URL_RULE],
  // a URL counts as a string or template literal that starts with it (not one in a comment)
  triggers: ['process.env', /['"`]https?:\/\//i],
  create(ctx: DetectorContext) {
    if (NON_SERVICE_PATH.test(ctx.file.path) || CONFIG_MODULE.test(ctx.file.path)) return {};
    const { model, visitors } = useDependencyModel(ctx);
    const reads: EnvRead[] = [];
    const named: Array<{ node: Node; what: string }> = [];
    /** `process.env.X ?? 'https://…'`: configured, unless the default is another environment's host. */
    const fallbacks: Array<{ node: Node; what: string }> = [];

    // a CDK app reads its deploy inputs while it synthesizes, once per deploy: no service configuration
    const infrastructureProgram = [...ctx.imports.sources].some((s) => IAC_PROGRAM.test(s));
    const noteRead = (path: NodePath, node: Node, name: string): void => {
      if (!infrastructureProgram && !PLATFORM_VARS.test(name) && !isModuleScope(path)) reads.push({ node, name });
    };
    /** `key: 'https://...'` or `const fooUrl = 'https://...'` (not an env fallback: that is configured). */
    const noteNamed = (name: string | null, value: Node | null | undefined, what: string): void => {
      if (!name || !URL_NAME.test(name)) return;
      if (literalUrl(value)) named.push({ node: unwrap(value)!, what });
      const v = unwrap(value);
      if (v?.type === 'LogicalExpression' && v.operator !== '&&' && envRead(v.left) && literalUrl(v.right))
        fallbacks.push({ node: unwrap(v.right)!, what: `${what} (default of ${envRead(v.left)})` });
    };

    return mergeVisitors(visitors, {
      MemberExpression(path: NodePath) {
        const node = path.node as Node & { object: Node };
        if (!isEnvObject(node.object)) return;
        const parent = path.parent?.node;
        if (parent?.type === 'AssignmentExpression' && path.key === 'left') return; // a write, as tests and bootstraps do
        if (parent?.type === 'UnaryExpression' && parent.operator === 'delete') return;
        noteRead(path, node, propertyName(node) ?? '[computed]');
      },
      VariableDeclarator(path: NodePath) {
        const node = path.node as Node & { id: Node; init?: Node | null };
        if (node.id.type === 'ObjectPattern' && isEnvObject(node.init)) {
          for (const p of node.id.properties)
            if (p.type === 'ObjectProperty') noteRead(path, p, keyName(p) ?? '[computed]');
        }
        if (node.id.type === 'Identifier') noteNamed(node.id.name, node.init, node.id.name);
      },
      ObjectProperty(path: NodePath) {
        const node = path.node as Node & { value: Node };
        const key = keyName(path.node);
        // `license: { url }`, `contact: { url }` of an API description: links for readers
        const owner = path.parent?.parent?.node;
        if (owner?.type === 'ObjectProperty' && DOCUMENT_KEYS.test(keyName(owner) ?? '')) return;
        noteNamed(key, node.value, key ?? '');
      },
      'Program:exit'() {
        const names = [...new Set(reads.map((r) => r.name))];
        if (names.length >= MIN_NAMES) {
          const shown = names.slice(0, 4).join(', ') + (names.length > 4 ? ', …' : '');
          ctx.report({
            ruleId: ENV_RULE,
            node: reads[0]!.node,
            messageId: 'scatteredEnvReads',
            message: `process.env is read ${reads.length} times inside functions (${shown}) instead of once in a validated config module`,
            data: { reads: reads.length, names },
          });
        }
        const seen = new Set<Node>();
        const candidates = [
          ...clientUrls(model).map((c) => ({ ...c, fallback: false })),
          ...named.map((c) => ({ ...c, fallback: false })),
          ...fallbacks.map((c) => ({ ...c, fallback: true })),
        ];
        for (const { node, what, fallback } of candidates) {
          const url = literalUrl(node)!;
          if (seen.has(node) || isDocumentationUrl(url)) continue;
          if (fallback ? !isEnvironmentUrl(url) : !isDeploymentUrl(url)) continue;
          seen.add(node);
          ctx.report({
            ruleId: URL_RULE,
            node,
            messageId: 'hardCodedUrl',
            message: `${what} uses the hard-coded URL ${displayUrl(url)}`,
            data: { host: displayUrl(url) },
          });
        }
      },
    });
  },
};

export default configHygiene;
