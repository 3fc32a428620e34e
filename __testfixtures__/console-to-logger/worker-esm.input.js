import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

const client = new EventBridgeClient({});

export const publish = async (detail, source) => {
  console.log(`Publishing ${source}`);
  console.log('publish', source, detail.type, 42);
  console.info('Payload:', detail);
  console.log(detail);
  console.log("plain message");
  console.table(detail);
  console.log('User %s published', source);
  return client;
};

export const handlers = [1, 2].map((n) => () => console.trace(`step ${n} of ${compute(n)}`));

function compute(n) {
  return n * 2;
}
