import Fastify from 'fastify';
import { isInfraFailure } from './resilience/errors';
import { findOrder } from './orders';

// one app for the whole service
export const app = Fastify({ logger: true });

// Route failures end here: a dependency that is down or failing answers 503 with Retry-After,
// so clients come back later; anything else goes on to Fastify's own error handler.
app.setErrorHandler((err, _request, reply) => {
  if (!isInfraFailure(err)) throw err;
  reply.code(503).header('Retry-After', '30').send({ message: 'Service unavailable' });
});

app.get('/orders/:id', async (request) => {
  const { id } = request.params as { id: string };
  return findOrder(id);
});

app.listen({ port: 3000 });
