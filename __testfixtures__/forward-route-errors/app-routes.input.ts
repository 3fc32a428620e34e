import express, { type Request, type Response } from 'express';
import { findOrder, listOrders, quote } from './orders';

const app = express();
app.use(express.json());

app.get('/orders', async (_req, res) => {
  res.json(await listOrders());
});

app.route('/orders/:id').get(async (req, res) => res.json(await findOrder(req.params.id)));

async function createQuote(req: Request, res: Response) {
  const price = await quote(req.body.items);
  res.status(201).json({ price });
}

app.post('/quotes', createQuote);

app.listen(Number(process.env.PORT ?? 3000));
