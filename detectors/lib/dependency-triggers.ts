/**
 * Text that any file with a recognised dependency client contains: module names as imported
 * (`axios`, `@aws-sdk/`, `pg`...) and the global `fetch(`. A file without any is never parsed
 * for the dependency detectors.
 */
export const DEPENDENCY_TRIGGERS: readonly string[] = [
  'axios', 'fetch', 'got', 'ky', 'http', 'undici', '@aws-sdk/', '.send(', 'pg', 'mysql', 'redis', 'Redis', 'mongo',
  'kafkajs', 'jose', 'jwks',
];
