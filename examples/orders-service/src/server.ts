import express from 'express';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { getStock } from './clients/inventory-client';
import { getPaymentStatus } from './clients/payments-client';
import { getTracking } from './clients/shipping-client';
import { dynamo, ORDERS_TABLE } from './lib/db';

// Runs the read side of the API as a container for the back-office tools.
const app = express();
const port = Number(process.env.PORT ?? 3000);

app.use(express.json());
app.use((req, _res, next) => {
  console.log(`${req.method} ${req.originalUrl}`);
  next();
});

app.get('/orders/:id', async (req, res) => {
  try {
    const { Item } = await dynamo.send(new GetItemCommand({ TableName: ORDERS_TABLE, Key: { orderId: { S: req.params.id } } }));
    if (!Item) {
      res.status(404).json({ message: 'order not found' });
      return;
    }
    res.json({ orderId: Item.orderId?.S, status: Item.status?.S, totalCents: Number(Item.totalCents?.N ?? 0) });
  } catch (err) {
    console.error('order lookup failed', err);
    res.status(404).json({ message: 'order not found' });
  }
});

app.get('/orders/:id/tracking', async (req, res) => {
  try {
    res.json(await getTracking(req.params.id));
  } catch {
    res.status(503).set('Retry-After', '30').json({ message: 'tracking is temporarily unavailable' });
  }
});

app.get('/payments/:paymentId', async (req, res) => {
  const status = await getPaymentStatus(req.params.paymentId);
  if (status === null) {
    res.status(404).json({ message: 'payment not found' });
    return;
  }
  res.json({ paymentId: req.params.paymentId, status });
});

app.get('/stock/:sku', async (req, res) => {
  try {
    res.json(await getStock(req.params.sku));
  } catch {
    res.status(503).set('Retry-After', '15').json({ message: 'inventory is temporarily unavailable' });
  }
});

app.listen(port, () => {
  console.log(`orders-service listening on port ${port}`);
});
