import express from 'express';
import serverless from 'serverless-http';
import { isInfraFailure } from './resilience/errors.js';
import { loadUser, saveUser } from './users.js';

const app = express();
app.use(express.json());

app.get('/users/:id', async (req, res, next) => {
  try {
    if (!req.params.id) return next();
    res.json(await loadUser(req.params.id));
  } catch (err) {
    next(err);
  }
});

app.put('/users/:id', async (req, res, next) => {
  try {
    await saveUser(req.params.id, req.body);
    res.sendStatus(204);
  } catch (err) {
    next(err);
  }
});

// Route failures passed to next(err) end here: a dependency that is down or failing answers 503
// with Retry-After, so clients come back later; anything else goes on to Express's own handler.
app.use((err, _req, res, next) => {
  if (res.headersSent || !isInfraFailure(err)) {
    next(err);
    return;
  }
  res.status(503).set('Retry-After', '30').json({ message: 'Service unavailable' });
});

export const handler = serverless(app);
