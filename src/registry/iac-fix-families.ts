import type { RepositoryFix } from '../api/iac-fix';
import { operationalWorkflows } from '../iac/redrive-fix';

/**
 * The catalog's `transform:` values of the IaC rules (not jscodeshift steps): what each fix
 * family writes, as the README's rules table says it. The fixes themselves are in src/iac/:
 * template edits go through src/iac/fix-iac.ts; a family with a `repositoryFix` writes files
 * of its own from the scan instead.
 */
export const IAC_FIX_FAMILIES: Readonly<Record<string, { writes: string; repositoryFix?: RepositoryFix }>> = {
  /** template edits through the yaml Document API and jscodeshift (CDK) */
  'iac-fixes': { writes: 'src/iac/ (YAML, CDK)' },
  'operational-workflows': { writes: '.github/workflows/dlq-redrive.yml', repositoryFix: operationalWorkflows },
};

/** The repository fix of a catalog `transform:` value, or undefined when its fixes edit templates. */
export function repositoryFixFor(transform: string | undefined): RepositoryFix | undefined {
  return transform ? IAC_FIX_FAMILIES[transform]?.repositoryFix : undefined;
}

/** The repository fixes, in the order they run (after the template fixes). */
export const REPOSITORY_FIXES: readonly RepositoryFix[] = Object.values(IAC_FIX_FAMILIES).flatMap((f) =>
  f.repositoryFix ? [f.repositoryFix] : [],
);
