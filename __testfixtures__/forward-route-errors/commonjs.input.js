'use strict';

const express = require('express');
const { currentUser } = require('./session');

const app = express();

app.use(async (req, res, next) => {
  req.user = await currentUser(req.headers.authorization);
  next();
});

app.get('/me', (req, res) => res.json(req.user));

module.exports = app;
