import express from 'express';
import { listOrders } from './orders';

const app = express();
const port = Number(process.env.PORT ?? 3000);

app.use(express.json());
app.get('/orders', listOrders);

const server = app.listen(port, () => {
  console.log(`listening on ${port}`);
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 10_000).unref();
});
