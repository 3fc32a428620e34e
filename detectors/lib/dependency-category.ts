import type { Node } from '@babel/types';
import type { DependencyCategory } from '../../src/discovery/discovery-types';
import type { DependencyRef } from '../../src/types';
import { memberChain } from './dependency-ast';
import { stringValue } from './node-text';
import { unwrap } from './unwrap';

/** What can be told statically about a request's target URL. */
export interface UrlInfo {
  /** the literal prefix, e.g. "https://api.stripe.com/v1/charges" or "/charges" */
  text: string | null;
  host: string | null;
  path: string | null;
  /** the environment variable the URL comes from, e.g. PAYMENTS_SERVICE_URL */
  envVar: string | null;
}

export const NO_URL: UrlInfo = { text: null, host: null, path: null, envVar: null };

function envVarOf(node: Node | null): string | null {
  const chain = memberChain(node);
  if (chain && chain.length === 3 && chain[0] === 'process' && chain[1] === 'env') return chain[2]!;
  const n = unwrap(node);
  // process.env.X ?? 'default' and process.env.X || 'default'
  if (n && n.type === 'LogicalExpression') return envVarOf(n.left);
  return null;
}

function fromText(text: string, envVar: string | null): UrlInfo {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^/?#:]*)(?::\d+)?([^?#]*)/i.exec(text);
  if (m) return { text, host: m[1]!.toLowerCase() || null, path: m[2] || null, envVar };
  return { text, host: null, path: text.startsWith('/') ? text : null, envVar };
}

/**
 * The URL an expression evaluates to, as far as literals and env vars tell: string and template
 * literals, `'base' + path`, `new URL(path, base)`, `process.env.X`, and local constants
 * (through `resolve`).
 */
export function urlInfoOf(node: Node | null | undefined, resolve: (n: Node) => Node | null, depth = 0): UrlInfo {
  const n = unwrap(node);
  if (!n || depth > 4) return NO_URL;
  const literal = stringValue(n);
  if (literal !== null) return fromText(literal, null);
  const env = envVarOf(n);
  if (env) return { ...NO_URL, envVar: env };
  if (n.type === 'TemplateLiteral') {
    const head = n.quasis[0]?.value.cooked ?? '';
    if (head) return fromText(head, null);
    const first = urlInfoOf(n.expressions[0] as Node, resolve, depth + 1);
    const rest = n.quasis[1]?.value.cooked ?? '';
    return first.text !== null && first.host
      ? first
      : { ...first, path: first.path ?? (rest.startsWith('/') ? rest : null) };
  }
  if (n.type === 'BinaryExpression' && n.operator === '+') return urlInfoOf(n.left as Node, resolve, depth + 1);
  if (n.type === 'NewExpression' && n.callee.type === 'Identifier' && n.callee.name === 'URL') {
    const [input, base] = n.arguments;
    const own = urlInfoOf(input as Node, resolve, depth + 1);
    if (own.host || own.envVar || !base) return own;
    const b = urlInfoOf(base as Node, resolve, depth + 1);
    return { ...b, path: own.path ?? b.path };
  }
  if (n.type === 'Identifier' || n.type === 'MemberExpression') {
    const value = resolve(n);
    if (value && value !== n) return urlInfoOf(value, resolve, depth + 1);
  }
  return NO_URL;
}

/** Joins a base URL (instance baseURL / prefixUrl) and a call's URL. */
export function joinUrl(base: UrlInfo, own: UrlInfo): UrlInfo {
  if (own.host || own.envVar) return own;
  return { text: own.text ?? base.text, host: base.host, path: own.path ?? base.path, envVar: base.envVar };
}

const GENERIC_WORDS = new Set([
  'client',
  'clients',
  'api',
  'apis',
  'http',
  'https',
  'service',
  'svc',
  'instance',
  'axios',
  'got',
  'ky',
  'fetch',
  'fetcher',
  'request',
  'requests',
  'req',
  'sdk',
  'rest',
  'url',
  'uri',
  'endpoint',
  'base',
  'host',
  'internal',
  'the',
  'this',
  'default',
  'instance',
  'conn',
  'connection',
]);

