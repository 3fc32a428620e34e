import { default as http } from 'axios';
import * as sqs from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { baseConfig } from './config';

const api = http.create(baseConfig);
const queue = new sqs.SQSClient({ region: 'eu-west-1', requestHandler: new NodeHttpHandler({ requestTimeout: 5000, connectionTimeout: 1000, throwOnRequestTimeout: true }) });

export const handlers = {
  list: async () => (await api?.get('/items', { timeout: 6000 }))?.data,
  send: (body: string) => queue.send(new sqs.SendMessageCommand({ QueueUrl: 'q', MessageBody: body })),
  local: async (http: { get(url: string): Promise<unknown> }) => http.get('/local'),
};
