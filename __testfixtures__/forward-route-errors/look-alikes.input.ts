import express from 'express';
import asyncHandler from 'express-async-handler';
import Fastify from 'fastify';
import Koa from 'koa';
import Router from '@koa/router';
import { findOrder } from './orders';

const app = express();
const fastify = Fastify();

// wrapped: the helper passes a rejection to next(err)
app.get('/orders/:id', asyncHandler(async (req, res) => {
  res.json(await findOrder(req.params.id));
}));

// awaits inside a try/catch that answers
app.get('/orders/:id/summary', async (req, res) => {
  try {
    res.json(await findOrder(req.params.id));
  } catch {
    res.status(503).json({ message: 'try again' });
  }
});

// not async: nothing to reject
app.get('/ping', (_req, res) => {
  res.send('pong');
});

// Fastify passes a rejected handler to the app's own error handler
fastify.setErrorHandler((err, _request, reply) => {
  reply.code(err.statusCode ?? 500).send({ message: err.message });
});
fastify.get('/orders/:id', async (request) => findOrder((request.params as { id: string }).id));

// so does Koa, to its first middleware's catch
const koa = new Koa();
koa.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    ctx.status = 502;
  }
});
const router = new Router();
router.get('/orders/:id', async (ctx) => {
  ctx.body = await findOrder(ctx.params.id);
});
koa.use(router.routes());

app.listen(3000);
