'use strict';

const Koa = require('koa');
const Router = require('@koa/router');
const { loadRates } = require('./rates');

const app = new Koa();
const router = new Router();

router.get('/rates', async (ctx) => {
  ctx.body = await loadRates();
});

app.use(router.routes());
module.exports = app;
