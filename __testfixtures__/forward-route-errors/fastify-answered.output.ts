import Fastify from 'fastify';
import { findOrder } from './orders';

const app = Fastify();
// the service's own answers for failures
app.setErrorHandler((err, _request, reply) => {
  reply.code(err.statusCode ?? 500).send({ message: err.message });
});
app.get('/orders/:id', async (request) => findOrder((request.params as { id: string }).id));
