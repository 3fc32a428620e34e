import { classify } from './resilience/errors';
import { logger } from './resilience/logger';

export async function charge(amount: number): Promise<string> {
  try {
    const res = await fetch('https://payments.example.com/charge', { method: 'POST', body: JSON.stringify({ amount }) });
    return (await res.json()).id;
  } catch (err) {
    logger.error('charge failed', err as Error);
    throw classify(err, 'payments');
  }
}

export async function refund(id: string): Promise<void> {
  await fetch(`https://payments.example.com/refund/${id}`, { method: 'POST' }).catch((err) => {
    throw classify(err);
  });
}

export async function cleanup(path: string): Promise<void> {
  try {
    await import('node:fs/promises').then((fs) => fs.unlink(path));
  } catch {
    // best effort: the temp file may already be gone
  }
}
