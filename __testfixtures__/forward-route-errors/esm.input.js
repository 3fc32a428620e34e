import express from 'express';
import serverless from 'serverless-http';
import { loadUser, saveUser } from './users.js';

const app = express();
app.use(express.json());

app.get('/users/:id', async (req, res, next) => {
  if (!req.params.id) return next();
  res.json(await loadUser(req.params.id));
});

app.put('/users/:id', async (req, res) => {
  await saveUser(req.params.id, req.body);
  res.sendStatus(204);
});

export const handler = serverless(app);
