import Fastify from 'fastify';

const app = Fastify({ logger: true });

app.get('/items', async () => listItems());

await app.listen({ port: 3000, host: '0.0.0.0' });
