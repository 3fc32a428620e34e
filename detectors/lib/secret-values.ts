/**
 * What a hard-coded credential looks like. Kept apart from the detector so the masking rule
 * (never show the value) and the placeholder list can be read and tested on their own.
 */

export type SecretKind = 'aws-access-key' | 'private-key' | 'jwt' | 'named';

const AWS_ACCESS_KEY = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/;
const PRIVATE_KEY = /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----/;
const JWT = /\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{10,}/;

/** Values that stand for a secret without being one: docs examples, templates, defaults to replace. */
const PLACEHOLDER =
  /example|changeme|change[-_ ]me|replace|placeholder|dummy|sample|your[-_ ]|x{3,}|\*{3,}|<[^>]*>|\$\{|\{\{|%s|redacted|todo|fixme|not[-_ ]?set|^(test|secret|password|token|none|null|undefined)$/i;

/** The kind of secret a literal's value alone reveals, or null. */
export function secretPatternOf(value: string): SecretKind | null {
  if (PLACEHOLDER.test(value)) return null;
  if (AWS_ACCESS_KEY.test(value)) return 'aws-access-key';
  if (PRIVATE_KEY.test(value)) return 'private-key';
  if (JWT.test(value)) return 'jwt';
  return null;
}

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Whether a literal assigned to a secret-named target looks like a real credential: at least 8
 * characters, no spaces (messages, labels), not a placeholder, not a path, URL or ARN (a secret's
 * name, not its value), and some randomness: two character classes and enough entropy.
 */
export function looksLikeSecretValue(value: string): boolean {
  if (value.length < 8 || /\s/.test(value) || PLACEHOLDER.test(value)) return false;
  if (/^(arn:|https?:|\/|\.\/|[\w.-]+\/[\w./-]+$)/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
  if (classes < 2) return false;
  // kebab/snake/dotted identifiers (`orders-api-key`, `AUTH_TOKEN_HEADER`) are names, not values
  if (/^[a-z]+([-_.][a-z]+)+$/i.test(value)) return false;
  // short values cannot reach high entropy: ask for nearly all-distinct characters instead
  return entropy(value) >= Math.min(3, Math.log2(value.length) - 0.75);
}

/** Words whose last position in a name marks a credential: `dbPassword`, `API_KEY`, `clientSecret`. */
const SECRET_LAST_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'token',
  'apikey',
  'credential',
  'credentials',
]);
/** `<word> key` pairs that are secrets: apiKey, privateKey, secretKey, signingKey, accessKey. */
const KEY_QUALIFIERS = new Set([
  'api',
  'private',
  'secret',
  'signing',
  'encryption',
  'master',
  'access',
  'client',
  'app',
]);
/** Tokens that are not credentials: pagination and cancellation tokens, CSRF field names. */
const NOT_CREDENTIAL_TOKEN = new Set([
  'next',
  'page',
  'continuation',
  'cancel',
  'cancellation',
  'sync',
  'csrf',
  'xsrf',
  'pagination',
  'start',
  'resume',
]);

/** Splits `dbPassword`, `DB_PASSWORD`, `db-password` into lower-case words. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_\-.$]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Whether an identifier or property name names a credential. */
export function isSecretName(name: string): boolean {
  const w = words(name);
  const last = w[w.length - 1];
  if (!last) return false;
  const prev = w[w.length - 2];
  if (last === 'key') return !!prev && KEY_QUALIFIERS.has(prev);
  if (!SECRET_LAST_WORDS.has(last)) return false;
  return !(last === 'token' && prev && NOT_CREDENTIAL_TOKEN.has(prev));
}

/** The value as it may be shown: first four characters, an ellipsis and the length. */
export function maskSecret(value: string): string {
  return `${value.slice(0, 4)}… (${value.length} chars)`;
}

/**
 * `RESET_PASSWORD: 'resetPassword'`: the value spells the key's own words, as enum-like tables
 * of token types or event names do. A name, not a credential.
 */
export function namesItself(name: string, value: string): boolean {
  const a = words(name).join(' ');
  return a.length > 0 && a === words(value).join(' ');
}
