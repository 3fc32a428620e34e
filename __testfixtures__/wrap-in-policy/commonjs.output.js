const axios = require('axios');
const { policyFor } = require('./resilience/policies');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');

const sqs = new SQSClient({ maxAttempts: 1 });

async function enqueue(body) {
  await policyFor('sqs').execute(({ signal }) => sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: body }), { abortSignal: signal }));
}

exports.handler = async (event) => {
  const response = await policyFor('api.example.com').execute(({ signal }) => axios({ method: 'get', url: 'https://api.example.com/things', signal }));
  await enqueue(JSON.stringify(response.data));
  return { statusCode: 200 };
};
