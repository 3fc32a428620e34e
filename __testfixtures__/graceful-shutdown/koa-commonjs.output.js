const Koa = require('koa');

const app = new Koa();
app.use(async (ctx) => {
  ctx.body = 'hello';
});
const server = app.listen(8080);

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 10_000).unref();
});
