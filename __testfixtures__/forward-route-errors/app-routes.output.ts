import express, { type Request, type Response } from 'express';
import { isInfraFailure } from './resilience/errors';
import { findOrder, listOrders, quote } from './orders';

const app = express();
app.use(express.json());

app.get('/orders', async (_req, res, next) => {
  try {
    res.json(await listOrders());
  } catch (err) {
    next(err);
  }
});

app.route('/orders/:id').get(async (req, res, next) => {
  try {
    return res.json(await findOrder(req.params.id));
  } catch (err) {
    next(err);
  }
});

async function createQuote(req: Request, res: Response, next: express.NextFunction) {
  try {
    const price = await quote(req.body.items);
    res.status(201).json({ price });
  } catch (err) {
    next(err);
  }
}

app.post('/quotes', createQuote);

// Route failures passed to next(err) end here: a dependency that is down or failing answers 503
// with Retry-After, so clients come back later; anything else goes on to Express's own handler.
app.use(((err, _req, res, next) => {
  if (res.headersSent || !isInfraFailure(err)) {
    next(err);
    return;
  }
  res.status(503).set('Retry-After', '30').json({ message: 'Service unavailable' });
}) as express.ErrorRequestHandler);

app.listen(Number(process.env.PORT ?? 3000));
