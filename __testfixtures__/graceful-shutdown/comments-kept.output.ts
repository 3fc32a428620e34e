import express from 'express';

// The back-office API.
const app = express();
app.get('/orders', list); // read-only

/* Start serving. */
const server = app.listen(3000); // port from the chart

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 10_000).unref();
});
