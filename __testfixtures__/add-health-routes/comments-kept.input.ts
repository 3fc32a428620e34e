import express from 'express';

// The back-office API.
const app = express();
app.get('/orders', list); // read-only

/* Start serving. */
app.listen(3000); // port from the chart
