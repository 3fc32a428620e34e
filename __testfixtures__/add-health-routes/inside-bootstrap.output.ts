import http from 'node:http';
import express from 'express';

export async function start(port: number): Promise<void> {
  const app = express();
  app.post('/pay', pay);
  const server = http.createServer(app);
  let ready = true;

  app.get('/healthz', (_req, res) => {
    res.status(200).json({ status: 'ok' });
  });

  app.get('/readyz', (_req, res) => {
    const checks = { accepting: ready };
    const ok = Object.values(checks).every(Boolean);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
  });

  server.listen(port);
}
