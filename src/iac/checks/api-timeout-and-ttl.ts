import type { IacFinding } from '../../types';
import type { CheckInput, IacCheck } from './check-context';

/** Powertools idempotency's default expiry attribute: the TTL the fix turns on. */
export const IDEMPOTENCY_TTL_ATTRIBUTE = 'expiration';

/** A table named for idempotency records: short-lived keys that expire, not business data. */
export function isIdempotencyTable(id: string): boolean {
  return /idempot/i.test(id);
}

const spot = (file: string, line: number): Pick<IacFinding, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'> => ({
  file,
  line,
  column: 1,
  endLine: line,
  endColumn: 1,
});

/**
 * The spec's 4.4 rows read from the reliability facts: a Lambda function behind API Gateway
 * whose timeout is not below the integration's (seed 003's "Lambda timeout ≥ API Gateway
 * timeout" too: one rule, one fix text), and an idempotency table without TTL.
 */
function checkApiTimeoutAndTtl({ facts }: CheckInput): IacFinding[] {
  const out: IacFinding[] = [];
  for (const api of facts.apiIntegrations) {
    if (!api.lambdaOutlivesApi) continue;
    out.push({
      ruleId: 'lambda-timeout-exceeds-api',
      ...spot(api.file, api.line),
      message: `Function ${api.functionId} may run ${api.functionTimeout} s but API Gateway stops waiting after ${api.apiTimeout} s${api.apiTimeoutDefaulted ? ' (its default)' : ''}: the caller gets a 504 while the function keeps running`,
      data: { resource: api.functionId, functionTimeout: api.functionTimeout, apiTimeout: api.apiTimeout },
    });
  }
  for (const table of facts.tables) {
    if (table.ttl || !isIdempotencyTable(table.id)) continue;
    const path = table.format === 'serverless' ? ['resources', 'Resources', table.id] : ['Resources', table.id];
    out.push({
      ruleId: 'idempotency-table-without-ttl',
      ...spot(table.file, table.line),
      message: `Idempotency table ${table.id} has no TTL: its records are never removed`,
      data: { resource: table.id, format: table.format, path, fix: table.format === 'cdk' ? 'none' : 'add-ttl' },
    });
  }
  return out;
}

export default {
  ruleIds: ['lambda-timeout-exceeds-api', 'idempotency-table-without-ttl'],
  run: checkApiTimeoutAndTtl,
} satisfies IacCheck;
