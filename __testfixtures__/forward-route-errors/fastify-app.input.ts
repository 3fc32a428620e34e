import Fastify from 'fastify';
import { findOrder } from './orders';

// one app for the whole service
export const app = Fastify({ logger: true });

app.get('/orders/:id', async (request) => {
  const { id } = request.params as { id: string };
  return findOrder(id);
});

app.listen({ port: 3000 });
