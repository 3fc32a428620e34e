import { logger } from './resilience/logger';

export function retrying(attempt: number, userId: string) {
  // visible in CloudWatch Insights
  console.warn(`Retrying user ${userId}`, attempt); // attempt counts from 1
  /* noisy: lower in production */
  console.log(
    'Cache miss',
    userId,
  );
  logger.info('done');
}
