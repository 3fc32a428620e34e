// handler.js
'use strict';

const express = require('express');
const serverless = require('serverless-http');
const { connect, query } = require('./db');

const app = express();
let pool;

app.get('/hello', async function (req, res) {
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
});

module.exports.handler = serverless(app);
