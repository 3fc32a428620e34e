import express from 'express';
import { listOrders } from './orders';

const app = express();
const port = Number(process.env.PORT ?? 3000);

app.use(express.json());
app.get('/orders', listOrders);

app.listen(port, () => {
  console.log(`listening on ${port}`);
});
