import { fetchSecret, send } from './clients';

export async function loadSecret(): Promise<string | undefined> {
  console.log('loading secret', process.env.RDS_SECRET_NAME);
  try {
    return await fetchSecret(process.env.RDS_SECRET_NAME!);
  } catch (err) {
    console.log('secret lookup failed', err);
    console.warn('falling back to the cached secret', { cached: true });
    throw err;
  }
}

export function publish(event: { id: string; detail: unknown }) {
  console.info('publishing', JSON.stringify(event));
  console.log(JSON.stringify(event.detail, null, 2));
  return send(event).catch((e) => {
    console.log(`send of ${event.id} failed`, e);
    throw e;
  });
}
