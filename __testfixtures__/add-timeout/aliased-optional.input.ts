import { default as http } from 'axios';
import * as sqs from '@aws-sdk/client-sqs';
import { baseConfig } from './config';

const api = http.create(baseConfig);
const queue = new sqs.SQSClient({ region: 'eu-west-1' });

export const handlers = {
  list: async () => (await api?.get('/items'))?.data,
  send: (body: string) => queue.send(new sqs.SendMessageCommand({ QueueUrl: 'q', MessageBody: body })),
  local: async (http: { get(url: string): Promise<unknown> }) => http.get('/local'),
};
