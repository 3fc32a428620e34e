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

// Fastify catches a rejected handler and answers 500 itself
fastify.get('/orders/:id', async (request) => findOrder((request.params as { id: string }).id));

// so do Koa and its router
const koa = new Koa();
const router = new Router();
router.get('/orders/:id', async (ctx) => {
  ctx.body = await findOrder(ctx.params.id);
});
koa.use(router.routes());

app.listen(3000);
