/**
 * harden-codemod as a library: scan a service, compute the fixes in memory, write them all or
 * none, and render the reports. The CLI (bin/harden-codemod.js) is built on the same calls.
 */
export { scan, scanAsync, resolveRoot, type ScanOptions } from './scan/scan';
export { fix, type FixOptions, type FixResult } from './session/fix-project';
export { computeChanges, type ComputedChanges } from './engine/compute-changes';
export { settleFixability, withFixability, type SettledScan } from './engine/fixability';
export { writeChanges, WriteError, InterruptedError, type WriteOptions } from './engine/write-changes';
export { loadConfig } from './config/load-config';
export { loadCatalog, type Catalog, type CatalogRule } from './catalog/catalog';
export { textReport } from './report/text-report';
export { jsonReport } from './report/json-report';
export { sarifReport } from './report/sarif-report';
export { playbook } from './report/playbook';
export { main } from './cli/main';
export { UsageError } from './errors';
export { VERSION } from './version';
export type { ResolvedConfig, UserConfig } from './config/config-schema';
export type { DependencyCategory, Discovery, DiscoveredDependency, LambdaHandler } from './discovery/discovery-types';
export type { DependencyRef, FileChange, FileNote, Finding, ScanResult, Severity, SuppressedFinding } from './types';
