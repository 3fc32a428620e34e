'use strict';

const express = require('express');
const { isInfraFailure } = require('./resilience/errors');
const { currentUser } = require('./session');

const app = express();

app.use(async (req, res, next) => {
  try {
    req.user = await currentUser(req.headers.authorization);
    next();
  } catch (err) {
    next(err);
  }
});

app.get('/me', (req, res) => res.json(req.user));

// Route failures passed to next(err) end here: a dependency that is down or failing answers 503
// with Retry-After, so clients come back later; anything else goes on to Express's own handler.
app.use((err, _req, res, next) => {
  if (res.headersSent || !isInfraFailure(err)) {
    next(err);
    return;
  }
  res.status(503).set('Retry-After', '30').json({ message: 'Service unavailable' });
});

module.exports = app;
