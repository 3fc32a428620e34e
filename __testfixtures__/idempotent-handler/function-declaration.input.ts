import type { SQSEvent } from 'aws-lambda';
import { sendEmail } from './mailer';

export async function handler(event: SQSEvent): Promise<void> {
  for (const record of event.Records) {
    const { to, subject } = JSON.parse(record.body) as { to: string; subject: string };
    await sendEmail(to, subject);
  }
}
