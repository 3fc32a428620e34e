import type { ResolvedConfig } from '../../src/config/config-schema';

/** What a generated module's source depends on: the language and module system of the file that needs it, and the config. */
export interface ModuleSourceOptions {
  typescript: boolean;
  /** ES module syntax (always for TypeScript); CommonJS otherwise */
  esm: boolean;
  config: ResolvedConfig;
  /** the service's own name (the logger's `serviceName`), from its deployment files or package.json */
  serviceName?: string;
}
