const fastify = require('fastify')();
const { isInfraFailure } = require('./resilience/errors');
const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');

const db = new DynamoDBClient({});

fastify.get('/orders/:id', async (request, reply) => {
  try {
    const out = await db.send(new GetItemCommand({ TableName: 'orders', Key: { id: { S: request.params.id } } }));
    return out.Item;
  } catch (error) {
    request.log.error(error);
    if (isInfraFailure(error)) {
      return reply.code(503).header('Retry-After', '30').send({ message: 'Service unavailable' });
    }
    return reply.code(403).send({ message: 'Forbidden' });
  }
});

module.exports = fastify;
