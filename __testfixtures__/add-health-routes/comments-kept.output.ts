import express from 'express';

// The back-office API.
const app = express();
app.get('/orders', list); // read-only

let ready = true;

app.get('/healthz', (_req, res) => {
  res.status(200).json({ status: 'ok' });
});

app.get('/readyz', (_req, res) => {
  const checks = { accepting: ready };
  const ok = Object.values(checks).every(Boolean);
  res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
});

/* Start serving. */
app.listen(3000); // port from the chart
