import express from 'express';
import { isInfraFailure } from './resilience/errors';
import { getStock } from './stock';

const app = express();

app.get('/stock/:sku', async (req, res, next) => {
  try {
    res.json(await getStock(req.params.sku));
  } catch (err) {
    next(err);
  }
});

app.use(((err, _req, res, next) => {
  if (res.headersSent || !isInfraFailure(err)) {
    next(err);
    return;
  }
  res.status(503).set('Retry-After', '30').json({ message: 'Service unavailable' });
}) as express.ErrorRequestHandler);

app.listen(3000);
