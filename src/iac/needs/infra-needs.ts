import type { InfraNeed } from '../../api/fix-context';
import type { IacFormat } from '../iac-model';

export type { InfraNeed };

/** The function an infrastructure need is met for, as its template names it. */
export interface NeedTarget {
  id: string;
  format: IacFormat;
  /** the IaC file declaring it (posix, relative to the root) */
  file: string;
}

/** The edited file, with what was added; or why the need cannot be met here (then nothing is changed). */
export type NeedOutcome = { after: string; added: string[] } | { error: string };

/** Powertools idempotency's DynamoDB table: partition key `id`, expiry written to `expiration`. */
export const IDEMPOTENCY_TABLE = {
  id: 'IdempotencyTable',
  key: 'id',
  ttlAttribute: 'expiration',
  actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
} as const;

export const SSM_PARAMETER_ACTIONS = ['ssm:GetParameter', 'ssm:PutParameter'] as const;

/** `/resilience/breakers/` → `resilience/breakers/*`, the resource part of a parameter ARN. */
export function parameterPattern(pathPrefix: string): string {
  return `${pathPrefix.replace(/^\/+/, '').replace(/\/*$/, '/')}*`;
}

export function describeNeed(need: InfraNeed): string {
  return need.kind === 'idempotency-table'
    ? `an idempotency table (TTL on ${IDEMPOTENCY_TABLE.ttlAttribute}), ${need.envVar}, access to it and ReportBatchItemFailures`
    : `read/write access to the SSM parameters under ${need.pathPrefix}`;
}
