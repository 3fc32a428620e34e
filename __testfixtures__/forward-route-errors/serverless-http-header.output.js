// handler.js
'use strict';

const express = require('express');
const serverless = require('serverless-http');
const { isInfraFailure } = require('./resilience/errors');
const { connect, query } = require('./db');

const app = express();
let pool;

app.get('/hello', async function(req, res, next) {
  try {
    if (!pool) {
      // Cold start: connect once.
      pool = await connect();
    }
    try {
      const result = await query(pool);
      res.json({ time: result.rows[0].now });
    } catch (e) {
      res.json({ error: e.message });
    }
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

module.exports.handler = serverless(app);
