// Consumes refund requests.
import type { SQSHandler } from 'aws-lambda';
import { refund } from './payments';

export const handler: SQSHandler = async (event) => {
  // one message per refund
  for (const record of event.Records) {
    // the body is the refund request as JSON
    const request = JSON.parse(record.body);
    await refund(request); // calls the payments API
  }
};
