const Koa = require('koa');

const app = new Koa();
app.use(async (ctx) => {
  ctx.body = 'hello';
});
let ready = true;

app.use(async (ctx, next) => {
  if (ctx.path === '/healthz') {
    ctx.body = { status: 'ok' };
    return;
  }
  if (ctx.path === '/readyz') {
    const checks = { accepting: ready };
    const ok = Object.values(checks).every(Boolean);
    ctx.status = ok ? 200 : 503;
    ctx.body = { status: ok ? 'ready' : 'not ready', checks };
    return;
  }
  await next();
});

app.listen(8080);
