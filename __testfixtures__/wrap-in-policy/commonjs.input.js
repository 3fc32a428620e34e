const axios = require('axios');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');

const sqs = new SQSClient({ maxAttempts: 5 });

async function enqueue(body) {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: body }));
}

exports.handler = async (event) => {
  const response = await axios({ method: 'get', url: 'https://api.example.com/things' });
  await enqueue(JSON.stringify(response.data));
  return { statusCode: 200 };
};
