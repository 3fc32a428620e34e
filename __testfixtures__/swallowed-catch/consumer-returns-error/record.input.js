'use strict';

const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');

const db = new DynamoDBClient({});

exports.handler = async (event) => {
  try {
    const entry = JSON.parse(event.Records[0].body);
    await db.send(new PutItemCommand({ TableName: 'audit', Item: { id: { S: entry.id } } }));
    return { saved: entry.id };
  } catch (error) {
    return error;
  }
};
