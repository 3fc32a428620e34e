import express from 'express';
import { getStock } from './clients/stock';

const app = express();

// a null stock is an unknown SKU
app.get('/stock/:sku', async (req, res) => {
  const stock = await getStock(req.params.sku);
  if (stock === null) {
    res.status(404).json({ message: 'unknown sku' });
    return;
  }
  res.json(stock);
});

app.listen(3000);
