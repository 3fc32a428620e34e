import express from 'express';
import { isInfraFailure } from './resilience/errors';
import { getStock } from './clients/stock';

const app = express();

// a null stock is an unknown SKU
app.get('/stock/:sku', async (req, res, next) => {
  try {
    const stock = await getStock(req.params.sku);
    if (stock === null) {
      res.status(404).json({ message: 'unknown sku' });
      return;
    }
    res.json(stock);
  } catch (err) {
    next(err);
  }
});

// Route failures passed to next(err) end here: a dependency that is down or failing answers 503
// with Retry-After, so clients come back later; anything else goes on to Express's own handler.
app.use(((err, _req, res, next) => {
  if (res.headersSent || !isInfraFailure(err)) {
    next(err);
    return;
  }
  res.status(503).set('Retry-After', '30').json({ message: 'Service unavailable' });
}) as express.ErrorRequestHandler);

app.listen(3000);
