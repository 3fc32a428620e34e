'use strict';

const { findUser } = require('./lib/users');

exports.handler = async (event) => {
  const user = await findUser(event.pathParameters.id);
  if (!user) return { statusCode: 404, body: JSON.stringify({ message: 'no such user' }) };
  return { statusCode: 200, body: JSON.stringify(user) };
};
