import Fastify from 'fastify';

const app = Fastify({ logger: true });

app.get('/items', async () => listItems());

let ready = true;
app.get('/healthz', async () => ({ status: 'ok' }));

app.get('/readyz', async (_request, reply) => {
  const checks = { accepting: ready };
  const ok = Object.values(checks).every(Boolean);
  return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', checks });
});

await app.listen({ port: 3000, host: '0.0.0.0' });
