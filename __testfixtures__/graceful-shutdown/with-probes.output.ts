import express from 'express';
import { listOrders } from './orders';

const app = express();
const port = Number(process.env.PORT ?? 3000);

app.use(express.json());
app.get('/orders', listOrders);

let ready = true;

app.get('/healthz', (_req, res) => {
  res.status(200).json({ status: 'ok' });
});

app.get('/readyz', (_req, res) => {
  const checks = { accepting: ready };
  const ok = Object.values(checks).every(Boolean);
  res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
});

const server = app.listen(port, () => {
  console.log(`listening on ${port}`);
});

process.on('SIGTERM', () => {
  ready = false;
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 10_000).unref();
});
