'use strict';

const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const { NodeHttpHandler } = require('@smithy/node-http-handler');
const axios = require('axios');

const dynamo = new DynamoDBClient({ requestHandler: new NodeHttpHandler({ requestTimeout: 5000, connectionTimeout: 1000, throwOnRequestTimeout: true }) });
const sqs = new SQSClient({ requestHandler: new NodeHttpHandler({ requestTimeout: 5000, connectionTimeout: 1000, throwOnRequestTimeout: true }) });
const tuned = new DynamoDBClient({
  region: process.env.AWS_REGION,
  requestHandler: new NodeHttpHandler({ connectionTimeout: 500, requestTimeout: 5000, throwOnRequestTimeout: true }),
});
const partial = new SQSClient({ requestHandler: { requestTimeout: 2000, connectionTimeout: 1000, throwOnRequestTimeout: true } });

function clientFor(config) {
  return new SQSClient(config);
}

const notify = async (queueUrl, body) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  await axios.post('https://hooks.example.com', { body }, { timeout: 6000 });
};

module.exports = { dynamo, tuned, partial, clientFor, notify };
