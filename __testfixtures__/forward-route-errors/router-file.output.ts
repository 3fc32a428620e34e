import { Router } from 'express';
import { cancelOrder, getInvoice } from '../billing';

const router = Router();

router.post('/orders/:id/cancel', async (req, res, next) => {
  try {
    await cancelOrder(req.params.id);
    res.status(204).end();
  } catch (err) {
    next(err);
  }
});

router.get('/invoices/:id', async function invoice(req, res, next) {
  try {
    const pdf = await getInvoice(req.params.id);
    res.type('application/pdf').send(pdf);
  } catch (err) {
    next(err);
  }
});

export default router;
