import { logger } from './resilience/logger';

export function report(count: number): void {
  logger.info('Report built', { count });
  console.table([{ count }]);
}
