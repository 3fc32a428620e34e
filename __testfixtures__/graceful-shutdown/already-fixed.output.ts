import express from 'express';

const app = express();
const server = app.listen(3000);

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});
