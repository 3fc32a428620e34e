import type { GeneratedModuleKind } from '../../src/api/fix-context';
import { errorTaxonomySource } from '../generators/error-taxonomy-source';
import { loggerSource } from '../generators/logger-source';
import { policiesSource } from '../generators/policies-source';
import type { ModuleSourceOptions } from '../generators/module-source-options';

/** The content of a generated module, in the language of the file that needs it. */
export function moduleSource(kind: GeneratedModuleKind, options: ModuleSourceOptions): string {
  if (kind === 'errors') return errorTaxonomySource(options);
  if (kind === 'logger') return loggerSource(options);
  return policiesSource(options);
}
