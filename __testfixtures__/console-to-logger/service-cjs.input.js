const express = require('express');

const app = express();

app.get('/health', (req, res) => {
  console.log('health check from ' + req.ip);
  res.send('ok');
});

app.use((err, req, res, next) => {
  console.error(err);
  console.error('Request failed', { path: req.path, status: 500 });
  res.status(500).end();
});

module.exports = app;
