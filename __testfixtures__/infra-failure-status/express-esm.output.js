import express from 'express';
import { isInfraFailure } from './resilience/errors';
import axios from 'axios';

const router = express.Router();

router.get('/users/:id', async (req, res) => {
  try {
    const { data } = await axios.get(`https://users.internal/users/${req.params.id}`, { timeout: 5000 });
    res.json(data);
  } catch (err) {
    if (isInfraFailure(err)) {
      res.status(503).set('Retry-After', '30').json({ message: 'Service unavailable' });
      return;
    }
    res.status(404).json({ message: 'User not found' });
  }
});

export default router;
