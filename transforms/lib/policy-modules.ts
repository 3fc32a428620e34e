import type { FixContext } from '../../src/api/fix-context';

/**
 * Requests the generated `policies` module and what it needs: the `errors` and `logger`
 * modules it imports and the npm packages they use. Returns the import specifier of `policies`.
 */
export function usePolicyModules(ctx: FixContext): string {
  ctx.useModule('errors');
  ctx.useModule('logger');
  ctx.addDependency('cockatiel', '^3.2.1');
  ctx.addDependency('@aws-lambda-powertools/logger', '^2.0.0');
  return ctx.useModule('policies');
}
