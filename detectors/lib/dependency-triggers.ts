import { clientTriggers } from './client-table';

/**
 * The text any file with a recognised dependency client contains. Module names (`axios`,
 * `@aws-sdk/`, `pg`...) count only inside a module specifier (`from '…'`, `require('…')`,
 * `import('…')`), where the client models look for them: as bare words they match nearly every
 * file (`got`, `ky`, `pg`, `http` in a URL). The global `fetch(` and code that reaches a client
 * made in another module (`.send(`, `Redis`) count anywhere. A file with none is never parsed
 * for the dependency detectors.
 */
export const DEPENDENCY_MODULES: readonly string[] = [
  'axios',
  'fetch',
  'got',
  'ky',
  'http',
  'undici',
  '@aws-sdk/',
  'pg',
  'mysql',
  'redis',
  'mongo',
  'kafkajs',
  'jose',
  'jwks',
];

/** Code tokens, matched anywhere in the text. */
export const DEPENDENCY_CODE: readonly string[] = ['.send(', 'Redis'];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A module specifier that contains one of `tokens` (`'node:http'`, `"@aws-sdk/client-s3"`, `'ioredis'`). */
export function moduleSpecifierPattern(tokens: readonly string[]): RegExp {
  return new RegExp(
    `(?:\\bfrom|\\brequire\\s*\\(|\\bimport\\s*\\(?)\\s*['"\`][^'"\`\\n]*?(?:${tokens.map(escape).join('|')})`,
  );
}

/** The global `fetch(url)` (also `globalThis.fetch(`, `window.fetch(`). */
const GLOBAL_FETCH = /\bfetch\s*\(/;

/**
 * A module specifier that names one of `modules` exactly, or a sub-path of it (`'aws-sdk'`,
 * `'aws-sdk/clients/sqs'`): the client table's names (`request`, `needle`) are common words
 * inside other specifiers.
 */
export function exactModulePattern(modules: readonly string[]): RegExp {
  return new RegExp(
    `(?:\\bfrom|\\brequire\\s*\\(|\\bimport\\s*\\(?)\\s*['"\`](?:${modules.map(escape).join('|')})(?:/[^'"\`\\n]*)?['"\`]`,
  );
}

/** Every module of the client table (config/clients.yaml), as exact specifiers. */
export const CLIENT_MODULES: readonly string[] = clientTriggers();

export const DEPENDENCY_TRIGGERS: ReadonlyArray<string | RegExp> = [
  moduleSpecifierPattern(DEPENDENCY_MODULES),
  exactModulePattern(CLIENT_MODULES),
  GLOBAL_FETCH,
  ...DEPENDENCY_CODE,
];
