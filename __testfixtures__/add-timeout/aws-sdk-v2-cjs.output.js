"use strict";

var AWS = require("aws-sdk"),
documentClient = new AWS.DynamoDB.DocumentClient({ httpOptions: { connectTimeout: 1000, timeout: 5000 } }),
s3Client = new AWS.S3({ httpOptions: { connectTimeout: 1000, timeout: 5000 } });

const sqs = new AWS.SQS({ apiVersion: '2012-11-05', httpOptions: { connectTimeout: 1000, timeout: 5000 } });
const eb = new AWS.EventBridge({ httpOptions: { agent: undefined, connectTimeout: 1000, timeout: 5000 } });
const SNS = require('aws-sdk/clients/sns');
const sns = new SNS({ region: process.env.AWS_REGION, httpOptions: { connectTimeout: 1000, timeout: 5000 } });

exports.handler = async (event) => {
  await documentClient.put({ TableName: process.env.TABLE, Item: event }).promise();
  await s3Client.putObject({ Bucket: 'b', Key: 'k', Body: '' }).promise();
  await sqs.sendMessage({ QueueUrl: process.env.Q, MessageBody: '{}' }).promise();
  await eb.putEvents({ Entries: [] }).promise();
  return sns.publish({ TopicArn: process.env.T, Message: 'x' }).promise();
};
