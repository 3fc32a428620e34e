import type { SNSEvent, SQSEvent } from 'aws-lambda';
import { save } from './store';

// a `continue` would become a return inside the record handler: left
export const skipsEmpty = async (event: SQSEvent) => {
  for (const record of event.Records) {
    if (!record.body) continue;
    await save(record.body);
  }
};

// SNS records are not SQS messages
export const fromTopic = async (event: SNSEvent) => {
  for (const record of event.Records) {
    await save(record.Sns.Message);
  }
};

// the loop uses the event itself
export const counts = async (event: SQSEvent) => {
  for (const record of event.Records) {
    await save(`${record.body} of ${event.Records.length}`);
  }
};

// work before the loop
export const withSetup = async (event: SQSEvent) => {
  const started = Date.now();
  for (const record of event.Records) {
    await save(`${record.body} ${started}`);
  }
};
