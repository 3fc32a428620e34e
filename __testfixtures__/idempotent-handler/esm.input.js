import { ledger } from './ledger.js';

export const handler = async (event) => {
  for (const record of event.Records) {
    await ledger.append(JSON.parse(record.body));
  }
};
