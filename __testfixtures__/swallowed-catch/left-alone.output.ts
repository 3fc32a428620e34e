import type { SQSEvent } from 'aws-lambda';
import { logger } from './log';

async function process(body: string): Promise<void> {
  await fetch('https://ledger.internal/entries', { method: 'POST', body });
}

export async function handler(event: SQSEvent): Promise<void> {
  for (const record of event.Records) {
    try {
      await process(record.body);
    } catch (err) {
      logger.error('record failed', { err });
    }
  }
}

export async function syncAll(ids: string[]): Promise<void> {
  for (const id of ids) {
    try {
      await fetch(`https://crm.example.com/sync/${id}`);
    } catch (err) {
      logger.warn('sync failed', { id, err });
      continue;
    }
  }
  await Promise.all(ids.map(async (id) => {
    try {
      await fetch(`https://crm.example.com/touch/${id}`);
    } catch {
      return null;
    }
  }));
}

export function track(name: string): void {
  fetch(`https://metrics.example.com/${name}`).catch(() => {});
}

export async function warmUp(): Promise<void> {
  try {
    await fetch('https://api.example.com/health');
  } catch {
    // best effort: the first real request retries anyway
  }
}

export function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SyntaxError(`bad payload: ${String(err)}`);
  }
}
