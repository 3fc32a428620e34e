import { logger } from './resilience/logger';
import { fetchSecret, send } from './clients';

export async function loadSecret(): Promise<string | undefined> {
  logger.info('loading secret', { RDS_SECRET_NAME: process.env.RDS_SECRET_NAME });
  try {
    return await fetchSecret(process.env.RDS_SECRET_NAME!);
  } catch (err) {
    logger.error('secret lookup failed', err as Error);
    logger.warn('falling back to the cached secret', { cached: true });
    throw err;
  }
}

export function publish(event: { id: string; detail: unknown }) {
  logger.info('publishing', { event });
  logger.info('eventDetail', { eventDetail: event.detail });
  return send(event).catch((e) => {
    logger.error('send of failed', { eventId: event.id, error: e });
    throw e;
  });
}
