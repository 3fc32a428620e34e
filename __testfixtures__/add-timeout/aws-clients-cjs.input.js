'use strict';

const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const { NodeHttpHandler } = require('@smithy/node-http-handler');
const axios = require('axios');

const dynamo = new DynamoDBClient({});
const sqs = new SQSClient();
const tuned = new DynamoDBClient({
  region: process.env.AWS_REGION,
  requestHandler: new NodeHttpHandler({ connectionTimeout: 500 }),
});
const partial = new SQSClient({ requestHandler: { requestTimeout: 2000 } });

function clientFor(config) {
  return new SQSClient(config);
}

const notify = async (queueUrl, body) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  await axios.post('https://hooks.example.com', { body });
};

module.exports = { dynamo, tuned, partial, clientFor, notify };
