const http = require('http');
const express = require('express');

const app = express();
app.get('/x', (req, res) => res.end());
const server = http.createServer(app).listen(8080, () => console.log('up'));

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(1), 10_000).unref();
});
