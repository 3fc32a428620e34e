'use strict';

const Koa = require('koa');
const Router = require('@koa/router');
const { isInfraFailure } = require('./resilience/errors');
const { loadRates } = require('./rates');

const app = new Koa();

// Failures of the middleware and routes below end here: a dependency that is down or failing
// answers 503 with Retry-After, so clients come back later; anything else goes on to Koa's own handling.
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (!isInfraFailure(err)) throw err;
    ctx.status = 503;
    ctx.set('Retry-After', '30');
    ctx.body = { message: 'Service unavailable' };
  }
});

const router = new Router();

router.get('/rates', async (ctx) => {
  ctx.body = await loadRates();
});

app.use(router.routes());
module.exports = app;
