import { Router } from 'express';
import { cancelOrder, getInvoice } from '../billing';

const router = Router();

router.post('/orders/:id/cancel', async (req, res) => {
  await cancelOrder(req.params.id);
  res.status(204).end();
});

router.get('/invoices/:id', async function invoice(req, res) {
  const pdf = await getInvoice(req.params.id);
  res.type('application/pdf').send(pdf);
});

export default router;
