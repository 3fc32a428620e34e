const { logger } = require('./resilience/logger');
const express = require('express');

const app = express();

app.get('/health', (req, res) => {
  logger.info('health check from', { ip: req.ip });
  res.send('ok');
});

app.use((err, req, res, next) => {
  logger.error('Unexpected error', err);
  logger.error('Request failed', { path: req.path, status: 500 });
  res.status(500).end();
});

module.exports = app;
