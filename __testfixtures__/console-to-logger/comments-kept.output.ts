import { logger } from './resilience/logger';

export function retrying(attempt: number, userId: string) {
  // visible in CloudWatch Insights
  logger.warn('Retrying user', { userId, attempt }); // attempt counts from 1
  /* noisy: lower in production */
  logger.info('Cache miss', { userId });
  logger.info('done');
}