function words(name: string): string[] {
  return name
    .replace(/^this\./, '')
    .replace(/^#/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_.$-]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);
}

/** "payments API" from `paymentsClient`, `this.paymentsApi`, PAYMENTS_SERVICE_URL; null when nothing specific is left. */
export function nameFromIdentifier(name: string | null): string | null {
  if (!name) return null;
  const specific = words(name).filter((w) => !GENERIC_WORDS.has(w));
  return specific.length ? `${specific.join(' ')} API` : null;
}

const AUTH_HOST =
  /(^|\.)(auth0\.com|okta\.com|oktapreview\.com|login\.microsoftonline\.com|amazoncognito\.com|accounts\.google\.com|oauth2\.googleapis\.com)$|^cognito-idp\./;
const AUTH_PATH =
  /\/oauth2?\/(v\d+\/)?token|\/connect\/token|\/\.well-known\/(jwks|openid-configuration)|jwks(\.json)?$/i;
const ML_HOST =
  /(^|\.)(openai\.com|openai\.azure\.com|anthropic\.com|huggingface\.co|cohere\.(ai|com)|generativelanguage\.googleapis\.com)$|(^|\.)(bedrock|bedrock-runtime|runtime\.sagemaker)\./;
const ML_PATH = /\/v\d+\/(chat\/completions|completions|embeddings|messages)\b/;
const INTERNAL_HOST =
  /(^|\.)(internal|svc\.cluster\.local|cluster\.local|svc|localhost)$|^localhost$|^127\.0\.0\.1$|^0\.0\.0\.0$|^\[::1\]$/;
const INTERNAL_ENV = /_SERVICE_(URL|HOST|ENDPOINT)$|_SVC_URL$|^INTERNAL_/;

function matchesInternalHost(url: UrlInfo, internalHosts: readonly string[]): boolean {
  return internalHosts.some((entry) => {
    const e = entry.toLowerCase();
    if (url.text && url.text.toLowerCase().startsWith(e)) return true;
    return !!url.host && (url.host === e || url.host.endsWith(`.${e.replace(/^\*?\./, '')}`));
  });
}

/** The spec's category for an HTTP target, by URL first, then by the names around it. */
export function httpCategory(url: UrlInfo, hint: string | null, internalHosts: readonly string[]): DependencyCategory {
  const hintWords = hint ? words(hint) : [];
  if ((url.host && AUTH_HOST.test(url.host)) || (url.path && AUTH_PATH.test(url.path))) return 'auth-provider';
  if ((url.host && ML_HOST.test(url.host)) || (url.path && ML_PATH.test(url.path))) return 'ml-ai';
  if (matchesInternalHost(url, internalHosts) || (url.host && INTERNAL_HOST.test(url.host))) return 'internal-api';
  if (url.host) return 'external-api';
  if (url.envVar && INTERNAL_ENV.test(url.envVar)) return 'internal-api';
  const all = [...hintWords, ...(url.envVar ? words(url.envVar) : [])];
  if (all.some((w) => w === 'oauth' || w === 'jwks' || w === 'idp')) return 'auth-provider';
  if (all.some((w) => w === 'openai' || w === 'llm' || w === 'bedrock' || w === 'sagemaker' || w === 'anthropic'))
    return 'ml-ai';
  if (all.includes('internal')) return 'internal-api';
  return 'external-api';
}

/** Name and category of an HTTP dependency: the instance's name, the URL host, the env var, else the module. */
export function httpDependency(
  url: UrlInfo,
  hint: string | null,
  module: string,
  internalHosts: readonly string[],
): DependencyRef {
  const name = nameFromIdentifier(hint) ?? url.host ?? nameFromIdentifier(url.envVar) ?? module;
  return { name, category: httpCategory(url, hint, internalHosts) };
}

const AWS_CATEGORY: Array<[RegExp, DependencyCategory]> = [
  [
    /^(dynamodb|rds|rds-data|elasticache|docdb|neptune|timestream|keyspaces|memorydb|s3|redshift-data|athena)/,
    'database',
  ],
  [
    /^(sqs|sns|eventbridge|cloudwatch-events|kinesis|firehose|kafka|mq|pipes|scheduler|sfn|iot-data-plane)/,
    'event-bus',
  ],
  [/^(cognito|sts|verifiedpermissions|sso-oidc)/, 'auth-provider'],
  [/^(sagemaker|bedrock|comprehend|textract|rekognition|translate|polly|transcribe|lex)/, 'ml-ai'],
  [/^(lambda|apigatewaymanagementapi|api-gateway)/, 'internal-api'],
];

/** An AWS SDK v3 service by its package slug ("dynamodb" of @aws-sdk/client-dynamodb). */
export function awsDependency(service: string, slug: string): DependencyRef {
  const category = AWS_CATEGORY.find(([re]) => re.test(slug))?.[1] ?? 'external-api';
  return { name: service, category };
}

/** AWS service display name from a client class: DynamoDBClient -> DynamoDB; the slug when the class is unknown. */
export function awsServiceName(className: string | null, slug: string): string {
  if (className) return className.replace(/(Document)?Client$/, '').replace(/^DynamoDBDocument$/, 'DynamoDB') || slug;
  return slug;
}

/** " to the payments API", " to api.stripe.com"; "" when only the module is known. */
export function describeTarget(dep: DependencyRef, module: string): string {
  if (dep.name === module) return '';
  return dep.name.endsWith(' API') ? ` to the ${dep.name}` : ` to ${dep.name}`;
}
