import type { Node } from '@babel/types';
import { unwrap } from './unwrap';

/** Hosts that are never a deployment's real dependency: loopback, reserved examples, XML/JSON schema namespaces. */
const HARMLESS_HOST =
  /^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|::1|host\.docker\.internal)$|\.(localhost|local|test|invalid|example)$|(^|\.)example\.(com|org|net)$|(^|\.)(json-schema\.org|w3\.org|schemas\.xmlsoap\.org|schemas\.microsoft\.com|schema\.org|xmlns\.com|purl\.org|ns\.adobe\.com|openapis\.org|opensource\.org)$/i;

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

/** Whether a URL points somewhere that has to change between environments. */
export function isDeploymentUrl(url: string): boolean {
  const host = hostOf(url);
  return !!host && !HARMLESS_HOST.test(host);
}

/** How a URL may be shown: scheme and host only (no credentials, path or query). */
export function displayUrl(url: string): string {
  const scheme = /^https/i.test(url) ? 'https' : 'http';
  return `${scheme}://${hostOf(url) ?? '?'}`;
}
