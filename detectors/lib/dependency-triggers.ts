import { clientTriggers } from './client-table';

/**
 * Text that any file with a recognised dependency client contains: module names as imported
 * (`axios`, `@aws-sdk/`, the client table's modules...) and the global `fetch(`. A file without any is never parsed
 * for the dependency detectors.
 */
export const DEPENDENCY_TRIGGERS: readonly string[] = [
  'axios', 'fetch', 'got', 'ky', 'http', 'undici', '@aws-sdk/', '.send(', 'Redis', 'kafkajs', 'jose', 'jwks',
  // every module of the client table (config/clients.yaml)
  ...clientTriggers(),
];
