'use strict';

const {
  classify,
  isInfraFailure
} = require('../resilience/errors');

const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');

const db = new DynamoDBClient({});

async function findUser(id) {
  try {
    const out = await db.send(new GetItemCommand({ TableName: 'users', Key: { id: { S: id } } }));
    return out.Item;
  } catch (e) {
    console.error(e);
    if (isInfraFailure(e)) {
      throw classify(e);
    }
    return null;
  }
}

module.exports = { findUser };
