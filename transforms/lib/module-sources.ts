import type { ResolvedConfig } from '../../src/config/config-schema';
import type { GeneratedModuleKind } from '../../src/api/fix-context';
import { errorTaxonomySource } from '../generators/error-taxonomy-source';
import { loggerSource } from '../generators/logger-source';
import { policiesSource } from '../generators/policies-source';

export interface ModuleSourceOptions {
  typescript: boolean;
  /** ES module syntax (always for TypeScript); CommonJS otherwise */
  esm: boolean;
  config: ResolvedConfig;
  /** the service's own name (the logger's `serviceName`), from its deployment files or package.json */
  serviceName?: string;
}

/** The content of a generated module, in the language of the file that needs it. */
export function moduleSource(kind: GeneratedModuleKind, options: ModuleSourceOptions): string {
  if (kind === 'errors') return errorTaxonomySource(options);
  if (kind === 'logger') return loggerSource(options);
  return policiesSource(options);
}
