import express from 'express';
import { search } from './catalog';

const app = express();

/** Full-text search over the catalog. */
app.get('/search', async (req, res) => {
  // the catalog service does the ranking
  const hits = await search(String(req.query.q ?? '')); // may be slow
  /* empty result is fine */
  res.json({ hits });
});

// error handling of the whole app
app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(500).json({ message: err.message });
});

app.listen(8080);
