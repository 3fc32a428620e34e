import type { Node } from '@babel/types';
import { unwrap } from './unwrap';

/** This machine: a loopback address or name, or Docker's name for the host. */
const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|::1|host\.docker\.internal)$|\.localhost$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOST.test(host);
}

/** Other hosts that are never a deployment's real dependency: reserved names and examples, XML/JSON schema namespaces. */
const HARMLESS_HOST =
  /\.(localhost|local|test|invalid|example)$|(^|\.)example\.(com|org|net)$|(^|\.)(json-schema\.org|w3\.org|schemas\.xmlsoap\.org|schemas\.microsoft\.com|schema\.org|xmlns\.com|purl\.org|ns\.adobe\.com|openapis\.org|opensource\.org)$/i;

/**
 * A deploy-time variable inside a plain string: Serverless `${sls:stage}`, `${self:custom.x}`,
 * `${aws:accountId}`, `${opt:stage}`, `${env:X}`, `${ssm:/p}`, `${file(x)}`, CloudFormation
 * `${AWS::Region}`. A JS-style `${orderId}` in a quoted string is not one (that string is a constant).
 */
const DEPLOY_VARIABLE = /\$\{(?:[a-z]+:|file\(|AWS::)/i;

/** The URL a literal starts with (`'https://x'`, `` `https://x/${id}` ``), or null. */
export function literalUrl(node: Node | null | undefined): string | null {
  const n = unwrap(node);
  if (!n) return null;
  const text =
    n.type === 'StringLiteral'
      ? n.value
      : n.type === 'TemplateLiteral'
        ? (n.quasis[0]?.value.cooked ?? n.quasis[0]?.value.raw ?? '')
        : null;
  if (text === null || !/^https?:\/\/[^\s/$]/i.test(text)) return null;
  // `'https://sqs.us-east-1.amazonaws.com/${aws:accountId}/${sls:stage}-queue'`: deploy-time variables
  // (Serverless, CloudFormation Sub) fill it in per environment; it is configuration, not a constant
  if (n.type === 'StringLiteral' && DEPLOY_VARIABLE.test(text)) return null;
  // `https://sqs.${region}.amazonaws.com/…`: the host is built at run time, not written down
  if (n.type === 'TemplateLiteral' && n.expressions.length > 0 && !/^https?:\/\/[^/?#]+[/?#]/i.test(text)) return null;
  return text;
}

/** Links for people, not endpoints: a licence, a README or documentation page. */
export function isDocumentationUrl(url: string): boolean {
  return /\/(LICEN[CS]E|COPYING|README)(\.\w+)?$|\.md$|\/(docs?|documentation|wiki)(\/|$)/i.test(
    url.replace(/[?#].*$/, ''),
  );
}

/** The host of a URL text, lower-cased, without credentials or port; null when it cannot be read. */
export function hostOf(url: string): string | null {
  const m = /^https?:\/\/(?:[^@/\s]*@)?(\[[^\]]+\]|[^:/?#\s$]+)/i.exec(url);
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * Hosts that name one deployment of the service's own infrastructure: a stage in the name
 * (`orders.prod.acme.net`, `api-dev.acme.io`, `api.sandbox.paypal.com`), a machine's address
 * (`10.0.3.7`), or a name a cloud platform generated for one deployment (an API Gateway stage, a
 * load balancer, a Beanstalk environment, a Heroku app, a Cloud Run service…). Names private to a
 * network (`inventory.internal`, `cart:8080`) are not among them: isDeploymentUrl reports those as
 * PRIVATE_NAME (a setting, since each network resolves them its own way), while cluster DNS
 * (`orders.svc.cluster.local`) is harmless, the same name in every environment's cluster.
 */
const ENVIRONMENT_HOST = new RegExp(
  [
    String.raw`(^|[.-])(dev|develop|development|stg|stage|staging|qa|uat|test|testing|sandbox|preprod|pre-prod|prod|production)([.-]|$)`,
    String.raw`^\d+\.\d+\.\d+\.\d+$`,
    String.raw`\.(execute-api|elb|rds|elasticbeanstalk|cloudfront|lambda-url)\.|\.elasticbeanstalk\.com$|\.elb\.amazonaws\.com$|\.cloudfront\.net$|\.on\.aws$`,
    String.raw`\.(herokuapp\.com|azurewebsites\.net|cloudapp\.net|appspot\.com|run\.app|vercel\.app|netlify\.app|onrender\.com|fly\.dev|railway\.app|ngrok\.io|ngrok-free\.app)$`,
  ].join('|'),
  'i',
);
/**
 * Names that resolve only inside one network, so they differ between environments: a bare host
 * name (`link-to-app`, `cart`, a machine name), a private-use suffix or label (`.internal`,
 * `.intranet`, `.corp`, `.lan`: `search.internal.acme.net`), a bracketed IPv6 address.
 */
const PRIVATE_NAME = /^[^.]+$|(^|\.)(internal|intranet|corp|lan|private)(\.|$)/i;

/** An explicit port other than the scheme's own: one machine's server, not a public front door. */
function hasServerPort(url: string): boolean {
  const m = /^(https?):\/\/(?:[^@/\s]*@)?(?:\[[^\]]+\]|[^:/?#\s$]+):(\d+)/i.exec(url);
  if (!m) return false;
  const port = Number(m[2]);
  return port !== (m[1]!.toLowerCase() === 'https' ? 443 : 80);
}

/**
 * Whether a URL points somewhere that has to change between environments: a host that names one
 * environment or deployment (ENVIRONMENT_HOST: a stage in the name, an IP address, a generated
 * cloud host), a name that resolves only inside one network (PRIVATE_NAME), or a server port.
 * A public internet name with none of these (`api.stripe.com`, `jsonplaceholder.typicode.com`,
 * `en.wikipedia.org`) is the same endpoint in every environment of the service: a constant base
 * URL for it is configuration a reviewer accepts, so it is not reported. The service's own
 * production host without an environment in its name (`orders.acme.com`) cannot be told from a
 * vendor's by its name and is not reported either; its per-environment hosts
 * (`orders.staging.acme.com`) are.
 */
export function isDeploymentUrl(url: string): boolean {
  const host = hostOf(url);
  if (!host || isLoopbackHost(host) || HARMLESS_HOST.test(host)) return false;
  return ENVIRONMENT_HOST.test(host) || PRIVATE_NAME.test(host) || hasServerPort(url);
}

/** Whether a URL names one deployment of the service's own infrastructure (see ENVIRONMENT_HOST). */
export function isEnvironmentUrl(url: string): boolean {
  const host = hostOf(url);
  return !!host && !isLoopbackHost(host) && !HARMLESS_HOST.test(host) && ENVIRONMENT_HOST.test(host);
}

/** How a URL may be shown: scheme and host only (no credentials, path or query). */
export function displayUrl(url: string): string {
  const scheme = /^https/i.test(url) ? 'https' : 'http';
  return `${scheme}://${hostOf(url) ?? '?'}`;
}
